package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// runNonInteractive reads the account, plans, and (unless a dry run) applies
// without asking anything: every answer comes from the flags.
func runNonInteractive(ctx context.Context, env *Env, o options, deps baseline.Deps) error {
	st, err := baseline.ReadState(ctx, deps, o.spec)
	if err != nil {
		return fmt.Errorf("%w; hint: check the credentials (--profile, AWS_PROFILE, aws sts get-caller-identity) and that they may read IAM", err)
	}
	plan, err := baseline.PlanRootKeys(ctx, deps, o.spec, baseline.MakePlan(o.spec, st))
	if err != nil {
		return err
	}
	if o.dryRun {
		if err := writePlan(env.Stdout, plan, o); err != nil {
			return err
		}
		if o.detailed && plan.Pending() > 0 {
			return exitStatus{code: ExitChanges}
		}
		return nil
	}

	// What only the plan can tell, checked before any change.
	needsPassword := setsPassword(plan)
	if needsPassword && o.passwordFile == "" && !o.showPassword {
		return newUsageError([]string{flagPasswordFile, flagShowPassword},
			"the plan sets a temporary console password for %q, and without a terminal it must go somewhere: give --%s PATH (created with mode 0600) or --%s; nothing was changed",
			o.spec.UserName, flagPasswordFile, flagShowPassword)
	}
	if enrollsMFA(plan) {
		if o.mfaSecretFile == "" {
			return newUsageError([]string{flagMFASecretFile, flagSkipMFA},
				"the plan enrolls a virtual MFA device for %q, and without a terminal to show its QR code on it needs --%s PATH (the otpauth URI is written there, mode 0600), or --%s to leave MFA out; nothing was changed",
				o.spec.UserName, flagMFASecretFile, flagSkipMFA)
		}
		src, err := mfa.NewSecretFileSource(o.mfaSecretFile, env.Now)
		if err != nil {
			return newUsageError([]string{flagMFASecretFile}, "--%s: %v", flagMFASecretFile, err)
		}
		deps.MFACodes = src
	}

	if !o.json {
		if err := writePlan(env.Stdout, plan, o); err != nil {
			return err
		}
	}
	if plan.Pending() == 0 {
		return writeSummary(env.Stdout, plan, baseline.Result{Account: plan.Account, UserName: o.spec.UserName, SignInURL: plan.Account.SignInURL, Manual: manualChanges(plan)}, o, delivery{})
	}

	// The password file is created before any change, so that a password
	// that gets set always has somewhere to go.
	var pwFile *os.File
	if needsPassword && o.passwordFile != "" {
		pwFile, err = os.OpenFile(o.passwordFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return newUsageError([]string{flagPasswordFile}, "--%s: %v; nothing was changed", flagPasswordFile, err)
		}
	}
	deps.Reporter = progressReporter(env.Stderr)
	res, applyErr := baseline.Apply(ctx, plan, o.spec, deps)

	d, deliverErr := deliverPassword(res, pwFile, o)
	if err := writeSummary(env.Stdout, plan, res, o, d); err != nil {
		return errors.Join(applyErr, deliverErr, err)
	}
	if applyErr != nil {
		return errors.Join(fmt.Errorf("applying the baseline: %w; hint: run the same command again to finish, it picks up where this run stopped", applyErr), deliverErr)
	}
	if deliverErr != nil {
		return deliverErr
	}
	if o.detailed && res.Changed() {
		return exitStatus{code: ExitChanges}
	}
	return nil
}

func setsPassword(p baseline.Plan) bool {
	for _, c := range p.Changes {
		if u, ok := c.After.(baseline.AdminUser); ok && c.Action.Mutates() && u.NewTemporaryPassword {
			return true
		}
	}
	return false
}

func enrollsMFA(p baseline.Plan) bool {
	for _, c := range p.Changes {
		if c.Step == baseline.StepUserMFA && c.Action.Mutates() {
			return true
		}
	}
	return false
}

func manualChanges(p baseline.Plan) []baseline.Change {
	var out []baseline.Change
	for _, c := range p.Changes {
		if c.Action == baseline.ActionManual {
			out = append(out, c)
		}
	}
	return out
}

func writePlan(w io.Writer, p baseline.Plan, o options) error {
	if o.json {
		return baseline.WriteJSON(w, p)
	}
	return baseline.WriteText(w, p, baseline.TextOptions{Color: o.color})
}

// delivery says where the temporary password went.
type delivery struct {
	file  string // written to this file
	shown bool   // printed on stdout (--show-password)
	// uncertain: the request setting it got no answer; it may not be in
	// force.
	uncertain bool
}

// mfaSecretFileUsed is the --mfa-secret-file the enrolled device's URI was
// written to, or "" when no device was enrolled through it.
func mfaSecretFileUsed(res baseline.Result, o options) string {
	for _, s := range res.Steps {
		if s.Step == baseline.StepUserMFA && s.Action.Mutates() && s.Err() == nil && len(s.Done) > 0 {
			return o.mfaSecretFile
		}
	}
	return ""
}

// deliverPassword hands the new temporary password over once: to the
// password file, or (--show-password) to the summary. A password file that
// was not needed is removed again.
func deliverPassword(res baseline.Result, pwFile *os.File, o options) (delivery, error) {
	have := res.PasswordSet || res.PasswordUncertain
	if pwFile == nil {
		return delivery{shown: have && o.showPassword, uncertain: res.PasswordUncertain}, nil
	}
	name := pwFile.Name()
	if !have {
		pwFile.Close()
		os.Remove(name)
		return delivery{}, nil
	}
	_, err := io.WriteString(pwFile, res.Password.Reveal()+"\n")
	if err == nil {
		err = pwFile.Sync()
	}
	if cerr := pwFile.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return delivery{}, fmt.Errorf("writing the temporary password to %s: %w; hint: run again with --reset-password to set a new one", name, err)
	}
	return delivery{file: name, uncertain: res.PasswordUncertain}, nil
}

// progressReporter writes one line per step that changes something, to
// stderr, in plan order.
func progressReporter(w io.Writer) baseline.Reporter {
	return baseline.ReporterFunc(func(e baseline.Event) {
		if !e.Action.Mutates() {
			return
		}
		switch e.Kind {
		case baseline.StepStarted:
			fmt.Fprintf(w, "applying %s: %s\n", e.Step, e.Title)
		case baseline.StepFinished:
			for _, d := range e.Done {
				fmt.Fprintf(w, "  done: %s\n", d)
			}
			if e.Err != nil {
				fmt.Fprintf(w, "  failed: %v\n", e.Err)
			}
		}
	})
}

// applyJSON is `apply --output json`: the plan, and what was done.
type applyJSON struct {
	baseline.Plan
	Result resultJSON `json:"result"`
}

type resultJSON struct {
	baseline.Result
	PasswordFile string `json:"password_file,omitempty"`
	// MFASecretFile holds the enrolled device's otpauth URI
	// (--mfa-secret-file).
	MFASecretFile string `json:"mfa_secret_file,omitempty"`
	// TemporaryPassword is filled only with --show-password.
	TemporaryPassword string `json:"temporary_password,omitempty"`
}

func writeSummary(w io.Writer, plan baseline.Plan, res baseline.Result, o options, d delivery) error {
	if o.json {
		out := applyJSON{Plan: plan, Result: resultJSON{Result: res, PasswordFile: d.file, MFASecretFile: mfaSecretFileUsed(res, o)}}
		if d.shown {
			out.Result.TemporaryPassword = res.Password.Reveal()
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
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
		b.WriteString("              The request that set it got no answer, so it may not be in force: if it does not work, run again with --reset-password.\n")
	}
	if f := mfaSecretFileUsed(res, o); f != "" {
		fmt.Fprintf(&b, "MFA:          the device's otpauth URI (its secret) is in %s (mode 0600): add it to an authenticator app or a password manager, then delete the file.\n", f)
	}
	if len(res.Manual) > 0 {
		b.WriteString("\nLeft to do by hand:\n")
		for _, c := range res.Manual {
			fmt.Fprintf(&b, "  ! %s: %s\n", c.Title, c.Reason)
			for i, m := range c.ManualSteps {
				fmt.Fprintf(&b, "      %d. %s\n", i+1, m)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
