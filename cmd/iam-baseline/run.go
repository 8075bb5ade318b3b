package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// flagView is the non-interactive mode's view: every answer comes from
// the flags, the plan and the summary go to stdout as text or JSON, progress
// to stderr.
type flagView struct {
	stdout, stderr io.Writer
	json           bool
	color          bool
	// dryRun: the JSON plan is the whole output; otherwise it is written
	// once, with the result.
	dryRun bool
}

// newFlagOperation is the non-interactive run of o.
func newFlagOperation(env *Env, o options, deps baseline.Deps) operation {
	return operation{
		deps: deps, spec: o.spec,
		view:   flagView{stdout: env.Stdout, stderr: env.Stderr, json: o.json, color: o.color, dryRun: o.dryRun},
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
	return nil, errors.New("choosing root access keys needs the wizard; hint: use --" + flagDeleteRootAccessKeys)
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
	return writePlanText(v.stdout, p, v.color)
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
	return errors.New("flag mode shows no password before deleting the root access key in use: give --" + flagPasswordFile)
}

func (v flagView) Reporter() baseline.Reporter { return progressReporter(v.stderr) }

func (v flagView) Summary(_ context.Context, out outcome) error {
	if v.json {
		return writeSummaryJSON(v.stdout, out)
	}
	return writeSummaryText(v.stdout, out)
}

// passwordUncertainNote goes with a password whose request got no answer,
// in every view.
const passwordUncertainNote = "The request that set it got no answer, so it may not be in force: if it does not work, run again with --" + flagResetPassword + "."

// progressReporter writes one line per step that changes something, to
// stderr, in plan order.
func progressReporter(w io.Writer) baseline.Reporter {
	return baseline.ReporterFunc(func(e baseline.Event) {
		if !e.Action.Mutates() {
			return
		}
		switch e.Kind {
		case baseline.StepStarted:
			report(w, "applying %s: %s\n", e.Step, e.Title)
		case baseline.StepFinished:
			for _, d := range e.Done {
				report(w, "  done: %s\n", d)
			}
			if e.Err != nil {
				report(w, "  failed: %v\n", plain(e.Err))
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

func writeSummaryText(w io.Writer, o outcome) error {
	res, d := o.res, o.delivery
	var b strings.Builder
	b.WriteString("\n")
	var done []string
	for _, s := range res.Steps {
		done = append(done, s.Done...)
	}
	if len(done) == 0 {
		b.WriteString("Nothing was changed.\n")
	} else {
		b.WriteString("Changed:\n")
		for _, d := range done {
			fmt.Fprintf(&b, "  %s\n", d)
		}
	}
	fmt.Fprintf(&b, "\nIAM user:     %s\n", res.UserName)
	fmt.Fprintf(&b, "Sign-in URL:  %s\n", res.SignInURL)
	switch {
	case d.file != "":
		fmt.Fprintf(&b, "Password:     the temporary password is in %s (mode 0600); it must be changed at first sign-in. Delete the file once it is safe elsewhere.\n", d.file)
	case d.shown:
		fmt.Fprintf(&b, "Password:     %s\n", res.Password.Reveal())
		b.WriteString("              (temporary, shown this once; it must be changed at first sign-in)\n")
	default:
		b.WriteString("Password:     unchanged (--reset-password sets a new temporary one)\n")
	}
	if d.uncertain {
		b.WriteString("              " + passwordUncertainNote + "\n")
	}
	if f := d.mfaSecretFile; f != "" {
		fmt.Fprintf(&b, "MFA:          the device's otpauth URI (its secret) is in %s (mode 0600): add it to an authenticator app or a password manager, then delete the file.\n", f)
	}
	if len(res.Manual) > 0 {
		b.WriteString("\nLeft to do by hand:\n")
		for _, c := range res.Manual {
			fmt.Fprintf(&b, "  ! %s: %s\n", c.Title, wordReasons(c))
			for i, m := range manualSteps(o.plan, c) {
				fmt.Fprintf(&b, "      %d. %s\n", i+1, m)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
