package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/mfa"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// policyFlags answer the password policy question.
var policyFlags = []string{
	flagPasswordMinLength, flagPasswordReusePrevention, flagPasswordMaxAge,
	flagRequireUppercase, flagRequireLowercase, flagRequireNumbers, flagRequireSymbols,
	flagAllowUsersToChangePassword, flagHardExpiry,
}

// runInteractive is the app's interactive mode (Env.Interactive): the
// wizard on the terminal, or on a dry run just the plan.
func runInteractive(ctx context.Context, s *Session) error {
	if s.DryRun {
		// The plan as data on stdout, like the plan command, without
		// asking anything.
		_, err := operation{
			deps: s.Deps, spec: s.Spec, dryRun: true, detailed: s.DetailedExitcode,
			view: flagView{stdout: s.Env.Stdout, stderr: s.Env.Stderr, color: s.Color, width: s.Env.width(s.Env.Stdout), tr: s.Tr},
		}.run(ctx)
		return err
	}
	out := terminalWriter(s.Env.Stderr)
	terminal := prompt.DetectTerminal(out)
	ui := prompt.New(prompt.Options{In: s.Env.Stdin, Out: out, Accessible: s.Accessible, NoColor: !s.Color, Terminal: terminal, Tr: s.Tr})
	_, _, err := runWizard(ctx, wizardRun{
		Deps:              s.Deps,
		Spec:              s.Spec,
		Given:             s.FlagSet,
		Yes:               s.Yes,
		UI:                ui,
		PlanText:          renderPlanText(s.Tr, s.Color, terminal.Width),
		Tr:                s.Tr,
		PasswordFile:      s.PasswordFile,
		DetailedExitcode:  s.DetailedExitcode,
		ConfirmRequireMFA: s.ConfirmRequireMFA,
	})
	return err
}

// terminalWriter is the terminal under the app's shared stderr. The wizard
// draws on it directly: huh and lipgloss need the *os.File to size and style
// the screen, and while the wizard runs it owns the terminal.
func terminalWriter(w io.Writer) io.Writer {
	if lw, ok := w.(*lockedWriter); ok {
		return lw.w
	}
	return w
}

// wizardRun is what the app hands the interactive apply.
type wizardRun struct {
	// Deps reach AWS; the wizard sets Reporter and MFACodes itself.
	// SigningAccessKeyID tells which root access key is in use.
	Deps baseline.Deps
	// Spec is built from the flags (defaults where a flag was not given).
	Spec baseline.Spec
	// Given reports whether a flag was given on the command line; a given
	// flag answers its question.
	Given func(flag string) bool
	// Yes skips the plan confirmation (--yes).
	Yes bool
	UI  wizardUI
	// PlanText renders the plan as the plan command does.
	PlanText func(baseline.Plan) string
	// PasswordFile, when set, receives the temporary password (a new file,
	// mode 0600, created before any change) instead of the screen.
	PasswordFile string
	// DetailedExitcode: exit with ExitChanges when the run changed
	// something.
	DetailedExitcode bool
	// Tr words what the wizard says in the operator's language.
	Tr locale.Printer
	// ConfirmRequireMFA answers the lockout question (--confirm-require-mfa).
	ConfirmRequireMFA bool
}

// ConfirmCallerLockout asks whether to apply although the plan's MFA
// requirement covers the user this run signs as (Plan.LocksOutCaller).
func (v wizardView) ConfirmCallerLockout(ctx context.Context, p baseline.Plan) (bool, error) {
	ok := false
	tr := v.w.Tr
	why := wordReasons(tr, p.Change(baseline.StepRequireMFA))
	if err := v.w.UI.AskYesNo(ctx, tr.T("This session signs as a user the MFA requirement covers: does it have MFA?"), why, &ok); err != nil {
		return false, wizardStopped(err)
	}
	return ok, nil
}

// runWizard is the interactive apply: what was found, the questions, the
// plan and one confirmation, the apply with progress and the MFA screen, and
// the closing card. It returns the Spec the answers made and the Result of
// Apply (zero when nothing was applied).
func runWizard(ctx context.Context, w wizardRun) (baseline.Spec, baseline.Result, error) {
	op := operation{
		deps: w.Deps, spec: w.Spec, yes: w.Yes, detailed: w.DetailedExitcode,
		view:         wizardView{w: w},
		passwordFile: w.PasswordFile,
		// The flag, given either way, answers the question.
		askRootKeys:       !w.Given(flagDeleteRootAccessKeys),
		replaceAlias:      w.Given(flagReplaceAccountAlias),
		confirmRequireMFA: w.ConfirmRequireMFA,
	}
	out, err := op.run(ctx)
	if errors.Is(err, errNothingToDo) {
		w.UI.Note(w.Tr.T("Nothing to do: the account keeps its baseline as it is."))
		return out.spec, out.res, nil
	}
	return out.spec, out.res, err
}

// wizardUI is what the wizard asks of its screen: *prompt.UI on a
// terminal, a fake in the tests of the wizard's decisions.
type wizardUI interface {
	ShowFound(f prompt.Found)
	// ShowStatus shows a checklist under a heading.
	ShowStatus(heading string, items []prompt.Finding)
	AskNames(ctx context.Context, a *prompt.Answers, v prompt.Validators) error
	AskAccountAlias(ctx context.Context, a *prompt.Answers, v prompt.Validators, signInURL func(alias string) string) error
	AskPasswordPolicy(ctx context.Context, a *prompt.Answers, v prompt.Validators, q prompt.PolicyQuestion) error
	ConfirmRootKeyDeletion(ctx context.Context, keyID string, inUse bool) (bool, error)
	ConfirmAliasReplacement(ctx context.Context, current, asked, currentURL string) (bool, error)
	AskYesNo(ctx context.Context, title, why string, value *bool) error
	AskOptIns(ctx context.Context, q *prompt.OptIns, v prompt.ContactValidators) error
	ShowPlan(planText string)
	ConfirmPlan(ctx context.Context, planText string, pending int) (bool, error)
	Note(text string)
	Banner(title, text string)
	// MFASource shows a new MFA device and reads its codes; nil when the
	// screen cannot.
	MFASource() *prompt.MFASource
	EndMFAScreen()
	StepStarted(title string)
	StepDone(title, detail string)
	StepSkipped(title, detail string)
	StepFailed(title string, err error)
	ShowClosingCard(ctx context.Context, c prompt.ClosingCard) error
	ShowPasswordBeforeKeyDeletion(ctx context.Context, c prompt.ClosingCard) error
}

var _ wizardUI = (*prompt.UI)(nil)

// wizardView is the wizard: huh questions and screens on the terminal.
type wizardView struct{ w wizardRun }

// Ask shows what was found and asks the questions the flags did not answer.
// An account that already has the baseline gets the returning operator's
// questions instead.
func (v wizardView) Ask(ctx context.Context, spec baseline.Spec, st baseline.State) (baseline.Spec, error) {
	ui, w := v.w.UI, v.w
	plan := baseline.MakePlan(spec, st)
	ui.ShowFound(foundScreen(w.Tr, st, w.Deps.SigningAccessKeyID, baseline.RootKeysDeletable(plan)))
	if plan.Pending() == 0 {
		return v.askReturning(ctx, spec, st, plan)
	}

	answers := answersFromSpec(spec, st, w.Given)
	validators := prompt.Validators{
		GroupName:    reasonsOnly(baseline.ValidateGroupName),
		UserName:     reasonsOnly(baseline.ValidateUserName),
		AccountAlias: reasonsOnly(baseline.ValidateAccountAlias),
		PasswordPolicy: reasonsOnly(func(p prompt.PasswordPolicy) error {
			return baseline.Spec{
				GroupName: baseline.DefaultGroupName, UserName: baseline.DefaultUserName,
				PasswordPolicy: p, SkipMFA: true,
			}.Validate()
		}),
	}
	if err := ui.AskNames(ctx, &answers, validators); err != nil {
		return spec, wizardStopped(err)
	}
	signInURL := func(alias string) string { return baseline.SignInURL(st.Caller.Partition, alias) }
	if err := ui.AskAccountAlias(ctx, &answers, validators, signInURL); err != nil {
		return spec, wizardStopped(err)
	}
	if err := ui.AskPasswordPolicy(ctx, &answers, validators, policyQuestion(w.Tr, st, spec)); err != nil {
		return spec, wizardStopped(err)
	}
	if !w.Given(flagRequireMFA) {
		title := w.Tr.T("Require MFA for group %q's users?", answers.Group.Value)
		// Why, in one line.
		why := w.Tr.T("Without it, a leaked password or access key alone is an administrator; " +
			"users can still sign in, change their password and enroll MFA.")
		if err := ui.AskYesNo(ctx, title, why, &spec.RequireMFA); err != nil {
			return spec, wizardStopped(err)
		}
	}
	spec, err := v.askOptIns(ctx, spec, st)
	if err != nil {
		return spec, err
	}
	before := spec
	spec.GroupName, spec.UserName = answers.Group.Value, answers.User.Value
	if !w.Given(flagMFADeviceName) && before.MFADeviceName == before.UserName {
		// The device is named after the user unless asked otherwise.
		spec.MFADeviceName = spec.UserName
	}
	if answers.AccountAlias.Value != "" {
		spec.AccountAlias = answers.AccountAlias.Value
	}
	spec.PasswordPolicy = answers.Policy.Value
	if err := spec.Validate(); err != nil {
		return spec, locale.Wrap(locale.M("checking the answers: %v", err), err)
	}
	return spec, nil
}

// errNothingToDo: the account has the baseline and the returning operator
// asked for nothing; the run ends with success.
var errNothingToDo = errors.New("nothing to do")

// atBaselineSteps are the steps of the baseline's checklist, shown to a
// returning operator as the account's status.
var atBaselineSteps = []baseline.StepID{baseline.StepRootAccessKeys, baseline.StepRootMFA, baseline.StepAdminGroup,
	baseline.StepRequireMFA, baseline.StepAdminUser, baseline.StepPasswordPolicy, baseline.StepUserMFA, baseline.StepSignInURL}

// askReturning says first that the account already has the baseline, with
// its checklist, then offers what a returning operator comes back for: a
// new temporary password (as --reset-password) and replacing a lost MFA
// device (as --reenroll-mfa), and the opt-in fixes the account lacks. All
// default to no; the flags answer them.
func (v wizardView) askReturning(ctx context.Context, spec baseline.Spec, st baseline.State, plan baseline.Plan) (baseline.Spec, error) {
	ui, tr := v.w.UI, v.w.Tr
	var status []prompt.Finding
	for _, id := range atBaselineSteps {
		c := plan.Change(id)
		if c.Step == "" || c.Action == baseline.ActionSkip {
			continue
		}
		status = append(status, prompt.Finding{OK: c.Action == baseline.ActionNone, Text: stepTitle(tr, c.Step, c.Subject)})
	}
	ui.ShowStatus(tr.T("The account already has the baseline"), status)
	user := plan.UserName()
	if !v.w.Given(flagResetPassword) && !spec.ResetPassword {
		if err := ui.AskYesNo(ctx, tr.T("Set a new temporary console password for %q?", user),
			tr.T("For a forgotten password: the current one stops working; the new one is shown once and must be changed at first sign-in."),
			&spec.ResetPassword); err != nil {
			return spec, wizardStopped(err)
		}
	}
	m, _ := plan.Change(baseline.StepUserMFA).Before.(baseline.UserMFA)
	if len(m.Devices) > 0 && !v.w.Given(flagReenrollMFA) && !spec.ReenrollMFA {
		if err := ui.AskYesNo(ctx, tr.T("Replace %q's MFA device (lost or broken)?", user),
			tr.T("A new virtual MFA device is enrolled first; the old one is deactivated and deleted only once the new one is enabled."),
			&spec.ReenrollMFA); err != nil {
			return spec, wizardStopped(err)
		}
	}
	spec, err := v.askOptIns(ctx, spec, st)
	if err != nil {
		return spec, err
	}
	if baseline.MakePlan(spec, st).Pending() == 0 {
		return spec, errNothingToDo
	}
	return spec, nil
}

// ChooseRootKeys asks key by key (the key in use goes last).
func (v wizardView) ChooseRootKeys(ctx context.Context, keys []baseline.RootAccessKey) (func(baseline.RootAccessKey) bool, error) {
	confirmed := map[string]bool{}
	for _, k := range keys {
		ok, err := v.w.UI.ConfirmRootKeyDeletion(ctx, k.ID, k.InUse)
		if err != nil {
			return nil, wizardStopped(err)
		}
		confirmed[k.ID] = ok
	}
	return func(k baseline.RootAccessKey) bool { return confirmed[k.ID] }, nil
}

func (v wizardView) ConfirmAliasReplacement(ctx context.Context, r baseline.Reason) (bool, error) {
	ok, err := v.w.UI.ConfirmAliasReplacement(ctx, r.Alias, r.Asked, r.URL)
	return ok, wizardStopped(err)
}

func (v wizardView) ShowPlan(p baseline.Plan) error {
	v.w.UI.ShowPlan(v.w.PlanText(p))
	return nil
}

func (v wizardView) Confirm(ctx context.Context, p baseline.Plan) (bool, error) {
	ok, err := v.w.UI.ConfirmPlan(ctx, v.w.PlanText(p), p.Pending())
	return ok, wizardStopped(err)
}

func (v wizardView) MFACodes() mfa.CodeSource {
	if s := v.w.UI.MFASource(); s != nil {
		return s
	}
	return nil // not a typed nil: the operation then says MFA cannot be enrolled
}
func (wizardView) ShowsPassword() bool { return true }

// ShowPasswordNow shows the password on its own screen, before the root
// access key in use is deleted, and waits until the operator says it is saved.
func (v wizardView) ShowPasswordNow(ctx context.Context, res baseline.Result) error {
	c := prompt.ClosingCard{SignInURL: res.SignInURL, UserName: res.UserName, Password: res.Password}
	if res.PasswordUncertain {
		c.PasswordCaveat = passwordUncertainNote(v.w.Tr)
	}
	return v.w.UI.ShowPasswordBeforeKeyDeletion(ctx, c)
}
func (v wizardView) Reporter() baseline.Reporter { return wizardReporter{ui: v.w.UI, tr: v.w.Tr} }

// Summary draws the closing card, which shows the password once unless it
// went to a file.
func (v wizardView) Summary(ctx context.Context, out outcome) error {
	if !out.applied {
		v.w.UI.Note(v.w.Tr.T("Nothing to change: the account already has the baseline."))
		return nil
	}
	return v.w.UI.ShowClosingCard(ctx, closingCard(v.w.Tr, out))
}

// wizardStopped turns the operator stopping the wizard before the apply into
// the interruption it is (exit code 130), saying that nothing was changed.
func wizardStopped(err error) error {
	if errors.Is(err, prompt.ErrAborted) {
		return errWizardStopped
	}
	return err
}

// errWizardStopped is a wizard stopped by its operator before any change:
// both an abort and a cancellation, which main maps to the interrupted exit
// code.
var errWizardStopped = locale.Wrap(locale.M("the wizard was stopped; nothing was changed"), errors.Join(prompt.ErrAborted, context.Canceled))

// reasonsOnly keeps the reasons of baseline's field errors: next to the
// question being answered, the field's name and value are noise. The prompt
// words them in the operator's language.
func reasonsOnly[T any](validate func(T) error) func(T) error {
	return func(v T) error {
		err := validate(v)
		fieldErrs := baseline.FieldErrors(err)
		if err == nil || len(fieldErrs) == 0 {
			return err
		}
		reasons := make(locale.List, 0, len(fieldErrs))
		for _, fe := range fieldErrs {
			reasons = append(reasons, fe.Reason)
		}
		return locale.Wrap(locale.M("%s", reasons), err)
	}
}

func foundScreen(tr locale.Printer, st baseline.State, accessKeyID string, rootKeysDeletable bool) prompt.Found {
	f := prompt.Found{
		RootKeyDeletable: rootKeysDeletable,
		AccountID:        st.Caller.AccountID,
		Alias:            st.Alias(),
		Partition:        st.Caller.Partition,
		CallerARN:        st.Caller.ARN,
		CallerIsRoot:     st.Caller.IsRoot,
		// CloudShell and console sessions sign with temporary keys, which
		// are no root access key.
		RootKeyInUse: st.Caller.IsRoot && awsfacts.IsLongTermAccessKey(accessKeyID),
	}
	f.Findings = append(f.Findings,
		prompt.Finding{OK: !st.Summary.RootAccessKeysPresent, Text: map[bool]string{
			true:  tr.T("root has access keys (the plan says how to remove them)"),
			false: tr.T("root has no access keys"),
		}[st.Summary.RootAccessKeysPresent]},
		prompt.Finding{OK: st.Summary.RootMFAEnabled, Text: map[bool]string{
			true:  tr.T("root MFA is enabled"),
			false: tr.T("root MFA is not enabled (only the console can enable it)"),
		}[st.Summary.RootMFAEnabled]},
	)
	return f
}

func answersFromSpec(spec baseline.Spec, st baseline.State, given func(string) bool) prompt.Answers {
	a := prompt.Answers{
		Group:        prompt.Default(spec.GroupName),
		User:         prompt.Default(spec.UserName),
		Policy:       prompt.Default(spec.PasswordPolicy),
		Preset:       prompt.PresetRecommended,
		AccountAlias: prompt.Default(spec.AccountAlias),
	}
	if given(flagGroup) {
		a.Group.Given = true
	}
	if given(flagUser) {
		a.User.Given = true
	}
	for _, name := range policyFlags {
		if given(name) {
			a.Policy.Given = true
		}
	}
	// An alias is offered only to an account without one.
	if given(flagAccountAlias) || st.Alias() != "" {
		a.AccountAlias.Given = true
	}
	return a
}

func policyQuestion(tr locale.Printer, st baseline.State, spec baseline.Spec) prompt.PolicyQuestion {
	q := prompt.PolicyQuestion{
		Recommended: baseline.DefaultPasswordPolicy(),
		AWSDefault:  baseline.AWSDefaultPasswordPolicy(),
	}
	switch {
	case st.PasswordPolicy == nil:
		q.Note = tr.T("The account has no password policy yet (AWS's default applies: 8 characters, 3 of 4 character classes).")
	case spec.AllowWeakerPasswordPolicy:
		q.Note = tr.T("The account has a password policy; it is replaced as chosen (%s).", "--"+flagAllowWeakerPasswordPolicy)
	default:
		_, kept := baseline.MergePasswordPolicy(*st.PasswordPolicy, baseline.DefaultPasswordPolicy(), false)
		q.Note = tr.T("The account has a password policy; values in it that are stricter than your choice are kept.")
		if len(kept) > 0 {
			q.Note += " " + tr.T("Against the recommended preset that keeps: %s.", strings.Join(tr.Msgs(kept), "; "))
		}
	}
	return q
}

func closingCard(tr locale.Printer, out outcome) prompt.ClosingCard {
	res, d := out.res, out.delivery
	card := prompt.ClosingCard{SignInURL: res.SignInURL, UserName: res.UserName, Incomplete: out.applyErr != nil}
	switch {
	case d.file != "":
		card.PasswordNote = tr.T("written to %s (mode 0600); it must be changed at first sign-in", d.file)
	case d.shownEarly:
		card.PasswordNote = tr.T("shown before the root access key was deleted; it must be changed at first sign-in")
	case d.shown:
		card.Password = res.Password
	case out.plan.SetsNewPassword():
		card.PasswordNote = tr.T("not set yet: the user step did not finish; the next run sets one")
	}
	if d.uncertain {
		card.PasswordCaveat = passwordUncertainNote(tr)
	}
	for _, s := range res.Steps {
		card.Changed = append(card.Changed, tr.Msgs(s.Done)...)
	}
	for _, m := range res.Manual {
		card.Manual = append(card.Manual, prompt.ManualStep{
			Title: stepTitle(tr, m.Step, m.Subject) + ": " + wordReasons(tr, m), Steps: manualSteps(tr, out.plan, m)})
	}
	return card
}

// wizardReporter shows Apply's events on the wizard's screen.
type wizardReporter struct {
	ui wizardUI
	tr locale.Printer
}

func (r wizardReporter) Report(e baseline.Event) {
	title := stepTitle(r.tr, e.Step, e.Subject)
	if e.Kind == baseline.StepFinished && e.Step == baseline.StepUserMFA {
		// The QR code and the key leave the screen with the step.
		r.ui.EndMFAScreen()
	}
	switch {
	case e.Kind == baseline.StepStarted && e.Action.Mutates():
		r.ui.StepStarted(title)
	case e.Kind != baseline.StepFinished:
	case e.Err != nil:
		// Worded here: the shortened English (plain) no longer holds the
		// English its worded parts would be found by.
		r.ui.StepFailed(title, errors.New(plainIn(r.tr, e.Err)))
	case e.Action.Mutates():
		// What changed is listed on the closing card.
		r.ui.StepDone(title, "")
	default:
		r.ui.StepSkipped(title, map[baseline.Action]string{
			baseline.ActionNone:   r.tr.T("no change"),
			baseline.ActionManual: r.tr.T("left for you (see the end)"),
			baseline.ActionSkip:   r.tr.T("skipped"),
		}[e.Action])
	}
}

// renderPlanText renders the plan with the plan command's text renderer,
// wrapped to the terminal's width columns.
func renderPlanText(tr locale.Printer, color bool, width int) func(baseline.Plan) string {
	return func(p baseline.Plan) string {
		var b bytes.Buffer
		if err := writePlanText(&b, tr, p, color, width); err != nil {
			return tr.T("(the plan could not be rendered: %s)", tr.Err(err))
		}
		return b.String()
	}
}
