package baseline

import (
	"context"
	"errors"
	"fmt"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// The account alias: created when asked for and the account has none, as it
// names the sign-in URL; an existing one is never replaced (the old URL
// would stop working).
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
		c.Action = ActionManual
		c.Reasons = []Reason{{Code: ReasonAliasOther, Alias: current, Asked: spec.AccountAlias}}
		c.ManualSteps = []locale.Msg{locale.M("to rename it, open the IAM console > Dashboard > AWS Account > Account alias > Edit")}
	default:
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonAliasMissing, Alias: spec.AccountAlias}}
		c.After = AccountAlias{Alias: spec.AccountAlias}
		c.Details = []locale.Msg{locale.M("create account alias %s", spec.AccountAlias)}
	}
	return c
}

// plannedAlias is the alias the account has once the plan is applied: an
// existing alias is never replaced.
func plannedAlias(spec Spec, st State) string {
	if current := st.Alias(); current != "" {
		return current
	}
	return spec.AccountAlias
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
	r.did = append(r.did, locale.M("created account alias %s", alias))
	return nil
}
