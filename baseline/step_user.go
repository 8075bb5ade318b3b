package baseline

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go/middleware"
)

// The administrator user: created, given a temporary console password that
// must be changed at first sign-in, and added to the admin group. It waits
// for nothing before it starts; adding it to the group waits mid-apply for
// the group to exist, not for its policy.
func adminUserStep() step {
	return step{id: StepAdminUser, plan: planUser, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyUser(ctx, r)
	}}
}

// AdminUser is the admin-user step's view.
type AdminUser struct {
	Name         string   `json:"name"`
	LoginProfile bool     `json:"login_profile"`
	Groups       []string `json:"groups"`
	// PasswordResetRequired is set on After: the password must be changed at
	// first sign-in.
	PasswordResetRequired bool `json:"password_reset_required"`
	// NewTemporaryPassword (After only) says Apply sets a new temporary
	// password: a new login profile, or --reset-password.
	NewTemporaryPassword bool `json:"new_temporary_password,omitempty"`
}

func planUser(in planInput) Change {
	spec, st := in.Spec, in.State
	name, group := spec.UserName, spec.GroupName
	c := Change{
		Step:    StepAdminUser,
		Subject: Subject{User: name, Group: group},
	}
	after := AdminUser{Name: name, LoginProfile: true, PasswordResetRequired: true}
	if st.User == nil {
		after.Groups = []string{group}
		after.NewTemporaryPassword = true
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonUserMissing, User: name}}
		c.Details = []locale.Msg{
			locale.M("create user %s", name),
			locale.M("create a console password (temporary, must be changed at first sign-in)"),
			locale.M("add %s to group %s", name, group),
		}
		c.After = after
		return c
	}
	before := AdminUser{Name: st.User.Name, LoginProfile: st.LoginProfile != nil, Groups: slices.Clone(st.User.Groups)}
	if st.LoginProfile != nil {
		before.PasswordResetRequired = st.LoginProfile.PasswordResetRequired
	}
	c.Before = before
	after.Name = st.User.Name
	after.Groups = slices.Clone(st.User.Groups)
	var lacks []Reason
	switch {
	case st.LoginProfile == nil:
		after.NewTemporaryPassword = true
		lacks = append(lacks, Reason{Code: ReasonNoLoginProfile})
		c.Details = append(c.Details, locale.M("create a console password (temporary, must be changed at first sign-in)"))
	case spec.ResetPassword:
		after.NewTemporaryPassword = true
		lacks = append(lacks, Reason{Code: ReasonPasswordResetAsked})
		c.Details = append(c.Details, locale.M("set a new temporary console password (must be changed at first sign-in)"))
	default:
		after.PasswordResetRequired = st.LoginProfile.PasswordResetRequired
	}
	keptPassword := Reason{Code: ReasonPasswordKept}
	if st.LoginProfile != nil && st.LoginProfile.PasswordResetRequired && st.User.PasswordLastUsed == nil {
		// Likely a temporary password from an earlier run; if that run died
		// before handing it over, only a reset gets the operator in.
		keptPassword = Reason{Code: ReasonTemporaryPasswordKept}
	}
	if !st.InGroup(group) {
		after.Groups = append(after.Groups, group)
		lacks = append(lacks, Reason{Code: ReasonNotInGroup, Group: group})
		c.Details = append(c.Details, locale.M("add %s to group %s", st.User.Name, group))
	}
	c.After = after
	if len(lacks) == 0 {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonUserReady, User: st.User.Name, Group: group}, keptPassword}
		return c
	}
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonUserIncomplete, User: st.User.Name, Lacks: lacks}}
	if !after.NewTemporaryPassword {
		c.Reasons = append(c.Reasons, keptPassword)
	}
	return c
}

func (a *applier) applyUser(ctx context.Context, r *stepRun) error {
	name := a.userName
	before, _ := r.change.Before.(AdminUser)
	after, _ := r.change.After.(AdminUser)
	created := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)})
		if created, err = r.created(err, locale.M("user %q", name), locale.M("created user %s", name)); err != nil {
			return err
		}
	}
	r.markExists(created, nil)
	// The login profile and the membership both need the user, not each
	// other: do them at once.
	errs := make(chan error, 2)
	var passwordDone, groupDone []locale.Msg
	passwordSet := false
	go func() {
		if !after.NewTemporaryPassword {
			errs <- nil
			return
		}
		var unknown atomic.Bool
		did, set, err := a.setPassword(ctx, name, before.LoginProfile, created, &unknown)
		passwordDone, passwordSet = did, set
		if err != nil && (outcomeUnknown(err) || unknown.Load()) {
			// An attempt got no answer or a server error: it may have
			// set this run's password, which is then handed over with
			// that caveat rather than dropped.
			r.passwordUncertain = true
		}
		errs <- err
	}()
	go func() {
		if containsFold(before.Groups, a.groupName) {
			errs <- nil
			return
		}
		groupRecent, err := a.entityExists(ctx, StepAdminGroup)
		if err != nil {
			errs <- locale.Wrap(locale.M("adding user %q to group %q: %v", name, a.groupName, err), err)
			return
		}
		_, err = a.deps.IAM.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(a.groupName)},
			waitOutConsistency(created || groupRecent)...)
		if err != nil {
			errs <- locale.Wrap(locale.M("adding user %q to group %q: %v", name, a.groupName, err), err)
			return
		}
		groupDone = []locale.Msg{locale.M("added %s to group %s", name, a.groupName)}
		errs <- nil
	}()
	err := errors.Join(<-errs, <-errs)
	r.passwordSet = passwordSet
	r.did = append(r.did, passwordDone...)
	r.did = append(r.did, groupDone...)
	return err
}

// setPassword gives the user a console password that must be changed at
// first sign-in. set says this run's password is the one in force; unknown
// is set when an attempt may have been carried out unseen
// (noteUnknownOutcomes).
func (a *applier) setPassword(ctx context.Context, name string, hadProfile, created bool, unknown *atomic.Bool) (did []locale.Msg, set bool, _ error) {
	pw := a.password.Reveal()
	update := func(opts ...func(*iam.Options)) error {
		_, err := a.deps.IAM.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: aws.Bool(true)},
			append(opts, noteUnknownOutcomes(unknown))...)
		return err
	}
	if hadProfile {
		if err := update(); err != nil {
			return nil, false, locale.Wrap(locale.M("setting a new temporary password for %q: %v", name, err), err)
		}
		return []locale.Msg{locale.M("set a new temporary console password for %s", name)}, true, nil
	}
	_, err := a.deps.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: true},
		append(waitOutConsistency(created), noteUnknownOutcomes(unknown))...)
	if hasErrorCode(err, "EntityAlreadyExists") && !unknown.Load() {
		// Every earlier attempt was refused, so none of them made the
		// profile: another run (or person) did, after the plan was read,
		// and may be handing its password over right now. Replacing it
		// would silently break that one, so it stays, and this run's
		// password, never in force, is not handed over.
		return []locale.Msg{locale.M("left the console password another run or person gave %s moments ago as it is, and set none: use the password that run handed over "+
			"(it was never used to sign in, so if nobody has it, for example because that run stopped before handing it over, --reset-password sets a new one)", name)}, false, nil
	}
	if hasErrorCode(err, "EntityAlreadyExists") {
		// An attempt whose answer was lost may have made the profile with
		// this run's password, or another run may have made it meanwhile.
		// Only a password this run knows can be handed over, so set it
		// (waiting for the profile to become visible, as it is that new).
		err = update(waitOutConsistency(true)...)
		if err == nil {
			// It may also be an earlier run's, made moments ago and not
			// yet visible to the plan: say that its password is gone.
			return []locale.Msg{locale.M("set a new temporary console password for %s (a login profile appeared after the plan was read; a temporary password given out before no longer works)", name)}, true, nil
		}
	}
	if err != nil {
		return nil, false, locale.Wrap(locale.M("creating a console password for %q: %v", name, err), err)
	}
	return []locale.Msg{locale.M("created a console password for %s (must be changed at first sign-in)", name)}, true, nil
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
					if err != nil && (!errors.As(err, &re) || re.HTTPStatusCode() < 400 || re.HTTPStatusCode() >= 500) {
						unknown.Store(true)
					}
					return out, md, err
				}), "Retry", middleware.After)
		})
	}
}
