package baseline

import (
	"context"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// A step is one unit of the baseline, declared in its own file
// (step_*.go): how it plans, which steps it waits for, and how it applies.
// MakePlan and Apply run the steps listed in steps by these declarations and
// know no step by name. docs/architecture.md has the recipe for a new one.
type step struct {
	id StepID
	// plan compares the spec with the state for this step. Nil for a step
	// that a later planning stage adds (the root key in use).
	plan func(in planInput) Change
	// waitsFor lists the steps that must have finished without error
	// before apply starts; nil waits for none. A step that needs only
	// another step's entity to exist, not its whole work, waits mid-apply
	// with applier.entityExists instead, which keeps the round-trip depth
	// down.
	waitsFor func(a *applier) []StepID
	// blocked words what the step did not do when a step it waits for
	// failed, for example "keeping root access key in use".
	blocked locale.Msg
	// apply makes the change of a mutating action (create, update,
	// delete). It records what it did in r.did.
	apply func(ctx context.Context, a *applier, r *stepRun) error
}

// planInput is what every step's plan reads.
type planInput struct {
	Spec  Spec
	State State
	// Partition is the caller's partition ("aws" when unknown).
	Partition string
	// SignInURL is where IAM users sign in once the plan is applied (by
	// the alias the plan leaves, or the account ID).
	SignInURL string
}

// steps lists every step, in plan order.
func steps() []step {
	return []step{
		rootAccessKeysStep(),
		rootMFAStep(),
		adminGroupStep(),
		requireMFAStep(),
		adminUserStep(),
		passwordPolicyStep(),
		userMFAStep(),
		accountAliasStep(),
		supportRoleStep(),
		securityContactStep(),
		accessAnalyzerStep(),
		signInURLStep(),
		rootAccessKeyInUseStep(),
	}
}

// stepByID finds a step's declaration.
func stepByID(id StepID) (step, bool) {
	for _, s := range steps() {
		if s.id == id {
			return s, true
		}
	}
	return step{}, false
}
