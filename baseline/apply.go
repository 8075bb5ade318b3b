package baseline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// StepResult is what Apply did for one step.
type StepResult struct {
	Step   StepID `json:"step"`
	Action Action `json:"action"`
	// Done lists the changes made, for example "created user administrator".
	Done []string `json:"done,omitempty"`
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
var ErrMFAUnavailable = errors.New("the plan enrolls a virtual MFA device but no MFA code source is available")

// Apply performs the plan's changes. Steps that do not depend on each other
// run at the same time (the group, the user, the password policy and the
// alias); a step that needs another waits for it. Events are reported in plan
// order all the same. Apply returns the Result even when a step failed: it
// says what was done, and holds the password if one was set, so the caller
// can still deliver it. A failed run is finished by planning and applying
// again.
func Apply(ctx context.Context, plan Plan, spec Spec, deps Deps) (Result, error) {
	res := Result{
		Account:   plan.Account,
		UserName:  spec.UserName,
		SignInURL: plan.Account.SignInURL,
	}
	for _, c := range plan.Changes {
		if c.Action == ActionManual {
			res.Manual = append(res.Manual, c)
		}
	}
	byStep := map[StepID]Change{}
	for _, c := range plan.Changes {
		byStep[c.Step] = c
	}
	if c, ok := byStep[StepUserMFA]; ok && c.Action.Mutates() && deps.MFACodes == nil {
		return res, fmt.Errorf("enrolling MFA for %q: %w; hint: use --skip-mfa, or enroll it on a terminal", spec.UserName, ErrMFAUnavailable)
	}

	// The password exists before any change, so a failure to make one
	// leaves the account untouched.
	if u, ok := byStep[StepAdminUser].After.(AdminUser); ok && u.NewTemporaryPassword {
		policies := []PasswordPolicy{spec.PasswordPolicy}
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

	a := &applier{deps: deps, spec: spec, plan: plan, password: res.Password, runs: map[StepID]*stepRun{},
		groupExists: make(chan struct{}), userExists: make(chan struct{})}
	for _, c := range plan.Changes {
		a.runs[c.Step] = &stepRun{change: c, done: make(chan struct{})}
	}
	for _, c := range plan.Changes {
		go a.run(ctx, c.Step)
	}

	var errs []error
	for _, c := range plan.Changes {
		r := a.runs[c.Step]
		deps.report(Event{Kind: StepStarted, Step: c.Step, Title: c.Title, Action: c.Action})
		<-r.done
		deps.report(Event{Kind: StepFinished, Step: c.Step, Title: c.Title, Action: c.Action, Err: r.err, Done: r.did})
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
	change      Change
	done        chan struct{}
	err         error
	did         []string
	passwordSet bool
	// passwordUncertain: the password write got no answer.
	passwordUncertain bool
}

type applier struct {
	deps     Deps
	spec     Spec
	plan     Plan
	password secret.Value
	runs     map[StepID]*stepRun

	// groupExists is closed once the group exists (or could not be
	// created: groupErr): adding the user to it need not wait for the policy
	// attachment.
	groupExists chan struct{}
	groupOnce   sync.Once
	groupErr    error
	// groupCreated: the group is new, made by this run or by an interrupted
	// one moments ago (set before groupExists is closed).
	groupCreated bool

	// userExists is closed once the user exists (or could not be created:
	// userErr): an MFA device that no person is waiting on can be enabled
	// then, without waiting for the password and the group membership.
	userExists chan struct{}
	userOnce   sync.Once
	userErr    error
}

func (a *applier) markUser(err error) {
	a.userOnce.Do(func() {
		a.userErr = err
		close(a.userExists)
	})
}

func (a *applier) markGroup(err error) {
	a.groupOnce.Do(func() {
		a.groupErr = err
		close(a.groupExists)
	})
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

func (a *applier) run(ctx context.Context, step StepID) {
	r := a.runs[step]
	defer close(r.done)
	switch step {
	case StepAdminGroup:
		defer func() { a.markGroup(r.err) }()
	case StepAdminUser:
		defer func() { a.markUser(r.err) }()
	}
	if !r.change.Action.Mutates() {
		return
	}
	if err := ctx.Err(); err != nil {
		r.err = err
		return
	}
	switch step {
	case StepAdminGroup:
		r.err = a.applyGroup(ctx, r)
	case StepAdminUser:
		r.err = a.applyUser(ctx, r)
	case StepPasswordPolicy:
		r.err = a.applyPasswordPolicy(ctx, r)
	case StepAccountAlias:
		r.err = a.applyAlias(ctx, r)
	case StepRootAccessKeys:
		r.err = a.applyRootKeys(ctx, r)
	case StepRootAccessKeyInUse:
		r.err = a.applyRootKeyInUse(ctx, r)
	case StepUserMFA:
		if u, ok := a.deps.MFACodes.(mfa.Unattended); ok && u.Unattended() {
			// No person takes part: create the device alongside the other
			// steps and enable it as soon as the user exists.
			r.err = a.enrollMFA(ctx, r, true)
			return
		}
		// A person takes part in this step: start it only once everything
		// before it is done.
		if err := a.waitFor(ctx, StepAdminGroup, StepAdminUser, StepPasswordPolicy); err != nil {
			r.err = err
			return
		}
		r.err = a.enrollMFA(ctx, r, false)
	default:
		r.err = fmt.Errorf("step %s: apply does not know how to %s it", step, r.change.Action)
	}
}

// enrollMFA enrolls the user's virtual MFA device. With overlap, it trusts
// the plan's view of the devices (read moments ago) and creates the device
// at once, enabling it when the user exists.
func (a *applier) enrollMFA(ctx context.Context, r *stepRun, overlap bool) error {
	// The authenticator app lists the account by alias when it has one,
	// including one this run is creating. A person's enrollment waits for
	// the alias to exist; an unattended one does not hold the device back
	// for a label, and names the planned alias even if creating it fails.
	label := a.plan.Account.Alias
	if c, ok := a.runs[StepAccountAlias]; ok {
		if !overlap {
			select {
			case <-c.done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if al, ok := c.change.After.(AccountAlias); ok && al.Alias != "" && (overlap || c.err == nil) {
			label = al.Alias
		}
	}
	if label == "" {
		label = a.plan.Account.ID
	}
	req := mfa.Request{
		UserName:     a.spec.UserName,
		DeviceName:   a.spec.MFADeviceName,
		AccountLabel: label,
		Issuer:       a.deps.MFAIssuer,
		Serial:       "arn:" + a.plan.Account.Partition + ":iam::" + a.plan.Account.ID + ":mfa/" + a.spec.MFADeviceName,
		Now:          a.deps.Now,
	}
	if overlap {
		before, _ := r.change.Before.(UserMFA)
		after, _ := r.change.After.(UserMFA)
		req.Known = &mfa.KnownDevices{UserDevices: before.Devices}
		if after.RemoveUnassigned != "" {
			req.Known.Unassigned = []string{after.RemoveUnassigned}
		}
		req.Ready = func(ctx context.Context) error {
			select {
			case <-a.userExists:
			case <-ctx.Done():
				return ctx.Err()
			}
			if a.userErr != nil {
				return errDependency{StepAdminUser}
			}
			return nil
		}
	}
	res, err := mfa.Enroll(ctx, a.deps.IAM, a.deps.MFACodes, req)
	for _, s := range res.RemovedStale {
		r.did = append(r.did, "deleted unassigned virtual MFA device "+s)
	}
	if err != nil {
		// mfa's errors name the user and say what was cleaned up.
		return err
	}
	if res.Outcome == mfa.OutcomeEnrolled {
		r.did = append(r.did, "enabled virtual MFA device "+res.SerialNumber+" for "+a.spec.UserName)
	}
	return nil
}

func (a *applier) applyGroup(ctx context.Context, r *stepRun) error {
	name := a.spec.GroupName
	// recent: the group was made moments ago (by this run, or by an
	// interrupted one that the plan's read could not see yet): writes that
	// need it wait out IAM's eventual consistency.
	recent := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
		switch {
		case hasErrorCode(err, "EntityAlreadyExists"):
			// Made by an earlier, interrupted attempt: carry on.
			recent = true
		case err != nil:
			return fmt.Errorf("creating group %q: %w", name, err)
		default:
			recent = true
			r.did = append(r.did, "created group "+name)
		}
	}
	a.groupCreated = recent
	a.markGroup(nil)
	arn := AdminPolicyARN(a.plan.Account.Partition)
	if _, err := a.deps.IAM.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(name), PolicyArn: aws.String(arn)}, waitOutConsistency(recent)...); err != nil {
		return fmt.Errorf("attaching %s to group %q: %w", arn, name, err)
	}
	r.did = append(r.did, "attached "+arn+" to group "+name)
	return nil
}

func (a *applier) applyUser(ctx context.Context, r *stepRun) error {
	name := a.spec.UserName
	before, _ := r.change.Before.(AdminUser)
	after, _ := r.change.After.(AdminUser)
	// created: the user was made moments ago, by this run or by an
	// interrupted one that the plan's read could not see yet (as for the
	// group): writes that need it wait out IAM's eventual consistency.
	created := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
		switch {
		case hasErrorCode(err, "EntityAlreadyExists"):
			created = true
		case err != nil:
			return fmt.Errorf("creating user %q: %w", name, err)
		default:
			created = true
			r.did = append(r.did, "created user "+name)
		}
	}
	a.markUser(nil)
	// The login profile and the membership both need the user, not each
	// other: do them at once.
	errs := make(chan error, 2)
	var passwordDone, groupDone []string
	passwordSet := false
	go func() {
		if !after.NewTemporaryPassword {
			errs <- nil
			return
		}
		did, set, err := a.setPassword(ctx, name, before.LoginProfile, created)
		passwordDone, passwordSet = did, set
		if err != nil && outcomeUnknown(err) {
			r.passwordUncertain = true
		}
		errs <- err
	}()
	go func() {
		if containsFold(before.Groups, a.spec.GroupName) {
			errs <- nil
			return
		}
		select {
		case <-a.groupExists:
		case <-ctx.Done():
			errs <- ctx.Err()
			return
		}
		if a.groupErr != nil {
			errs <- fmt.Errorf("adding user %q to group %q: %w", name, a.spec.GroupName, errDependency{StepAdminGroup})
			return
		}
		_, err := a.deps.IAM.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(a.spec.GroupName)},
			waitOutConsistency(created || a.groupCreated)...)
		if err != nil {
			errs <- fmt.Errorf("adding user %q to group %q: %w", name, a.spec.GroupName, err)
			return
		}
		groupDone = []string{"added " + name + " to group " + a.spec.GroupName}
		errs <- nil
	}()
	err := errors.Join(<-errs, <-errs)
	r.passwordSet = passwordSet
	r.did = append(r.did, passwordDone...)
	r.did = append(r.did, groupDone...)
	return err
}

// setPassword gives the user a console password that must be changed at
// first sign-in. set says this run's password is the one in force.
func (a *applier) setPassword(ctx context.Context, name string, hadProfile, created bool) (did []string, set bool, _ error) {
	pw := a.password.Reveal()
	update := func(opts ...func(*iam.Options)) error {
		_, err := a.deps.IAM.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: aws.Bool(true)}, opts...)
		return err
	}
	if hadProfile {
		if err := update(); err != nil {
			return nil, false, fmt.Errorf("setting a new temporary password for %q: %w", name, err)
		}
		return []string{"set a new temporary console password for " + name}, true, nil
	}
	var unknown atomic.Bool
	_, err := a.deps.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: true},
		append(waitOutConsistency(created), noteUnknownOutcomes(&unknown))...)
	if hasErrorCode(err, "EntityAlreadyExists") && !unknown.Load() {
		// Every earlier attempt was refused, so none of them made the
		// profile: another run (or person) did, after the plan was read,
		// and may be handing its password over right now. Replacing it
		// would silently break that one, so it stays, and this run's
		// password, never in force, is not handed over.
		return []string{"left the console password another run or person gave " + name + " moments ago as it is, and set none: use the password that run handed over " +
			"(it was never used to sign in, so if nobody has it, for example because that run stopped before handing it over, --reset-password sets a new one)"}, false, nil
	}
	if hasErrorCode(err, "EntityAlreadyExists") {
		// An attempt whose answer was lost may have made the profile with
		// this run's password, or another run may have made it meanwhile.
		// Only a password this run knows can be handed over, so set it
		// (waiting for the profile to become visible, as it is that new).
		err = update(waitOutConsistency(true)...)
		if err == nil {
			return []string{"set a new temporary console password for " + name + " (a login profile appeared after the plan was read; a temporary password given out before no longer works)"}, true, nil
		}
	}
	if err != nil {
		return nil, false, fmt.Errorf("creating a console password for %q: %w", name, err)
	}
	return []string{"created a console password for " + name + " (must be changed at first sign-in)"}, true, nil
}

// noteUnknownOutcomes sets unknown when an attempt of one call (the SDK's
// retryer may make several) ended without a refusal from IAM: no answer,
// or a server error, after which the request may have been carried out. A
// 4xx answer (NoSuchEntity while IAM catches up, Throttling) means it was
// not.
func noteUnknownOutcomes(unknown *atomic.Bool) func(*iam.Options) {
	return func(o *iam.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Insert(middleware.FinalizeMiddlewareFunc("IAMBaselineNoteUnknownOutcomes",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					out, md, err := next.HandleFinalize(ctx, in)
					var re *awshttp.ResponseError
					if err != nil && !(errors.As(err, &re) && re.HTTPStatusCode() >= 400 && re.HTTPStatusCode() < 500) {
						unknown.Store(true)
					}
					return out, md, err
				}), "Retry", middleware.After)
		})
	}
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

func (a *applier) applyPasswordPolicy(ctx context.Context, r *stepRun) error {
	p, ok := r.change.After.(PasswordPolicy)
	if !ok {
		return fmt.Errorf("password policy step has no target policy")
	}
	if _, err := a.deps.IAM.UpdateAccountPasswordPolicy(ctx, p.toAWS()); err != nil {
		return fmt.Errorf("setting the account password policy: %w", err)
	}
	if r.change.Action == ActionCreate {
		r.did = append(r.did, "set the account password policy")
	} else {
		r.did = append(r.did, "updated the account password policy")
	}
	return nil
}

func (a *applier) applyAlias(ctx context.Context, r *stepRun) error {
	alias := a.spec.AccountAlias
	if _, err := a.deps.IAM.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(alias)}); err != nil {
		hint := ""
		if hasErrorCode(err, "EntityAlreadyExists") {
			hint = "; hint: account aliases are unique across all of AWS, choose another --account-alias"
		}
		return fmt.Errorf("creating account alias %q: %w%s", alias, err, hint)
	}
	r.did = append(r.did, "created account alias "+alias)
	return nil
}

// outcomeUnknown reports whether a request may have been carried out
// although it failed: it got no answer from AWS (cancelled, timed out,
// connection lost), as opposed to an error AWS answered with.
func outcomeUnknown(err error) bool {
	var apiErr smithy.APIError
	return !errors.As(err, &apiErr)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
