package main

import (
	"context"
	"errors"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// contactFlags answer the security contact question.
var contactFlags = []string{flagContactName, flagContactTitle, flagContactEmail, flagContactPhone}

// askOptIns offers the opt-in CIS fixes the account lacks and no flag
// answered, each answered no until the operator says yes, and sets the
// Spec fields their flags set for the ones accepted. An account that lacks
// none sees no page.
func (v wizardView) askOptIns(ctx context.Context, spec baseline.Spec, st baseline.State) (baseline.Spec, error) {
	q := v.optInsLacking(ctx, st.Caller.Partition)
	if !q.AskSupportRole && !q.AskAnalyzer && !q.AskContact {
		return spec, nil
	}
	if err := v.w.UI.AskOptIns(ctx, &q, contactValidators()); err != nil {
		return spec, wizardStopped(err)
	}
	if q.AskSupportRole && q.SupportRoleYes {
		spec.SupportRole = q.SupportRole
	}
	if q.AskAnalyzer && q.AnalyzerYes {
		spec.AccessAnalyzer = true
	}
	if q.AskContact && !q.Contact.Empty() {
		c := q.Contact
		spec.SecurityContact = &baseline.SecurityContact{Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone}
	}
	return spec, nil
}

// optInsLacking reads what the account lacks of the fixes no flag answered,
// and says which it cannot offer because that could not be read.
func (v wizardView) optInsLacking(ctx context.Context, partition string) prompt.OptIns {
	w := v.w
	want := baseline.OptInReads{
		SupportRole:     !w.Given(flagSupportRole),
		AccessAnalyzer:  !w.Given(flagAccessAnalyzer),
		SecurityContact: !anyGiven(w.Given, contactFlags),
	}
	gaps := baseline.ReadOptInGaps(ctx, w.Deps, partition, want)
	for _, unread := range []struct {
		flag string
		err  error
	}{{flagSupportRole, gaps.SupportErr}, {flagAccessAnalyzer, gaps.AnalyzerErr}, {flagContactEmail, gaps.ContactErr}} {
		if unread.err != nil {
			w.UI.Note(w.Tr.T("--%s is not offered: what the account has could not be read (%v)", unread.flag, w.Tr.Err(unread.err)))
		}
	}
	return prompt.OptIns{
		AskSupportRole:  want.SupportRole && gaps.SupportRoleMissing,
		SupportRole:     baseline.DefaultSupportRoleName,
		AskAnalyzer:     want.AccessAnalyzer && len(gaps.RegionsWithoutAnalyzer) > 0,
		AnalyzerRegions: gaps.RegionsWithoutAnalyzer,
		AskContact:      want.SecurityContact && gaps.ContactMissing,
	}
}

func anyGiven(given func(string) bool, flags []string) bool {
	for _, f := range flags {
		if given(f) {
			return true
		}
	}
	return false
}

// contactValidators are baseline.ValidateSecurityContact, field by field:
// each input shows only its own field's reasons.
func contactValidators() prompt.ContactValidators {
	field := func(name string, set func(*baseline.SecurityContact, string)) func(string) error {
		return func(s string) error {
			var c baseline.SecurityContact
			set(&c, s)
			var reasons []error
			for _, err := range baseline.ValidateSecurityContact(c) {
				for _, fe := range baseline.FieldErrors(err) {
					if fe.Field == name {
						reasons = append(reasons, locale.Wrap(fe.Reason, nil))
					}
				}
			}
			return errors.Join(reasons...)
		}
	}
	return prompt.ContactValidators{
		Name:  field(baseline.FieldContactName, func(c *baseline.SecurityContact, s string) { c.Name = s }),
		Title: field(baseline.FieldContactTitle, func(c *baseline.SecurityContact, s string) { c.Title = s }),
		Email: field(baseline.FieldContactEmail, func(c *baseline.SecurityContact, s string) { c.Email = s }),
		Phone: field(baseline.FieldContactPhone, func(c *baseline.SecurityContact, s string) { c.Phone = s }),
		Whole: reasonsOnly(func(c prompt.Contact) error {
			return errors.Join(baseline.ValidateSecurityContact(baseline.SecurityContact(c))...)
		}),
	}
}
