package baseline

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
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
		if created, err = r.created(err, "user", name, locale.M("created user %s", name)); err != nil {
			return err
		}
	}
	r.markExists(created, nil)
	// The login profile and the membership both need the user, not each
	// other: do them at once.
	errs := make(chan error, 2)
	var passwordDone, groupDone []locale.Msg
	go func() {
		if !after.NewTemporaryPassword {
			errs <- nil
			return
		}
		did, err := a.setPassword(ctx, name, before.LoginProfile, created)
		passwordDone = did
		if err != nil && outcomeUnknown(err) {
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
			errs <- fmt.Errorf("adding user %q to group %q: %w", name, a.groupName, err)
			return
		}
		_, err = a.deps.IAM.AddUserToGroup(ctx, &iam.AddUserToGroupInput{UserName: aws.String(name), GroupName: aws.String(a.groupName)},
			waitOutConsistency(created || groupRecent)...)
		if err != nil {
			errs <- fmt.Errorf("adding user %q to group %q: %w", name, a.groupName, err)
			return
		}
		groupDone = []locale.Msg{locale.M("added %s to group %s", name, a.groupName)}
		errs <- nil
	}()
	err := errors.Join(<-errs, <-errs)
	if len(passwordDone) > 0 {
		r.passwordSet = true
	}
	r.did = append(r.did, passwordDone...)
	r.did = append(r.did, groupDone...)
	return err
}

// setPassword gives the user a console password that must be changed at
// first sign-in.
func (a *applier) setPassword(ctx context.Context, name string, hadProfile, created bool) ([]locale.Msg, error) {
	pw := a.password.Reveal()
	update := func(opts ...func(*iam.Options)) error {
		_, err := a.deps.IAM.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: aws.Bool(true)}, opts...)
		return err
	}
	if hadProfile {
		if err := update(); err != nil {
			return nil, fmt.Errorf("setting a new temporary password for %q: %w", name, err)
		}
		return []locale.Msg{locale.M("set a new temporary console password for %s", name)}, nil
	}
	_, err := a.deps.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw), PasswordResetRequired: true},
		waitOutConsistency(created)...)
	if hasErrorCode(err, "EntityAlreadyExists") {
		// A login profile appeared since the plan was made, most likely from
		// this very request whose answer was lost. Only a password this run
		// knows can be handed over, so set it (waiting for the profile to
		// become visible, as it is that new).
		err = update(waitOutConsistency(true)...)
		if err == nil {
			// It may also be an earlier run's, made moments ago and not
			// yet visible to the plan: say that its password is gone.
			return []locale.Msg{locale.M("set a new temporary console password for %s (a login profile appeared after the plan was read; a temporary password given out before no longer works)", name)}, nil
		}
	}
	if err != nil {
		return nil, fmt.Errorf("creating a console password for %q: %w", name, err)
	}
	return []locale.Msg{locale.M("created a console password for %s (must be changed at first sign-in)", name)}, nil
}
