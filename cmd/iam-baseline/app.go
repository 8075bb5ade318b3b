package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// Env is everything the command line touches outside itself. main fills it
// from the os package; tests fill it with buffers and a simulator.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// LookupEnv reads an environment variable (os.LookupEnv).
	LookupEnv func(string) (string, bool)
	// IsTerminal reports whether one of Stdin, Stdout or Stderr is a
	// terminal.
	IsTerminal func(any) bool
	// LoadAWSConfig loads the SDK configuration (LoadDefaultConfig).
	LoadAWSConfig ConfigLoader
	// Rand is the source of temporary passwords (crypto/rand.Reader).
	Rand io.Reader
	// Now is the clock (time.Now).
	Now func() time.Time
	// RetryBackoff replaces the SDK retryer's delays between attempts; nil
	// keeps its exponential backoff with jitter. Tests that make every
	// attempt fail shorten it; the attempts and what is retried stay the
	// product's.
	RetryBackoff retry.BackoffDelayer
	// Interactive runs the wizard when stdin and stdout are terminals and
	// --non-interactive was not given. Nil means never interactive.
	Interactive InteractiveFunc
	// HardenProcess is called before a command that may hold a password or
	// an MFA seed in memory contacts AWS (disableCoreDumps); nil does
	// nothing, for tests that run the commands inside the test process.
	HardenProcess func() error
}

func (env *Env) harden() error {
	if env.HardenProcess == nil {
		return nil
	}
	return env.HardenProcess()
}

// InteractiveFunc runs an interactive session (the wizard). It owns the
// whole run: reading the account, asking, showing the plan, confirming,
// applying, showing the password once.
type InteractiveFunc func(ctx context.Context, s *Session) error

// Session is what an interactive run starts from: the spec built from the
// flags (defaults where not given), which flags were given, and the
// dependencies with AWS clients ready.
type Session struct {
	Env  *Env
	Spec baseline.Spec
	// FlagSet reports whether a flag (name without dashes) was given, so a
	// question it answers can be skipped.
	FlagSet func(name string) bool
	// Deps has IAM, STS, Rand and Now; the session adds its Reporter and
	// MFACodes.
	Deps baseline.Deps
	// DryRun: show the plan, change nothing.
	DryRun bool
	// Yes: apply without asking to confirm the plan.
	Yes          bool
	Color        bool
	PasswordFile string
	ShowPassword bool
	// DetailedExitcode: return ChangesPresent() when a dry run finds changes.
	DetailedExitcode bool
	// Accessible: plain line prompts (--accessible, ACCESSIBLE=1).
	Accessible bool
}

// ChangesPresent is the error an interactive session returns to exit with
// ExitChanges under --detailed-exitcode.
func ChangesPresent() error { return exitStatus{code: ExitChanges} }

// run runs the command line and returns the exit code.
func run(ctx context.Context, env *Env, args []string) int {
	// Progress, debug logs and SDK retry logs come from several goroutines.
	shared := *env
	shared.Stderr = &lockedWriter{w: env.Stderr}
	env = &shared
	err := withConventions(newApp(env)).RunContext(ctx, args)
	return exitCode(env.Stderr, err, detailedExitcodeAsked(args[1:]))
}

func newApp(env *Env) *cli.App {
	onUsageError := func(_ *cli.Context, err error, _ bool) error { return flagParseError(err) }
	return &cli.App{
		Name:  "iam-baseline",
		Usage: "bring an AWS account to the IAM first-day baseline",
		Description: "Plans, shows, and applies: an admin group with AdministratorAccess, an administrator user\n" +
			"with a temporary console password, the account password policy and a virtual MFA device for\n" +
			"that user; it reports what only the root user can fix and prints the sign-in URL.\n" +
			"Exit codes: see docs/exit-codes.md.",
		Flags:                allFlags(),
		Action:               func(c *cli.Context) error { return runBaseline(c, env, false) },
		Commands:             []*cli.Command{applyCommand(env), planCommand(env), statusCommand(env), demoCommand(env), policyCommand(env)},
		Reader:               env.Stdin,
		Writer:               env.Stdout,
		ErrWriter:            env.Stderr,
		ExitErrHandler:       func(*cli.Context, error) {}, // exit codes are mapped once, in run
		OnUsageError:         onUsageError,
		HideVersion:          true,
		EnableBashCompletion: false,
	}
}

func applyCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:         "apply",
		Usage:        "plan, confirm and apply the baseline (the default command)",
		Flags:        allFlags(),
		Action:       func(c *cli.Context) error { return runBaseline(c, env, false) },
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return flagParseError(err) },
	}
}

func planCommand(env *Env) *cli.Command {
	return &cli.Command{
		Name:         "plan",
		Usage:        "show what apply would change, and change nothing (apply --dry-run)",
		Flags:        allFlags(),
		Action:       func(c *cli.Context) error { return runBaseline(c, env, true) },
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return flagParseError(err) },
	}
}

// options are the checked flags of one plan or apply run.
type options struct {
	spec             baseline.Spec
	aws              AWSOptions
	json             bool
	color            bool
	dryRun           bool
	interactive      bool
	yes              bool
	detailed         bool
	passwordFile     string
	showPassword     bool
	mfaSecretFile    string
	flagIsSet        func(string) bool
	nonInteractiveBy string // why the run is non-interactive, for messages
}

// parseOptions checks every flag before any AWS call.
func parseOptions(c *cli.Context, env *Env, dryRun bool) (options, error) {
	f := flags{c}
	if c.Args().Present() {
		return options{}, newUsageError(nil, "unexpected argument %q: the commands are apply (the default) and plan", c.Args().First())
	}
	o := options{
		dryRun:        dryRun || f.Bool(flagDryRun),
		yes:           f.Bool(flagYes),
		detailed:      f.Bool(flagDetailedExitcode),
		passwordFile:  f.String(flagPasswordFile),
		showPassword:  f.Bool(flagShowPassword),
		mfaSecretFile: f.String(flagMFASecretFile),
		flagIsSet:     f.IsSet,
	}
	switch out := f.String(flagOutput); out {
	case "text":
	case "json":
		o.json = true
	default:
		return o, newUsageError([]string{flagOutput}, "invalid value %q for --%s: want text or json", out, flagOutput)
	}
	var err error
	if o.aws, err = awsOptionsFromFlags(f, env); err != nil {
		return o, err
	}
	spec, err := specFromFlags(f)
	if err != nil {
		return o, err
	}
	o.spec = spec

	noColor, _ := env.LookupEnv("NO_COLOR")
	o.color = !o.json && !f.Bool(flagNoColor) && noColor == "" && env.IsTerminal(env.Stdout)

	switch {
	case f.Bool(flagNonInteractive):
		o.nonInteractiveBy = "--" + flagNonInteractive
	case o.json:
		o.nonInteractiveBy = "--output json"
	case !env.IsTerminal(env.Stdin) || !env.IsTerminal(env.Stdout):
		o.nonInteractiveBy = "standard input or output is not a terminal"
	case env.Interactive == nil:
		o.nonInteractiveBy = "this build has no interactive mode"
	default:
		o.interactive = true
	}

	if o.passwordFile != "" && o.showPassword {
		return o, newUsageError([]string{flagPasswordFile, flagShowPassword}, "--%s and --%s both deliver the password: give one", flagPasswordFile, flagShowPassword)
	}
	if o.passwordFile != "" {
		if err := checkNewFilePath(o.passwordFile); err != nil {
			return o, newUsageError([]string{flagPasswordFile}, "--%s: %v", flagPasswordFile, err)
		}
	}
	if o.mfaSecretFile != "" {
		if o.spec.SkipMFA {
			return o, newUsageError([]string{flagMFASecretFile, flagSkipMFA}, "--%s and --%s contradict each other: give one", flagMFASecretFile, flagSkipMFA)
		}
		if err := mfa.CheckSecretFilePath(o.mfaSecretFile); err != nil {
			return o, newUsageError([]string{flagMFASecretFile}, "--%s: %v", flagMFASecretFile, err)
		}
	}
	if o.passwordFile != "" && o.passwordFile == o.mfaSecretFile {
		return o, newUsageError([]string{flagPasswordFile, flagMFASecretFile}, "--%s and --%s must name different files", flagPasswordFile, flagMFASecretFile)
	}
	if !o.interactive && !o.dryRun && !o.yes {
		return o, newUsageError([]string{flagYes}, "apply without a terminal to confirm on (%s) needs --%s; to only look, use plan or --%s", o.nonInteractiveBy, flagYes, flagDryRun)
	}
	return o, nil
}

// checkNewFilePath reports whether path can be created: it must not exist
// (a password file is never overwritten) and its directory must.
func checkNewFilePath(path string) error {
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: refusing to overwrite it (hint: move it away or name a new file)", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// runBaseline is plan and apply.
func runBaseline(c *cli.Context, env *Env, dryRun bool) error {
	ctx := c.Context
	o, err := parseOptions(c, env, dryRun)
	if err != nil {
		return err
	}
	if err := env.harden(); err != nil {
		return err
	}
	iamClient, stsClient, err := awsClients(ctx, env.LoadAWSConfig, o.aws, env.Stderr)
	if err != nil {
		return err
	}
	deps := baseline.Deps{IAM: iamClient, STS: stsClient, Rand: env.Rand, Now: env.Now,
		SigningAccessKeyID: signingKeyID(ctx, iamClient)}

	if o.interactive {
		return env.Interactive(ctx, &Session{
			Env: env, Spec: o.spec, FlagSet: o.flagIsSet, Deps: deps,
			DryRun: o.dryRun, Yes: o.yes, Color: o.color,
			PasswordFile: o.passwordFile, ShowPassword: o.showPassword,
			DetailedExitcode: o.detailed,
			Accessible:       flags{c}.Bool(flagAccessible),
		})
	}
	return runNonInteractive(ctx, env, o, deps)
}
