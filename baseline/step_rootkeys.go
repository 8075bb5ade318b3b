package baseline

import (
	"context"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// The typed Before/After values of each step. They are plain data (no
// secrets) so both renderers show them and Apply reads them.

// RootAccessKeys is the root-access-keys step's view.
type RootAccessKeys struct {
	Present bool `json:"present"`
}

func planRootAccessKeys(in planInput) Change {
	st, partition := in.State, in.Partition
	c := Change{
		Step:   StepRootAccessKeys,
		Before: RootAccessKeys{Present: st.Summary.RootAccessKeysPresent},
	}
	if !st.Summary.RootAccessKeysPresent {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRootKeysAbsent}}
		return c
	}
	c.Action = ActionManual
	c.After = RootAccessKeys{Present: false}
	c.Reasons = []Reason{{Code: ReasonRootKeysPresent}}
	if st.Caller.IsRoot {
		c.Reasons = append(c.Reasons, Reason{Code: ReasonSignedAsRoot})
	}
	c.ManualSteps = []locale.Msg{
		locale.M("sign in to %s as the root user", consoleURL(partition)),
		locale.M("open the account menu > Security credentials > Access keys"),
		locale.M("deactivate each access key, check that nothing still uses it, then delete it"),
	}
	return c
}

// Deleting the root user's access keys. Only root can do it through the API,
// so it is planned only when root signs the run and the operator asked
// (--delete-root-access-keys, or the key typed in the wizard). The keys this
// run does not sign with go in the root-access-keys step; the key it signs
// with goes last, in its own step, once every other step succeeded: after
// it, this run's credentials no longer work.

// RootKeysAPI lists and deletes access keys (the signer's own when no user
// name is given).
type RootKeysAPI interface {
	iam.ListAccessKeysAPIClient
	DeleteAccessKey(ctx context.Context, in *iam.DeleteAccessKeyInput, optFns ...func(*iam.Options)) (*iam.DeleteAccessKeyOutput, error)
}

// RootAccessKey is one of the root user's access keys.
type RootAccessKey struct {
	ID     string `json:"id"`
	Active bool   `json:"active"`
	// InUse says this run signs its requests with the key.
	InUse bool `json:"in_use"`
}

// RootAccessKeyDeletion is the After view of a step that deletes root
// access keys.
type RootAccessKeyDeletion struct {
	Delete []string `json:"delete"`
	// Kept are root keys the operator chose to keep.
	Kept []string `json:"kept,omitempty"`
}

// ReadRootAccessKeys lists the root user's access keys. The caller must be
// root: ListAccessKeys without a user name lists the signer's own keys.
// deps.SigningAccessKeyID tells which key is in use.
func ReadRootAccessKeys(ctx context.Context, deps Deps) ([]RootAccessKey, error) {
	return ListRootAccessKeys(ctx, deps.IAM, deps.SigningAccessKeyID)
}

// ListRootAccessKeys lists root's access keys through api, signed by root
// itself or by a root session (sts:AssumeRoot); signingKeyID, when not
// empty, is the key the run signs with.
func ListRootAccessKeys(ctx context.Context, api iam.ListAccessKeysAPIClient, signingKeyID string) ([]RootAccessKey, error) {
	var keys []RootAccessKey
	p := iam.NewListAccessKeysPaginator(api, &iam.ListAccessKeysInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing the root user's access keys: %v", err), err)
		}
		for _, k := range page.AccessKeyMetadata {
			id := aws.ToString(k.AccessKeyId)
			keys = append(keys, RootAccessKey{
				ID:     id,
				Active: k.Status == iamtypes.StatusTypeActive,
				InUse:  id != "" && id == signingKeyID,
			})
		}
	}
	return keys, nil
}

// PlanRootKeys is the non-interactive path: when spec.DeleteRootAccessKeys
// is set, root signs the run and root has access keys, it reads them and
// plans deleting them all. Otherwise the plan is returned as it is (the
// root-access-keys step stays manual).
func PlanRootKeys(ctx context.Context, deps Deps, spec Spec, plan Plan) (Plan, error) {
	if !spec.DeleteRootAccessKeys || !RootKeysDeletable(plan) {
		return plan, nil
	}
	keys, err := ReadRootAccessKeys(ctx, deps)
	if err != nil {
		return plan, err
	}
	return PlanRootAccessKeyDeletion(plan, keys, nil), nil
}

// RootKeysDeletable reports whether this run could delete root's access
// keys: root signs it and root has keys.
func RootKeysDeletable(plan Plan) bool {
	if !plan.Account.IsRoot {
		return false
	}
	before, _ := plan.Change(StepRootAccessKeys).Before.(RootAccessKeys)
	return before.Present
}

// PlanRootAccessKeyDeletion rewrites the root-access-keys step to delete the
// confirmed keys this run does not sign with, and appends the
// root-access-key-in-use step for the confirmed key it signs with.
// confirmed nil confirms every key (--delete-root-access-keys); the wizard
// passes the operator's typed answers. Keys not confirmed are kept, and with
// none confirmed the plan is returned unchanged.
func PlanRootAccessKeyDeletion(plan Plan, keys []RootAccessKey, confirmed func(RootAccessKey) bool) Plan {
	if !plan.Account.IsRoot {
		return plan
	}
	var unused, kept []string
	inUse := ""
	for _, k := range keys {
		switch {
		case confirmed != nil && !confirmed(k):
			kept = append(kept, k.ID)
		case k.InUse:
			inUse = k.ID
		default:
			unused = append(unused, k.ID)
		}
	}
	if len(unused) == 0 && inUse == "" {
		return plan
	}
	changes := make([]Change, 0, len(plan.Changes)+1)
	for _, c := range plan.Changes {
		if c.Step == StepRootAccessKeys {
			c = planUnusedRootKeys(c, unused, kept, inUse)
		}
		changes = append(changes, c)
	}
	if inUse != "" {
		changes = append(changes, Change{
			Step:    StepRootAccessKeyInUse,
			Action:  ActionDelete,
			Reasons: []Reason{{Code: ReasonRootKeyInUseDelete, User: plan.UserName(), URL: plan.Account.SignInURL}},
			Before:  RootAccessKeys{Present: true},
			After:   RootAccessKeyDeletion{Delete: []string{inUse}},
			Details: []locale.Msg{locale.M("delete root access key %s (this run signs with it)", inUse)},
		})
	}
	p := plan
	p.Changes = changes
	return p
}

func planUnusedRootKeys(c Change, unused, kept []string, inUse string) Change {
	c.ManualSteps = nil
	c.Details = nil
	c.After = RootAccessKeyDeletion{Delete: unused, Kept: kept}
	for _, id := range unused {
		c.Details = append(c.Details, locale.M("delete root access key %s (this run does not sign with it)", id))
	}
	switch {
	case len(unused) > 0:
		c.Action = ActionDelete
		c.Reasons = []Reason{{Code: ReasonRootKeysDelete}}
	default:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRootKeyInUseOnly}}
	}
	if inUse != "" && len(unused) > 0 {
		c.Reasons = append(c.Reasons, Reason{Code: ReasonRootKeyInUseLast})
	}
	if len(kept) > 0 {
		c.Reasons = append(c.Reasons, Reason{Code: ReasonRootKeysKept, Keys: kept})
	}
	return c
}

// applyRootKeys deletes the unused root keys of the root-access-keys step.
func (a *applier) applyRootKeys(ctx context.Context, r *stepRun) error {
	del, _ := r.change.After.(RootAccessKeyDeletion)
	for _, id := range del.Delete {
		if err := a.deleteRootKey(ctx, id); err != nil {
			return err
		}
		r.did = append(r.did, locale.M("deleted root access key %s", id))
	}
	return nil
}

// applyRootKeyInUse deletes the key this run signs with, only after every
// other step finished without error: a failed step can then still be
// finished by running again with the same credentials.
func (a *applier) applyRootKeyInUse(ctx context.Context, r *stepRun) error {
	del, _ := r.change.After.(RootAccessKeyDeletion)
	if u, ok := a.runs[StepAdminUser]; ok && (u.passwordSet || u.passwordUncertain) && a.deps.DeliverPassword != nil {
		// Waited for (waitsFor): the user step is done.
		if err := a.deps.DeliverPassword(a.password, u.passwordUncertain); err != nil {
			return locale.Wrap(locale.M("keeping root access key in use: the new temporary password was not delivered, and without this key no run could set another: %v", err), err)
		}
	}
	for _, id := range del.Delete {
		if err := a.deleteRootKey(ctx, id); err != nil {
			return err
		}
		r.did = append(r.did, locale.M("deleted root access key %s, the one this run signed with: these credentials no longer work; sign in as %q at %s",
			id, a.userName, a.plan.Account.SignInURL))
	}
	return nil
}

func (a *applier) deleteRootKey(ctx context.Context, id string) error {
	_, err := a.deps.IAM.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(id)})
	if err != nil && !IsNoSuchEntity(err) { // gone already: an earlier run deleted it
		return locale.Wrap(locale.M("deleting root access key %s: %v", id, err), err)
	}
	return nil
}

// The root user's access keys: reported, and deleted when root signs the
// run and the operator asked (the keys this run does not sign with).
func rootAccessKeysStep() step {
	return step{id: StepRootAccessKeys, plan: planRootAccessKeys, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyRootKeys(ctx, r)
	}}
}

// The root access key this run signs with: planned only by
// PlanRootAccessKeyDeletion, deleted once every other step succeeded, as
// after it this run's credentials no longer work.
func rootAccessKeyInUseStep() step {
	return step{
		id: StepRootAccessKeyInUse,
		waitsFor: func(a *applier) []StepID {
			var others []StepID
			for _, c := range a.plan.Changes {
				if c.Step != StepRootAccessKeyInUse {
					others = append(others, c.Step)
				}
			}
			return others
		},
		blocked: locale.M("keeping root access key in use"),
		apply: func(ctx context.Context, a *applier, r *stepRun) error {
			return a.applyRootKeyInUse(ctx, r)
		},
	}
}
