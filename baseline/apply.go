package baseline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// StepResult is what Apply did for one step.
type StepResult struct {
	Step   StepID `json:"step"`
	Action Action `json:"action"`
	// Done lists the changes made, for example "created user administrator".
	Done []locale.Msg `json:"done,omitempty"`
	// Error is the failure, when the step failed or was not attempted.
	Error string `json:"error,omitempty"`
	err   error
}

// Err is the step's failure, or nil.
func (r StepResult) Err() error { return r.err }

// Result is what Apply changed and what the operator needs afterwards.
type Result struct {
	Account   Account      `json:"account"`
	UserName  string       `json:"user_name"`
	SignInURL string       `json:"sign_in_url"`
	Steps     []StepResult `json:"steps"`
	// Password is the new temporary console password, set when Apply created
	// a login profile or reset its password. It is the one copy: deliver it
	// to the operator once.
	Password secret.Value `json:"-"`
	// PasswordSet says a new temporary password was set (Password holds it).
	PasswordSet bool `json:"password_set"`
	// PasswordUncertain says a request setting the password got no answer
	// (interrupted, connection lost): it may or may not be in force. Password
	// holds it all the same, so it can be handed over with that caveat.
	PasswordUncertain bool `json:"password_uncertain,omitempty"`
	// Manual are the steps left for a person.
	Manual []Change `json:"manual,omitempty"`
}

// Changed reports whether Apply made any change.
func (r Result) Changed() bool {
	for _, s := range r.Steps {
		if len(s.Done) > 0 {
			return true
		}
	}
	return false
}

// ErrMFAUnavailable is returned when the plan enrolls an MFA device but no
// way to read the codes was given.
var ErrMFAUnavailable = locale.Wrap(locale.M("the plan enrolls a virtual MFA device but no MFA code source is available"), nil)

// Apply performs the plan's changes. Steps that do not depend on each other
// run at the same time (the group, the user, the password policy and the
// alias); a step that needs another waits for it. Events are reported in plan
// order all the same. Apply returns the Result even when a step failed: it
// says what was done, and holds the password if one was set, so the caller
// can still deliver it. A failed run is finished by planning and applying
// again.
func Apply(ctx context.Context, plan Plan, deps Deps) (Result, error) {
	res := Result{
		Account:   plan.Account,
		UserName:  plan.UserName(),
		SignInURL: plan.Account.SignInURL,
	}
	res.Manual = plan.Manual()
	byStep := map[StepID]Change{}
	for _, c := range plan.Changes {
		byStep[c.Step] = c
	}
	if plan.EnrollsMFA() && deps.MFACodes == nil {
		return res, locale.Wrap(locale.M("enrolling MFA for %q: %v", plan.UserName(), ErrMFAUnavailable), ErrMFAUnavailable)
	}

	// The password exists before any change, so a failure to make one
	// leaves the account untouched.
	if plan.SetsNewPassword() {
		// The policy set (After) is at least as strict as the one asked
		// for; the one in force (Before) applies until it is set.
		var policies []PasswordPolicy
		if pp, ok := byStep[StepPasswordPolicy].Before.(PasswordPolicy); ok {
			policies = append(policies, pp)
		}
		if pp, ok := byStep[StepPasswordPolicy].After.(PasswordPolicy); ok {
			policies = append(policies, pp)
		}
		pw, err := GenerateTemporaryPassword(deps.Rand, policies...)
		if err != nil {
			return res, err
		}
		res.Password = pw
	}

	a := &applier{deps: deps, plan: plan, userName: plan.UserName(), groupName: plan.GroupName(), password: res.Password, runs: map[StepID]*stepRun{}}
	for _, c := range plan.Changes {
		a.runs[c.Step] = &stepRun{change: c, done: make(chan struct{}), exists: make(chan struct{})}
	}
	for _, c := range plan.Changes {
		go a.run(ctx, c.Step)
	}

	var errs []error
	for _, c := range plan.Changes {
		r := a.runs[c.Step]
		deps.report(Event{Kind: StepStarted, Step: c.Step, Subject: c.Subject, Action: c.Action})
		<-r.done
		deps.report(Event{Kind: StepFinished, Step: c.Step, Subject: c.Subject, Action: c.Action, Err: r.err, Done: r.did})
		sr := StepResult{Step: c.Step, Action: c.Action, Done: r.did, err: r.err}
		if r.err != nil {
			sr.Error = r.err.Error()
			errs = append(errs, r.err)
		}
		if c.Step == StepAdminUser {
			res.PasswordSet = r.passwordSet
			res.PasswordUncertain = r.passwordUncertain
		}
		res.Steps = append(res.Steps, sr)
	}
	if !res.PasswordSet && !res.PasswordUncertain {
		res.Password = secret.Value{}
	}
	return res, errors.Join(errs...)
}

type stepRun struct {
	change Change
	done   chan struct{}
	err    error
	did    []locale.Msg

	// exists is closed once the step's entity exists (or could not be
	// made: existsErr), which can be before the step is done: adding the
	// user to the group need not wait for the policy attachment.
	exists     chan struct{}
	existsOnce sync.Once
	existsErr  error
	// recent: the entity is new, made by this run or by an interrupted one
	// moments ago (set before exists is closed).
	recent bool

	passwordSet bool
	// passwordUncertain: the password write got no answer.
	passwordUncertain bool
}

// created reads the answer to the call creating the step's entity (what,
// for example group "admin"; done says it was made). Either way the entity is recent:
// made moments ago, by this run or by an interrupted one whose entity the
// plan's read could not see yet, so writes that need it wait out IAM's
// eventual consistency.
func (r *stepRun) created(err error, what, done locale.Msg) (recent bool, _ error) {
	switch {
	case hasErrorCode(err, "EntityAlreadyExists"):
		// Made by an earlier, interrupted attempt: carry on.
	case err != nil:
		return false, locale.Wrap(locale.M("creating %v: %v", what, err), err)
	default:
		r.did = append(r.did, done)
	}
	return true, nil
}

// markExists says the step's entity exists (err nil) or will not.
func (r *stepRun) markExists(recent bool, err error) {
	r.existsOnce.Do(func() {
		r.recent, r.existsErr = recent, err
		close(r.exists)
	})
}

// applier is the scheduler: it runs each step of the plan in its own
// goroutine, held back by the step's declared waits.
type applier struct {
	deps Deps
	plan Plan
	// userName and groupName are the names the plan found or creates.
	userName, groupName string
	password            secret.Value
	runs                map[StepID]*stepRun
}

// errDependency marks a step that was not attempted because one it needs
// failed.
type errDependency struct{ step StepID }

func (e errDependency) Error() string {
	return fmt.Sprintf("not attempted because step %s failed", e.step)
}

// waitFor blocks until the named steps finished and reports the first that
// failed.
func (a *applier) waitFor(ctx context.Context, steps ...StepID) error {
	for _, s := range steps {
		r, ok := a.runs[s]
		if !ok {
			continue
		}
		select {
		case <-r.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			return errDependency{s}
		}
	}
	return nil
}

// entityExists blocks until the named step's entity exists and reports
// whether it is recent (then writes that need it wait out IAM's eventual
// consistency). A step missing from the plan counts as existing.
func (a *applier) entityExists(ctx context.Context, id StepID) (recent bool, err error) {
	r, ok := a.runs[id]
	if !ok {
		return false, nil
	}
	select {
	case <-r.exists:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	if r.existsErr != nil {
		return false, errDependency{id}
	}
	return r.recent, nil
}

// run applies one step by its declaration.
func (a *applier) run(ctx context.Context, id StepID) {
	r := a.runs[id]
	defer close(r.done)
	// A step that did not say its entity exists says so (or that it
	// failed) when it ends.
	defer func() { r.markExists(false, r.err) }()
	if !r.change.Action.Mutates() {
		return
	}
	if err := ctx.Err(); err != nil {
		r.err = err
		return
	}
	s, ok := stepByID(id)
	if !ok || s.apply == nil {
		r.err = fmt.Errorf("step %s: apply does not know how to %s it", id, r.change.Action)
		return
	}
	if s.waitsFor != nil {
		if err := a.waitFor(ctx, s.waitsFor(a)...); err != nil {
			if !s.blocked.IsZero() {
				err = locale.Wrap(locale.M("%v: %v", s.blocked, err), err)
			}
			r.err = err
			return
		}
	}
	r.err = s.apply(ctx, a, r)
}

// waitOutConsistency makes the SDK's retryer also retry NoSuchEntity, with
// short backoffs, for a write that needs an entity this run created moments
// ago: IAM is eventually consistent and can deny it exists for seconds.
// Only such writes get it, so a real NoSuchEntity elsewhere fails at once.
func waitOutConsistency(needed bool) []func(*iam.Options) {
	if !needed {
		return nil
	}
	return []func(*iam.Options){func(o *iam.Options) {
		if o.Retryer == nil {
			return
		}
		r := retry.AddWithErrorCodes(o.Retryer, "NoSuchEntity")
		r = retry.AddWithMaxAttempts(r, consistencyAttempts)
		o.Retryer = retry.AddWithMaxBackoffDelay(r, 2*time.Second)
	}}
}

// consistencyAttempts bounds the tries of a write waiting for a new entity
// to become visible: with backoffs of up to 2 s, about half a minute.
const consistencyAttempts = 15

// outcomeUnknown reports whether a request may have been carried out
// although it failed: it got no answer from AWS (cancelled, timed out,
// connection lost), as opposed to an error AWS answered with.
func outcomeUnknown(err error) bool { return !awsfacts.Answered(err) }

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
