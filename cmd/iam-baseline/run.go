package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// flagView is the non-interactive mode's view: every answer comes from
// the flags, the plan and the summary go to stdout as text or JSON, progress
// to stderr.
type flagView struct {
	stdout, stderr io.Writer
	json           bool
	color          bool
	// width: the text views wrap at words to it (0: not at all).
	width int
	// dryRun: the JSON plan is the whole output; otherwise it is written
	// once, with the result.
	dryRun bool
	// tr words the text views in the operator's language.
	tr locale.Printer
}

// newFlagOperation is the non-interactive run of o.
func newFlagOperation(env *Env, o options, deps baseline.Deps) operation {
	return operation{
		deps: deps, spec: o.spec,
		view:   flagView{stdout: env.Stdout, stderr: env.Stderr, json: o.json, color: o.color, width: o.width, dryRun: o.dryRun, tr: o.tr},
		dryRun: o.dryRun, yes: o.yes, detailed: o.detailed,
		passwordFile: o.passwordFile, showPassword: o.showPassword,
		mfaSecretFile: o.mfaSecretFile, now: env.Now,
		replaceAlias:      o.replaceAlias,
		confirmRequireMFA: o.confirmRequireMFA,
	}
}

// ConfirmCallerLockout answers no: only --confirm-require-mfa confirms.
func (flagView) ConfirmCallerLockout(context.Context, baseline.Plan) (bool, error) { return false, nil }

func (flagView) Ask(_ context.Context, spec baseline.Spec, _ baseline.State) (baseline.Spec, error) {
	return spec, nil
}

// ChooseRootKeys is never called: flags choose all keys or none.
func (flagView) ChooseRootKeys(context.Context, []baseline.RootAccessKey) (func(baseline.RootAccessKey) bool, error) {
	return nil, locale.Wrap(locale.M("choosing root access keys needs the wizard; hint: use --%s", flagDeleteRootAccessKeys), nil)
}

// ShowPlan writes the plan; the JSON view writes it once, with the result,
// unless this is a dry run.
func (v flagView) ShowPlan(p baseline.Plan) error {
	switch {
	case v.json && v.dryRun:
		return writeJSON(v.stdout, toJSONPlan(p))
	case v.json:
		return nil
	}
	return writePlanText(v.stdout, v.tr, p, v.color, v.width)
}

// Confirm is reached only with --yes missing, which parseOptions refuses
// without a terminal: show the plan and go on as --yes would.
func (v flagView) Confirm(_ context.Context, p baseline.Plan) (bool, error) {
	return true, v.ShowPlan(p)
}

// ConfirmAliasReplacement is never called: --yes, which flag mode needs,
// leaves the answer to --replace-account-alias.
func (flagView) ConfirmAliasReplacement(context.Context, baseline.Reason) (bool, error) {
	return false, nil
}

func (flagView) MFACodes() mfa.CodeSource { return nil }
func (flagView) ShowsPassword() bool      { return false }

// ShowPasswordNow is never asked of flag mode (it shows no password to a
// person; operation.checkPasswordDestination asks for a file instead).
func (flagView) ShowPasswordNow(context.Context, baseline.Result) error {
	return locale.Wrap(locale.M("flag mode shows no password before deleting the root access key in use: give --%s", flagPasswordFile), nil)
}

func (v flagView) Reporter() baseline.Reporter { return progressReporter(v.stderr, v.tr) }

func (v flagView) Summary(_ context.Context, out outcome) error {
	if v.json {
		return writeSummaryJSON(v.stdout, out)
	}
	return writeSummaryText(v.stdout, v.tr, out, v.width)
}

// passwordUncertainNote goes with a password whose request got no answer,
// in every view.
func passwordUncertainNote(tr locale.Printer) string {
	return tr.T("The request that set it got no answer, so it may not be in force: if it does not work, run again with %s.", "--"+flagResetPassword)
}

// progressReporter writes one line per step that changes something, to
// stderr, in plan order.
func progressReporter(w io.Writer, tr locale.Printer) baseline.Reporter {
	return baseline.ReporterFunc(func(e baseline.Event) {
		if !e.Action.Mutates() {
			return
		}
		switch e.Kind {
		case baseline.StepStarted:
			report(w, "%s\n", tr.T("applying %s: %s", e.Step, stepTitle(tr, e.Step, e.Subject)))
		case baseline.StepFinished:
			for _, d := range e.Done {
				report(w, "  %s\n", tr.T("done: %s", tr.Msg(d)))
			}
			if e.Err != nil {
				report(w, "  %s\n", tr.T("failed: %v", plainIn(tr, e.Err)))
			}
		}
	})
}

// applyJSON is `apply --output json`: the plan, and what was done.
type applyJSON struct {
	jsonPlan
	Result resultJSON `json:"result"`
}

type resultJSON struct {
	baseline.Result
	// Manual shadows Result.Manual with the reasons worded; it comes
	// right after Result's own fields, where Result.Manual was.
	Manual       []jsonChange `json:"manual,omitempty"`
	PasswordFile string       `json:"password_file,omitempty"`
	// MFASecretFile holds the enrolled device's otpauth URI
	// (--mfa-secret-file).
	MFASecretFile string `json:"mfa_secret_file,omitempty"`
	// TemporaryPassword is filled only with --show-password.
	TemporaryPassword string `json:"temporary_password,omitempty"`
}

func writeSummaryJSON(w io.Writer, o outcome) error {
	d := o.delivery
	out := applyJSON{jsonPlan: toJSONPlan(o.plan), Result: resultJSON{Result: o.res, Manual: toJSONChanges(o.plan, o.res.Manual),
		PasswordFile: d.file, MFASecretFile: d.mfaSecretFile}}
	if d.shown {
		out.Result.TemporaryPassword = o.res.Password.Reveal()
	}
	return writeJSON(w, out)
}

func writeSummaryText(w io.Writer, tr locale.Printer, o outcome, width int) error {
	res, d := o.res, o.delivery
	var b strings.Builder
	b.WriteString("\n")
	var done []string
	for _, s := range res.Steps {
		done = append(done, tr.Msgs(s.Done)...)
	}
	if len(done) == 0 {
		b.WriteString(tr.T("Nothing was changed.") + "\n")
	} else {
		b.WriteString(tr.T("Changed:") + "\n")
		for _, d := range done {
			b.WriteString(textwrap.Hanging("  ", "    ", d, width) + "\n")
		}
	}
	b.WriteString("\n")
	labels := []string{tr.T("IAM user:"), tr.T("Sign-in URL:"), tr.T("Password:"), tr.T("MFA:")}
	col := 0
	for _, l := range labels {
		col = max(col, locale.Width(l)+2)
	}
	row := func(label, text string) {
		b.WriteString(textwrap.Hanging(locale.PadRight(label, col), strings.Repeat(" ", col), text, width) + "\n")
	}
	row(labels[0], res.UserName)
	row(labels[1], res.SignInURL)
	switch {
	case d.file != "":
		row(labels[2], tr.T("the temporary password is in %s (mode 0600); it must be changed at first sign-in. Delete the file once it is safe elsewhere.", d.file))
	case d.shown:
		row(labels[2], res.Password.Reveal())
		row("", tr.T("(temporary, shown this once; it must be changed at first sign-in)"))
	default:
		row(labels[2], tr.T("unchanged (%s sets a new temporary one)", "--"+flagResetPassword))
	}
	if d.uncertain {
		row("", passwordUncertainNote(tr))
	}
	if f := d.mfaSecretFile; f != "" {
		row(labels[3], tr.T("the device's otpauth URI (its secret) is in %s (mode 0600): add it to an authenticator app or a password manager, then delete the file.", f))
	}
	if len(res.Manual) > 0 {
		b.WriteString("\n" + tr.T("Left to do by hand:") + "\n")
		for _, c := range res.Manual {
			b.WriteString(textwrap.Hanging("  ! ", "    ", stepTitle(tr, c.Step, c.Subject)+": "+wordReasons(tr, c), width) + "\n")
			for i, m := range manualSteps(tr, o.plan, c) {
				n := fmt.Sprintf("      %d. ", i+1)
				b.WriteString(textwrap.Hanging(n, strings.Repeat(" ", len(n)), m, width) + "\n")
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
