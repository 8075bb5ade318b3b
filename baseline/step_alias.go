package baseline

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// The account alias: created when asked for, as it names the sign-in URL.
// An account has at most one alias and CreateAccountAlias replaces it, so
// another alias asked for is planned as a replacement whose reason carries
// the old sign-in URL that stops working; the views ask for that step
// specifically.
func accountAliasStep() step {
	return step{id: StepAccountAlias, plan: planAlias, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyAlias(ctx, r)
	}}
}

// AccountAlias is the account-alias step's view.
type AccountAlias struct {
	Alias string `json:"alias"`
}

func planAlias(in planInput) Change {
	spec, st := in.Spec, in.State
	c := Change{Step: StepAccountAlias, Title: "Account alias"}
	current := st.Alias()
	if current != "" {
		c.Before = AccountAlias{Alias: current}
		c.After = AccountAlias{Alias: current}
	}
	switch {
	case spec.AccountAlias == "" && current == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasNotAsked}}
	case spec.AccountAlias == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasIs, Alias: current}}
	case current == spec.AccountAlias:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasAlready, Alias: current}}
	case current != "":
		c.Action = ActionUpdate
		c.Reasons = []Reason{{Code: ReasonAliasReplaces, Alias: current, Asked: spec.AccountAlias, URL: SignInURL(in.Partition, current)}}
		c.After = AccountAlias{Alias: spec.AccountAlias}
		c.Details = []string{"replace account alias " + current + " with " + spec.AccountAlias}
	default:
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonAliasMissing, Alias: spec.AccountAlias}}
		c.After = AccountAlias{Alias: spec.AccountAlias}
		c.Details = []string{"create account alias " + spec.AccountAlias}
	}
	return c
}

// plannedAlias is the alias the account has once the plan is applied: the
// one asked for replaces the current one.
func plannedAlias(spec Spec, st State) string {
	if spec.AccountAlias != "" {
		return spec.AccountAlias
	}
	return st.Alias()
}

// AliasReplacement is the account-alias change when the plan replaces an
// alias (its reason carries the old alias, the new one and the old sign-in
// URL), and false when it does not.
func (p Plan) AliasReplacement() (Reason, bool) {
	for _, r := range p.Change(StepAccountAlias).Reasons {
		if r.Code == ReasonAliasReplaces {
			return r, true
		}
	}
	return Reason{}, false
}

// ErrAliasTaken marks an account alias that another account holds: aliases
// are unique within a partition, so only another alias helps.
var ErrAliasTaken = errors.New("the alias is taken by another account")

func (a *applier) applyAlias(ctx context.Context, r *stepRun) error {
	target, _ := r.change.After.(AccountAlias)
	alias := target.Alias
	if _, err := a.deps.IAM.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(alias)}); err != nil {
		if hasErrorCode(err, "EntityAlreadyExists") {
			err = fmt.Errorf("%w: %w", ErrAliasTaken, err)
		}
		return fmt.Errorf("creating account alias %q: %w", alias, err)
	}
	if before, ok := r.change.Before.(AccountAlias); ok && before.Alias != "" {
		r.did = append(r.did, "replaced account alias "+before.Alias+" with "+alias)
		return nil
	}
	r.did = append(r.did, "created account alias "+alias)
	return nil
}
