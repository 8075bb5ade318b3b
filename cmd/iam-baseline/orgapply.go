package main

import (
	"errors"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/org"
)

// flagDeleteRootSigningCertificates asks apply --organization to delete
// member roots' signing certificates too.
const flagDeleteRootSigningCertificates = "delete-root-signing-certificates"

// orgApplyFlags are apply's and plan's flags for an organization run.
func orgApplyFlags(tr locale.Printer) []cli.Flag {
	return append(organizationFlags(tr),
		&cli.BoolFlag{Name: flagDeleteRootSigningCertificates, Category: catOrganization(tr),
			Usage: tr.T("with --organization, delete member roots' signing certificates too (root access keys are always deleted)")})
}

// singleAccountOnly are flags that shape the baseline of one account; with
// --organization they would mean creating IAM users in members, which the
// tool does not do (docs/organizations.md says why).
var singleAccountOnly = []string{flagGroup, flagUser, flagMFADeviceName, flagSkipMFA, flagAccountAlias, flagResetPassword, flagReenrollMFA,
	flagPasswordMinLength, flagPasswordReusePrevention, flagDeleteRootAccessKeys}

// runOrgApply plans and deletes member root credentials through
// centralized root access, enabling it first when it is off.
func runOrgApply(c *cli.Context, env *Env, dryRun bool) error {
	f := flags{c}
	asJSON, dryRun, err := orgApplyMode(f, dryRun)
	if err != nil {
		return err
	}
	awsOpts, err := awsOptionsFromFlags(f, env.RetryBackoff)
	if err != nil {
		return err
	}
	tr, err := chooseLanguage(f, newRunEnv(env))
	if err != nil {
		return err
	}
	o, s, members, err := openOrganization(c, env, awsOpts)
	if err != nil {
		return err
	}
	missing, err := org.ReadRootAccess(c.Context, s.iam)
	if err != nil {
		return err
	}
	opts := org.RootOptions{Concurrency: o.concurrency, Certificates: f.Bool(flagDeleteRootSigningCertificates)}
	if env.IsTerminal(env.Stderr) {
		opts.Progress = progressBar(env.Stderr, tr)
	}
	plan := org.PlanRootCredentials(c.Context, members, s.enterRoot, missing.Enabled(), opts)
	if dryRun || !asJSON {
		if err := writeRoot(env, tr, asJSON, false, missing, plan); err != nil {
			return err
		}
	}
	if dryRun {
		return detailedChanges(f.Bool(flagDetailedExitcode), missing, plan)
	}
	return applyRootPlan(c, env, tr, s, asJSON, missing, plan, opts)
}

// orgApplyMode checks the flags of apply --organization before any request:
// no flag of the single-account baseline, a known output, and --yes unless
// it is a dry run.
func orgApplyMode(f flags, dryRun bool) (asJSON, dry bool, err error) {
	for _, name := range singleAccountOnly {
		if f.IsSet(name) {
			return false, false, newUsageError([]string{name}, locale.M("--%s does not apply with --%s: across an organization apply only removes member root credentials; people get access through IAM Identity Center (see docs/organizations.md)", name, flagOrganization))
		}
	}
	if asJSON, err = outputJSON(f.String(flagOutput)); err != nil {
		return false, false, err
	}
	dry = dryRun || f.Bool(flagDryRun)
	if !dry && !f.Bool(flagYes) {
		return false, false, newUsageError([]string{flagYes}, locale.M("apply --%s changes every selected member account: confirm with --%s, or see the plan with --%s", flagOrganization, flagYes, flagDryRun))
	}
	return asJSON, dry, nil
}

// applyRootPlan enables centralized root access when it is off, deletes
// what the plan lists, and reports per account; any account not finished
// is exit 1, and the same command finishes it.
func applyRootPlan(c *cli.Context, env *Env, tr locale.Printer, s *orgSession, asJSON bool, missing org.RootAccess, plan []org.RootCredentials, opts org.RootOptions) error {
	if missing.Missing() {
		if err := org.EnableRootAccess(c.Context, s.iam, s.org, missing); err != nil {
			return err
		}
	}
	done := org.DeleteRootCredentials(c.Context, plan, s.enterRoot, opts)
	if !asJSON {
		reportln(env.Stdout)
	}
	if err := writeRoot(env, tr, asJSON, true, missing, done); err != nil {
		return err
	}
	if n := failedAccounts(done); n > 0 {
		return locale.Wrap(locale.M("%d account(s) not finished; hint: the errors above say why; run the same command again to finish them", n), nil)
	}
	return nil
}

func writeRoot(env *Env, tr locale.Printer, asJSON, applied bool, missing org.RootAccess, accounts []org.RootCredentials) error {
	if asJSON {
		stage := map[bool]string{false: "plan", true: "applied"}[applied]
		return org.WriteRootJSON(env.Stdout, stage, missing, accounts)
	}
	return org.WriteRootText(env.Stdout, tr, applied, missing, accounts)
}

// failedAccounts counts accounts where something failed; a suspended
// account is skipped, not failed: no run can change it.
func failedAccounts(accounts []org.RootCredentials) int {
	n := 0
	for _, a := range accounts {
		if a.Err != nil && !errors.Is(a.Err, org.ErrSuspended) {
			n++
		}
	}
	return n
}

// detailedChanges maps a dry run with changes to ExitChanges under
// --detailed-exitcode.
func detailedChanges(detailed bool, missing org.RootAccess, plan []org.RootCredentials) error {
	if !detailed {
		return nil
	}
	changes := missing.Missing()
	for _, p := range plan {
		changes = changes || (p.Err == nil && p.Changes())
	}
	if changes {
		return exitStatus{code: ExitChanges}
	}
	return nil
}
