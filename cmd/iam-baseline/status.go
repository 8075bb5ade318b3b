package main

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// ExitFindings: status found a check that fails (documented in
// docs/status.md and docs/exit-codes.md, and said in status --help).
const ExitFindings = 3

const flagReportWait = "report-wait"

func statusCommand(env *Env, tr locale.Printer) *cli.Command {
	d := baseline.DefaultSpec()
	flags := append(globalFlags(tr),
		&cli.StringFlag{Name: flagGroup, Category: catBaseline(tr), Value: d.GroupName, Usage: tr.T("`NAME` of the administrators' group to check")},
		&cli.StringFlag{Name: flagUser, Category: catBaseline(tr), Value: d.UserName, Usage: tr.T("`NAME` of the administrator user to check")},
		&cli.DurationFlag{Name: flagReportWait, Category: catMode(tr), Value: audit.DefaultReportWait,
			Usage: tr.T("wait at most `DURATION` for AWS to build the credential report")},
	)
	flags = append(flags, organizationFlags(tr)...)
	return &cli.Command{
		Name:  "status",
		Usage: tr.T("audit the account: root user, Security Status items, CIS day-one IAM checks, the baseline"),
		Description: tr.T("Changes nothing (it may ask AWS to build a credential report, at most every 4 hours).\n"+
			"With --organization, audits every member account through --role-name.\n"+
			"Exit codes: 0 nothing fails, 3 a check fails, 1 error, 2 usage. Examples:") + "\n" +
			"  iam-baseline status\n" +
			"  iam-baseline status --user alice --output json\n" +
			"  iam-baseline status --organization --output csv > org.csv",
		Flags:        flags,
		Action:       func(c *cli.Context) error { return runStatus(c, env) },
		OnUsageError: onUsageError,
	}
}

// runStatus audits the account and prints the report; a failing check
// becomes exit status ExitFindings.
func runStatus(c *cli.Context, env *Env) error {
	f := flags{c}
	if c.Args().Present() {
		return newUsageError(nil, locale.M("unexpected argument %q: status takes only flags", c.Args().First()))
	}
	output, err := statusOutput(f)
	if err != nil {
		return err
	}
	tr, err := chooseLanguage(f, newRunEnv(env))
	if err != nil {
		return err
	}
	asJSON := output == "json"
	spec := baseline.DefaultSpec()
	spec.GroupName, spec.UserName = f.String(flagGroup), f.String(flagUser)
	if err := spec.Validate(); err != nil {
		return specUsageError(err)
	}
	wait := c.Duration(flagReportWait)
	if wait <= 0 {
		return newUsageError([]string{flagReportWait}, locale.M("invalid value %s for --%s: want a positive duration such as 2m", wait, flagReportWait))
	}
	awsOpts, err := awsOptionsFromFlags(f, env.RetryBackoff)
	if err != nil {
		return err
	}
	awsOpts.Tr = tr
	target := audit.Target{GroupName: spec.GroupName, UserName: spec.UserName}
	if f.Bool(flagOrganization) {
		return runOrgStatus(c, env, tr, awsOpts, target, output)
	}
	cfg, err := loadRunConfig(c.Context, env.LoadAWSConfig, awsOpts, env.Stderr)
	if err != nil {
		return err
	}
	snap, err := audit.Collect(c.Context, audit.Deps{
		IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Account: account.NewFromConfig(cfg),
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg), Clock: envClock{env.Now}, ReportWait: wait,
	}, target)
	if err != nil {
		return err
	}
	for _, carried := range snap.CarriedErrors() {
		if hint := deniedHint(carried); !hint.IsZero() {
			// The audit carries on without what it may not read; say
			// which permission it lacked.
			reportln(env.Stderr, tr.T("hint: %s", tr.Msg(hint)))
		}
	}
	report := audit.Evaluate(snap)
	if asJSON {
		err = audit.WriteJSON(env.Stdout, report)
	} else {
		err = audit.WriteTextWidth(env.Stdout, tr, report, env.width(env.Stdout))
	}
	if err != nil {
		return err
	}
	if report.Failed() {
		return exitStatus{code: ExitFindings}
	}
	return nil
}

// statusOutput is --output checked: text, json, or csv with --organization.
func statusOutput(f flags) (string, error) {
	output := f.String(flagOutput)
	if output != "csv" {
		_, err := outputJSON(output)
		return output, err
	}
	if !f.Bool(flagOrganization) {
		return "", newUsageError([]string{flagOutput}, locale.M("--%s csv needs --%s: one account's status is text or json", flagOutput, flagOrganization))
	}
	return output, nil
}

// envClock is the command line's clock for status: env.Now, real sleeps.
type envClock struct{ now func() time.Time }

func (c envClock) Now() time.Time {
	if c.now == nil {
		return time.Now()
	}
	return c.now()
}

func (envClock) Sleep(ctx context.Context, d time.Duration) error {
	return audit.SystemClock{}.Sleep(ctx, d)
}
