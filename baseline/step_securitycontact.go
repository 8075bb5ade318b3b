package baseline

import (
	"context"
	"fmt"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
)

// The account's security contact (CIS, Security Hub Account.1): set when
// asked and missing or different, so AWS's security notices reach the
// security team and not only the root user's mailbox.
func securityContactStep() step {
	return step{id: StepSecurityContact, plan: planSecurityContact, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applySecurityContact(ctx, r)
	}}
}

func planSecurityContact(in planInput) Change {
	want, got := in.Spec.SecurityContact, in.State.SecurityContact
	c := Change{Step: StepSecurityContact}
	if got != nil {
		c.Before = *got
		c.After = *got
	}
	switch {
	case want == nil && got == nil:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonContactNotAsked}}
	case want == nil:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonContactIs, Contact: got.Email}}
	case got != nil && *got == *want:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonContactAlready, Contact: got.Email}}
	case got != nil:
		c.Action, c.After = ActionUpdate, *want
		c.Reasons = []Reason{{Code: ReasonContactDiffers, Contact: got.Email, Asked: want.Email}}
		c.Details = []locale.Msg{locale.M("replace the security contact with %s <%s>", want.Name, want.Email)}
	default:
		c.Action, c.After = ActionCreate, *want
		c.Reasons = []Reason{{Code: ReasonContactMissing}}
		c.Details = []locale.Msg{locale.M("register %s <%s> as the security contact", want.Name, want.Email)}
	}
	return c
}

func (a *applier) applySecurityContact(ctx context.Context, r *stepRun) error {
	if a.deps.Account == nil {
		return fmt.Errorf("setting the security contact: no Account API client")
	}
	ct, _ := r.change.After.(SecurityContact)
	if _, err := a.deps.Account.PutAlternateContact(ctx, &account.PutAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactTypeSecurity,
		Name:                 aws.String(ct.Name), Title: aws.String(ct.Title),
		EmailAddress: aws.String(ct.Email), PhoneNumber: aws.String(ct.Phone),
	}); err != nil {
		return locale.Wrap(locale.M("setting the security contact: %v", err), err)
	}
	r.did = append(r.did, locale.M("registered %s <%s> as the security contact", ct.Name, ct.Email))
	return nil
}
