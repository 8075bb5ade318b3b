package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

func demoCommand(env *Env, tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:  "demo",
		Usage: tr.T("rehearse the wizard against a simulated account on this machine (nothing reaches AWS)"),
		Description: tr.T("Starts a simulated IAM endpoint on loopback with a fresh account (root signing with an\n"+
			"access key, no root MFA, no password policy) and runs the wizard against it. MFA codes are\n"+
			"checked for real: scan the QR code with a phone to rehearse. Examples:") + "\n" +
			"  iam-baseline demo\n" +
			"  iam-baseline demo --accessible --user alice",
		Flags:        demoFlags(tr),
		Action:       func(c *cli.Context) error { return runDemoCommand(c, env) },
		OnUsageError: onUsageError,
	}
}

// demoFlags are apply's flags but the AWS connection's: the demo connects
// only to its own simulator.
func demoFlags(tr locale.Printer) []cli.Flag {
	var out []cli.Flag
	for _, f := range allFlags(tr) {
		if c, ok := f.(cli.CategorizableFlag); ok && c.GetCategory() == catAWS(tr) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func runDemoCommand(c *cli.Context, env *Env) error {
	f := flags{c}
	if c.Args().Present() {
		return newUsageError(nil, locale.M("unexpected argument %q: demo takes flags only", c.Args().First()))
	}
	tr, err := chooseLanguage(f, newRunEnv(env))
	if err != nil {
		return err
	}
	spec, err := specFromFlags(f)
	if err != nil {
		return err
	}
	if err := env.harden(); err != nil {
		return err
	}
	terminal := terminalWriter(env.Stderr)
	color := colorWanted(f, newRunEnv(env), env.IsTerminal(terminal))
	// Without a terminal the demo still runs, with plain line prompts.
	accessible := f.Bool(flagAccessible) || !env.IsTerminal(env.Stdin) || !env.IsTerminal(terminal)
	screen := prompt.DetectTerminal(terminal)
	ui := prompt.New(prompt.Options{In: env.Stdin, Out: terminal, Accessible: accessible, NoColor: !color, Terminal: screen, Tr: tr})
	return runDemo(c.Context, demoRun{
		UI:       ui,
		Spec:     spec,
		Given:    f.IsSet,
		Yes:      f.Bool(flagYes),
		Rand:     env.Rand,
		PlanText: renderPlanText(tr, color, screen.Width),
		Width:    screen.Width,
		Tr:       tr,
	})
}

// demoRun is what a sandbox rehearsal needs.
type demoRun struct {
	UI       wizardUI
	Spec     baseline.Spec
	Given    func(flag string) bool
	Yes      bool
	Rand     io.Reader
	PlanText func(baseline.Plan) string
	Tr       locale.Printer
	// Width is the terminal's columns (0: unknown): the status report is
	// wrapped to it.
	Width int
}

// runDemo rehearses the wizard against a simulated account on loopback: a
// fresh account whose root user signs with an access key and has no MFA, and
// no password policy, so every step has something to do. It ends with the
// status audit of the sandbox.
func runDemo(ctx context.Context, d demoRun) error {
	srv, err := iamsim.Listen("127.0.0.1:0", iamsim.Options{})
	if err != nil {
		return locale.Wrap(locale.M("starting the simulated account: %v", err), err)
	}
	defer srv.Close()
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	deps := baselineClients(cfg)
	deps.Rand, deps.SigningAccessKeyID = d.Rand, iamsim.DefaultRootAccessKeyID
	if deps.Rand == nil {
		deps.Rand = rand.Reader
	}

	tr := d.Tr
	d.UI.Banner(tr.T(" SANDBOX "), tr.T("A simulated AWS account on this machine (%s). Nothing leaves the machine; everything created here is gone when the demo ends.", srv.URL))
	d.UI.Note("")
	spec, _, err := runWizard(ctx, wizardRun{
		Deps:     deps,
		Spec:     d.Spec,
		Given:    d.Given,
		Yes:      d.Yes,
		UI:       d.UI,
		PlanText: d.PlanText,
		Tr:       tr,
	})
	if err != nil {
		return locale.Wrap(locale.M("sandbox: %v", err), err)
	}
	snap, err := audit.Collect(ctx, audit.Deps{IAM: iam.NewFromConfig(cfg), STS: deps.STS, Account: deps.Account, AccessAnalyzer: deps.AccessAnalyzer}, audit.Target{GroupName: spec.GroupName, UserName: spec.UserName})
	if err != nil {
		return locale.Wrap(locale.M("sandbox: auditing the simulated account: %v", err), err)
	}
	var report bytes.Buffer
	if err := audit.WriteTextWidth(&report, tr, audit.Evaluate(snap), d.Width); err != nil {
		return locale.Wrap(locale.M("sandbox: %v", err), err)
	}
	d.UI.Note("")
	d.UI.Banner(tr.T(" SANDBOX "), tr.T("iam-baseline status of the simulated account:"))
	d.UI.Note(report.String())
	d.UI.Note(tr.T("On a real account: run iam-baseline (ideally from AWS CloudShell), then iam-baseline status."))
	return nil
}
