package baseline

import (
	"context"
	"errors"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

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
	c := Change{Step: StepAccountAlias}
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
		c.Details = []locale.Msg{locale.M("replace account alias %s with %s", current, spec.AccountAlias)}
	default:
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonAliasMissing, Alias: spec.AccountAlias}}
		c.After = AccountAlias{Alias: spec.AccountAlias}
		c.Details = []locale.Msg{locale.M("create account alias %s", spec.AccountAlias)}
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
var ErrAliasTaken = locale.Wrap(locale.M("the alias is taken by another account"), nil)

func (a *applier) applyAlias(ctx context.Context, r *stepRun) error {
	target, _ := r.change.After.(AccountAlias)
	alias := target.Alias
	if _, err := a.deps.IAM.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(alias)}); err != nil {
		if hasErrorCode(err, "EntityAlreadyExists") {
			err = locale.Wrap(locale.M("%v: %v", ErrAliasTaken, err), errors.Join(ErrAliasTaken, err))
		}
		return locale.Wrap(locale.M("creating account alias %q: %v", alias, err), err)
	}
	if before, ok := r.change.Before.(AccountAlias); ok && before.Alias != "" {
		r.did = append(r.did, locale.M("replaced account alias %s with %s", before.Alias, alias))
		return nil
	}
	r.did = append(r.did, locale.M("created account alias %s", alias))
	return nil
}
