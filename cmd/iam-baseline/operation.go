package main

import (
	"context"
	"errors"
	"io/fs"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// One operation runs every mode (flags with text or JSON, the wizard, the
// interactive dry run, the demo): read -> questions -> plan -> root keys ->
// checks -> confirm -> apply -> deliver secrets -> summary. Modes differ only
// in the view they pass and a few options, so each rule of the sequence
// (for example "the password file exists before any change") is written
// once, here.

// view is how a mode shows an operation and asks its questions. It words
// and asks; it decides nothing about the order of things.
type view interface {
	// Ask may change the spec after the account was read (the wizard's
	// questions); views without questions return it unchanged.
	Ask(ctx context.Context, spec baseline.Spec, st baseline.State) (baseline.Spec, error)
	// ConfirmCallerLockout asks whether to apply a plan that may deny the
	// caller's own requests without MFA (Plan.LocksOutCaller); views
	// without questions answer no.
	ConfirmCallerLockout(ctx context.Context, plan baseline.Plan) (bool, error)
	// ChooseRootKeys says which of root's access keys to delete, for an
	// operation that asks (askRootKeys).
	ChooseRootKeys(ctx context.Context, keys []baseline.RootAccessKey) (func(baseline.RootAccessKey) bool, error)
	// ConfirmAliasReplacement asks whether the alias asked for may replace
	// the account's alias (r is the plan's ReasonAliasReplaces).
	ConfirmAliasReplacement(ctx context.Context, r baseline.Reason) (bool, error)
	// ShowPlan shows the plan without asking anything.
	ShowPlan(plan baseline.Plan) error
	// Confirm shows the plan and asks whether to apply it.
	Confirm(ctx context.Context, plan baseline.Plan) (bool, error)
	// MFACodes is the view's own way to show a new MFA device and read its
	// codes (the wizard's screen); nil when it has none.
	MFACodes() mfa.CodeSource
	// ShowsPassword says the summary can show a new password to a person.
	ShowsPassword() bool
	// ShowPasswordNow shows a new password to a person before the root
	// access key in use is deleted, and returns once they said it is saved;
	// an error (they did not say so) keeps the key. Only views that show
	// passwords (ShowsPassword) are asked.
	ShowPasswordNow(ctx context.Context, res baseline.Result) error
	// Reporter shows Apply's progress.
	Reporter() baseline.Reporter
	// Summary shows the end of the run: what changed, where the password
	// went, what is left by hand. ctx is not cancelled by the Ctrl-C that
	// stopped the apply, so a password can still be delivered.
	Summary(ctx context.Context, out outcome) error
}

// operation is one run of the baseline.
type operation struct {
	deps baseline.Deps
	spec baseline.Spec
	view view
	// dryRun shows the plan and stops: no question, no change.
	dryRun bool
	// yes applies without asking to confirm.
	yes bool
	// detailed: exit with ExitChanges when there are (dry run) or were
	// (apply) changes.
	detailed bool
	// askRootKeys lets the view choose root's access keys one by one when
	// --delete-root-access-keys did not decide for all of them.
	askRootKeys bool
	// confirmRequireMFA: the operator confirmed that the MFA requirement
	// may cover the user this run signs as.
	confirmRequireMFA bool
	// passwordFile receives a new temporary password (created before any
	// change); showPassword prints it in the summary.
	passwordFile string
	showPassword bool
	// mfaSecretFile enrolls MFA without a person: the otpauth URI goes
	// there.
	mfaSecretFile string
	// replaceAlias lets --account-alias replace the current alias without
	// asking (--replace-account-alias).
	replaceAlias bool
	now          func() time.Time
}

// outcome is what the summary shows.
type outcome struct {
	spec baseline.Spec
	plan baseline.Plan
	// applied: Apply ran (false when there was nothing to change).
	applied  bool
	res      baseline.Result
	delivery delivery
	applyErr error
}

// delivery says where the secrets of the run went.
type delivery struct {
	file  string // the temporary password was written to this file
	shown bool   // the summary shows the temporary password
	// shownEarly: the password was shown, and said to be saved, before the
	// root access key in use was deleted; the summary does not show it again.
	shownEarly bool
	// uncertain: the request setting it got no answer; it may not be in
	// force.
	uncertain bool
	// mfaSecretFile holds the enrolled device's otpauth URI.
	mfaSecretFile string
}

// errNotApplied means the operator declined the plan: nothing was changed.
var errNotApplied = locale.Wrap(locale.M("the plan was not applied: nothing was changed"), nil)

// run runs the operation. The outcome holds the spec the answers made and
// the Result of Apply (zero when nothing was applied).
func (o operation) run(ctx context.Context) (outcome, error) {
	out := outcome{spec: o.spec}
	plan, err := o.plan(ctx, &out)
	if err != nil {
		return out, err
	}
	out.plan = plan
	if o.dryRun {
		if err := o.view.ShowPlan(plan); err != nil {
			return out, err
		}
		return out, o.changesStatus(plan.Pending() > 0)
	}

	codes, err := o.preflight(ctx, plan)
	if err != nil {
		return out, err
	}

	if plan.Pending() == 0 || o.yes {
		err = o.view.ShowPlan(plan)
	} else {
		var ok bool
		if ok, err = o.view.Confirm(ctx, plan); err == nil && !ok {
			err = errNotApplied
		}
	}
	if err != nil {
		return out, err
	}
	if plan.Pending() == 0 {
		out.res = baseline.Result{Account: plan.Account, UserName: plan.UserName(), SignInURL: plan.Account.SignInURL, Manual: plan.Manual()}
		return out, o.view.Summary(context.WithoutCancel(ctx), out)
	}
	return out, o.apply(ctx, &out, codes)
}

// checkPasswordDestination: a new password must have somewhere to go, and
// a file that may hold one in force is not written over.
func (o operation) checkPasswordDestination(plan baseline.Plan) error {
	if !plan.SetsNewPassword() {
		return nil
	}
	if o.passwordFile != "" && !createsLoginProfile(plan) {
		if err := secret.CheckNewFile(o.passwordFile); err != nil {
			return newUsageError([]string{flagPasswordFile},
				locale.M("--%s: %v: the plan sets a new temporary password for %q, and the file may hold one given out before (still in force unless this run replaces it); "+
					"if a run set it moments ago, IAM may not show it yet: wait a minute and run the same command again; else move the file away or name a new file; nothing was changed",
					flagPasswordFile, err, plan.UserName()))
		}
	}
	if plan.DeletesKeyInUse() && o.passwordFile == "" && !o.view.ShowsPassword() {
		// Printed on stdout, a password is neither durable nor confirmed:
		// once the key is gone, a lost copy could not be replaced.
		return newUsageError([]string{flagPasswordFile},
			locale.M("the plan deletes the root access key this run signs with, and the new temporary password for %q must be safe before that: give --%s PATH (created with mode 0600, synced before the key is deleted); nothing was changed",
				plan.UserName(), flagPasswordFile))
	}
	if o.passwordFile == "" && !o.showPassword && !o.view.ShowsPassword() {
		return newUsageError([]string{flagPasswordFile, flagShowPassword},
			locale.M("the plan sets a temporary console password for %q, and without a terminal it must go somewhere: give --%s PATH (created with mode 0600) or --%s; nothing was changed",
				plan.UserName(), flagPasswordFile, flagShowPassword))
	}
	return nil
}

// plan reads the account, lets the view ask its questions, and plans.
func (o operation) plan(ctx context.Context, out *outcome) (baseline.Plan, error) {
	st, err := baseline.ReadState(ctx, o.deps, o.spec)
	if err != nil {
		return baseline.Plan{}, err
	}
	spec := o.spec
	if !o.dryRun {
		if spec, err = o.view.Ask(ctx, spec, st); err != nil {
			return baseline.Plan{}, err
		}
		out.spec = spec
		if !baseline.SameReads(o.spec, spec) {
			// The state read first was for the names and fixes asked before.
			if st, err = baseline.ReadState(ctx, o.deps, spec); err != nil {
				return baseline.Plan{}, err
			}
		}
	}
	plan := baseline.MakePlan(spec, st)
	if !o.dryRun {
		if spec, err = o.confirmAliasReplacement(ctx, spec, plan); err != nil {
			return plan, err
		}
		out.spec = spec
		plan = baseline.MakePlan(spec, st)
	}
	switch {
	case spec.DeleteRootAccessKeys:
		return baseline.PlanRootKeys(ctx, o.deps, spec, plan)
	case !o.askRootKeys || !baseline.RootKeysDeletable(plan):
		return plan, nil
	}
	keys, err := baseline.ReadRootAccessKeys(ctx, o.deps)
	if err != nil {
		return plan, err
	}
	confirmed, err := o.view.ChooseRootKeys(ctx, keys)
	if err != nil {
		return plan, err
	}
	return baseline.PlanRootAccessKeyDeletion(plan, keys, confirmed), nil
}

// confirmAliasReplacement makes replacing the account's alias a choice of
// its own, as it breaks the old sign-in URL: --replace-account-alias, or
// the view's question, which --yes does not answer. A declined replacement
// keeps the current alias (the returned spec asks for none).
func (o operation) confirmAliasReplacement(ctx context.Context, spec baseline.Spec, plan baseline.Plan) (baseline.Spec, error) {
	r, ok := plan.AliasReplacement()
	if !ok || o.replaceAlias {
		return spec, nil
	}
	if o.yes {
		return spec, newUsageError([]string{flagReplaceAccountAlias},
			locale.M("--%s %s would replace the account's alias %q, and %s would stop working: add --%s to replace it, or give --%s %s to keep it; nothing was changed",
				flagAccountAlias, r.Asked, r.Alias, r.URL, flagReplaceAccountAlias, flagAccountAlias, r.Alias))
	}
	replace, err := o.view.ConfirmAliasReplacement(ctx, r)
	if err != nil || replace {
		return spec, err
	}
	spec.AccountAlias = ""
	return spec, nil
}

// preflight checks what only the plan can tell, before any change, and
// says where the codes of a new MFA device come from.
func (o operation) preflight(ctx context.Context, plan baseline.Plan) (mfa.CodeSource, error) {
	// Every missing destination is reported at once.
	codes, mfaErr := o.mfaCodes(plan)
	if err := joinUsageErrors(o.checkPasswordDestination(plan), mfaErr); err != nil {
		return nil, err
	}
	return codes, o.checkCallerLockout(ctx, plan)
}

// checkCallerLockout refuses a plan whose MFA requirement may deny this
// run's own caller, unless the operator confirmed it: with the flag, or
// the view's answer.
func (o operation) checkCallerLockout(ctx context.Context, plan baseline.Plan) error {
	if !plan.LocksOutCaller() || o.confirmRequireMFA {
		return nil
	}
	ok, err := o.view.ConfirmCallerLockout(ctx, plan)
	if err != nil || ok {
		return err
	}
	return newUsageError([]string{flagConfirmRequireMFA, flagRequireMFA},
		locale.M("this run signs as IAM user %q, which the plan's MFA requirement covers, and its session may have no MFA: once the policy is in force, "+
			"everything but getting MFA is denied to it, this run included; hint: sign with an MFA session (aws sts get-session-token --serial-number ... --token-code ...), "+
			"or give --%s if it has one, or --%s=false; nothing was changed",
			plan.Account.CallerUserName, flagConfirmRequireMFA, flagRequireMFA))
}

// mfaCodes is where the codes of a new MFA device come from: the secret
// file when one was named, else the view.
func (o operation) mfaCodes(plan baseline.Plan) (mfa.CodeSource, error) {
	if !plan.EnrollsMFA() {
		return nil, nil
	}
	if o.mfaSecretFile != "" {
		if err := o.checkSeedFile(plan); err != nil {
			return nil, err
		}
		src, err := mfa.NewSecretFileSource(o.mfaSecretFile, o.now)
		if err != nil {
			return nil, newUsageError([]string{flagMFASecretFile}, locale.M("--%s: %v", flagMFASecretFile, err))
		}
		return src, nil
	}
	if codes := o.view.MFACodes(); codes != nil {
		return codes, nil
	}
	return nil, newUsageError([]string{flagMFASecretFile, flagSkipMFA},
		locale.M("the plan enrolls a virtual MFA device for %q, and without a terminal to show its QR code on it needs --%s PATH (the otpauth URI is written there, mode 0600), or --%s to leave MFA out; nothing was changed",
			plan.UserName(), flagMFASecretFile, flagSkipMFA))
}

// checkSeedFile: an MFA secret file that exists is written over only when
// what it holds opens nothing (mfa.SeedFileReplaceable): the plan enrolls a
// device, so the user has none.
func (o operation) checkSeedFile(plan baseline.Plan) error {
	labels := []string{plan.Account.ID, plan.Account.Alias}
	if al, ok := plan.Change(baseline.StepAccountAlias).After.(baseline.AccountAlias); ok {
		labels = append(labels, al.Alias)
	}
	ok, err := mfa.SeedFileReplaceable(o.mfaSecretFile, plan.UserName(), labels...)
	if errors.Is(err, fs.ErrNotExist) || ok {
		return nil
	}
	if err == nil {
		err = locale.Wrap(locale.M("it exists and holds no seed of a device of %s in this account", plan.UserName()), nil)
	}
	return newUsageError([]string{flagMFASecretFile},
		locale.M("--%s %s: %v: refusing to overwrite it, as it may hold the only copy of another device's seed; move it away or name a new file; nothing was changed",
			flagMFASecretFile, o.mfaSecretFile, err))
}

// apply applies the plan, delivers the password and shows the summary.
func (o operation) apply(ctx context.Context, out *outcome, codes mfa.CodeSource) error {
	// The password file is created before any change, so that a password
	// that gets set always has somewhere to go.
	var pwFile *secret.File
	if out.plan.SetsNewPassword() && o.passwordFile != "" {
		create := secret.CreateFile
		if createsLoginProfile(out.plan) && secret.CheckNewFile(o.passwordFile) != nil {
			create = secret.CreateReplacement
		}
		f, err := create(o.passwordFile)
		if err != nil {
			return newUsageError([]string{flagPasswordFile}, locale.M("--%s: %v; nothing was changed", flagPasswordFile, err))
		}
		pwFile = f
	}
	deps := o.deps
	deps.Reporter = o.view.Reporter()
	deps.MFACodes = codes
	early := o.deliverEarly(ctx, out.plan, pwFile)
	if early != nil {
		deps.DeliverPassword = early.deliver
	}
	res, applyErr := baseline.Apply(ctx, out.plan, deps)
	out.applied, out.res, out.applyErr = true, res, applyErr

	var d delivery
	var deliverErr error
	if early != nil && early.tried {
		d, deliverErr = early.d, early.err
	} else {
		d, deliverErr = o.deliverPassword(res, pwFile)
	}
	if _, ok := codes.(*mfa.SecretFileSource); ok && mfaEnrolled(res) {
		d.mfaSecretFile = o.mfaSecretFile
	}
	out.delivery = d
	// Delivering the password must not be cut short by the Ctrl-C that
	// stopped the apply; a second Ctrl-C still ends the process at once.
	if err := o.view.Summary(context.WithoutCancel(ctx), *out); err != nil {
		if d.shown {
			err = locale.Wrap(locale.M("showing the summary with the new temporary password of %q: %v; hint: the password is set but was not delivered: "+
				"run the same command again with --%s --%s PATH (a new file) to set and keep a new one", out.plan.UserName(), err, flagResetPassword, flagPasswordFile), err)
		}
		return errors.Join(applyErr, deliverErr, err)
	}
	if applyErr != nil {
		return errors.Join(applyError(applyErr, res), deliverErr)
	}
	if deliverErr != nil {
		return deliverErr
	}
	return o.changesStatus(res.Changed())
}

// applyError is the error of an apply that did not complete. The progress
// showed each failed step's error as it happened; the final message does not
// print them a second time (errors.Is and As still see them, and --debug
// prints them).
func applyError(err error, res baseline.Result) error {
	failed := 0
	for _, s := range res.Steps {
		if s.Err() != nil {
			failed++
		}
	}
	if failed == 0 {
		return locale.Wrap(locale.M("applying the baseline: %v; hint: run again to finish (the same command): it picks up where this run stopped", err), err)
	}
	// The step errors were shown: this one tells them again in short.
	return locale.Wrap(locale.M("applying the baseline: %d step(s) did not complete, as shown above; hint: run again to finish (the same command): it picks up where this run stopped", failed), err)
}

// createsLoginProfile: the plan gives the user its first console password.
// No password of the user is in force then, so a password file left by an
// earlier run (one whose request was never applied, or another account's
// temporary password, which --reset-password renews there) is replaced;
// a run that replaces a password in force (--reset-password) never writes
// over a file that may hold it.
func createsLoginProfile(plan baseline.Plan) bool {
	before, _ := plan.Change(baseline.StepAdminUser).Before.(baseline.AdminUser)
	return plan.SetsNewPassword() && !before.LoginProfile
}

// deliverEarly is how Apply delivers a new password before it deletes the
// root access key this run signs with (Deps.DeliverPassword): to the
// password file, or shown by a view that shows passwords, which waits until
// the operator says it is saved (the summary then does not show it again).
// Nil when the password is delivered after Apply, as usual.
func (o operation) deliverEarly(ctx context.Context, plan baseline.Plan, pwFile *secret.File) *earlyDelivery {
	early := &earlyDelivery{}
	switch {
	case pwFile != nil:
		early.deliver = func(pw secret.Value, uncertain bool) error {
			early.tried = true
			early.d, early.err = o.deliverPassword(baseline.Result{Password: pw, PasswordSet: !uncertain, PasswordUncertain: uncertain}, pwFile)
			return early.err
		}
	case plan.DeletesKeyInUse() && o.view.ShowsPassword():
		early.deliver = func(pw secret.Value, uncertain bool) error {
			early.tried = true
			res := baseline.Result{Password: pw, PasswordSet: !uncertain, PasswordUncertain: uncertain,
				UserName: plan.UserName(), SignInURL: plan.Account.SignInURL}
			if early.err = o.view.ShowPasswordNow(ctx, res); early.err == nil {
				early.d = delivery{shownEarly: true, uncertain: uncertain}
			}
			return early.err
		}
	default:
		return nil
	}
	return early
}

// earlyDelivery is a delivery Apply asked for (Deps.DeliverPassword).
type earlyDelivery struct {
	tried   bool
	deliver func(pw secret.Value, uncertain bool) error
	d       delivery
	err     error
}

// changesStatus is the exit status for --detailed-exitcode.
func (o operation) changesStatus(changes bool) error {
	if o.detailed && changes {
		return ChangesPresent()
	}
	return nil
}

// mfaEnrolled reports whether Apply enrolled the MFA device.
func mfaEnrolled(res baseline.Result) bool {
	for _, s := range res.Steps {
		if s.Step == baseline.StepUserMFA && s.Action.Mutates() && s.Err() == nil && len(s.Done) > 0 {
			return true
		}
	}
	return false
}

// deliverPassword hands the new temporary password over once: to the
// password file, or to the summary. A password file that was not needed is
// removed again.
func (o operation) deliverPassword(res baseline.Result, pwFile *secret.File) (delivery, error) {
	have := res.PasswordSet || res.PasswordUncertain
	if pwFile == nil {
		return delivery{shown: have && (o.showPassword || o.view.ShowsPassword()), uncertain: have && res.PasswordUncertain}, nil
	}
	name := pwFile.Name()
	if !have {
		// Not needed after all: no empty file is left behind.
		return delivery{}, pwFile.Discard()
	}
	if err := pwFile.Write(res.Password); err != nil {
		return delivery{}, locale.Wrap(locale.M("writing the temporary password to %s: %v; hint: run again with --%s to set a new one", name, err, flagResetPassword), err)
	}
	return delivery{file: name, uncertain: res.PasswordUncertain}, nil
}
