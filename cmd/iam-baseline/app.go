package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
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
	// TerminalWidth is the width in columns of Stdout or Stderr when it is
	// a terminal, else 0 (nil: never a terminal). Text for people is
	// wrapped at words to it; what goes to a pipe or a file is not
	// wrapped, so that each reason and error stays one line to grep, and a
	// pager or editor wraps it to its own width.
	TerminalWidth func(any) int
	// LoadAWSConfig loads the SDK configuration (loadConfigAskingForMFA).
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
	// Processes tells this process's identity and whether another run's
	// process ended (mfa.LocalProcesses); nil: unknown.
	Processes mfa.Processes
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
	// ConfirmRequireMFA: --confirm-require-mfa.
	ConfirmRequireMFA bool
	// Accessible: plain line prompts (--accessible, ACCESSIBLE=1).
	Accessible bool
	// Tr words the screens in the operator's language.
	Tr locale.Printer
}

// width is the columns of w when it is a terminal, else 0.
func (e *Env) width(w any) int {
	if e.TerminalWidth == nil {
		return 0
	}
	if ww, ok := w.(io.Writer); ok {
		// Stderr is shared behind a lock; its width is the terminal's.
		w = terminalWriter(ww)
	}
	return e.TerminalWidth(w)
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
	tr := helpLanguage(args[1:], env.LookupEnv)
	err := withConventions(newApp(env, tr), tr).RunContext(ctx, args)
	return exitCode(env.Stderr, tr, env.width(env.Stderr), err, flagAsked(args[1:], flagDetailedExitcode), flagAsked(args[1:], flagDebug))
}

// helpLanguage is the language of --help, the man page and the errors,
// which are worded before (or without) the flags being parsed: --lang as
// given on the command line, then the locale variables, by the one rule
// (locale.Choose). A --lang it does not know words them in English; the run
// then stops with that usage error.
func helpLanguage(args []string, lookupEnv func(string) (string, bool)) locale.Printer {
	lang, _ := flagValue(args, flagLang)
	if lookupEnv == nil {
		lookupEnv = func(string) (string, bool) { return "", false }
	}
	tr, err := locale.Choose(lang, lookupEnv)
	if err != nil {
		return locale.English
	}
	return tr
}

// newApp is the command tree, its help worded by tr.
func newApp(env *Env, tr locale.Printer) *cli.App {
	return &cli.App{
		Name:        "iam-baseline",
		Usage:       tr.T("bring an AWS account to the IAM first-day baseline"),
		Description: appDescription(tr) + "\n\n" + exitCodesHelp(tr) + "\n\n" + applyExamples(tr),
		Flags:       allFlags(tr),
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return unknownCommand(c.App, c.Args().First())
			}
			return runBaseline(c, env, false)
		},
		Commands:             []*cli.Command{applyCommand(env, tr), planCommand(env, tr), statusCommand(env, tr), demoCommand(env, tr), policyCommand(env, tr)},
		Reader:               env.Stdin,
		Writer:               env.Stdout,
		ErrWriter:            env.Stderr,
		ExitErrHandler:       func(*cli.Context, error) {}, // exit codes are mapped once, in run
		OnUsageError:         onUsageError,
		HideVersion:          true,
		EnableBashCompletion: false,
	}
}

func applyCommand(env *Env, tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:  "apply",
		Usage: tr.T("plan, confirm and apply the baseline (the default command)"),
		Description: tr.T("Reads the account, shows the plan, asks to confirm it and applies it. On a terminal it is a\n"+
			"wizard that asks for the names and shows the MFA QR code; without one it takes flags only and\n"+
			"needs --yes. Running it again changes only what is missing.") + "\n\n" + applyExamples(tr),
		Flags:        allFlags(tr),
		Action:       func(c *cli.Context) error { return runBaseline(c, env, false) },
		OnUsageError: onUsageError,
	}
}

func planCommand(env *Env, tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:  "plan",
		Usage: tr.T("show what apply would change, and change nothing (apply --dry-run)"),
		Description: tr.T("Reads the account and prints each change apply would make, with its reason; sends no request\n"+
			"that changes anything. Examples:") + "\n" +
			"  iam-baseline plan\n" +
			"  iam-baseline plan --output json > plan.json\n" +
			"  iam-baseline plan --skip-mfa --detailed-exitcode   # " + tr.T("exit 2 when there are changes"),
		Flags:        allFlags(tr),
		Action:       func(c *cli.Context) error { return runBaseline(c, env, true) },
		OnUsageError: onUsageError,
	}
}

// appDescription says what the program does, in help and the man page.
func appDescription(tr locale.Printer) string {
	return tr.T("Plans, shows, and applies: an admin group with AdministratorAccess, an administrator user\n" +
		"with a temporary console password, the account password policy and a virtual MFA device for\n" +
		"that user; it reports what only the root user can fix and prints the sign-in URL.")
}

// exitCodeMeanings are the exit codes as help and the man page say them: an
// installed binary comes without docs/.
// The codes never change with the language; their meanings are worded.
func exitCodeMeanings(tr locale.Printer) []exitCodeMeaning {
	return []exitCodeMeaning{
		{ExitOK, tr.T("success")},
		{ExitError, tr.T("error (a re-run finishes what stopped)")},
		{ExitUsage, tr.T("usage error, or, with --detailed-exitcode, changes found or made")},
		{ExitFindings, tr.T("status found a failing check")},
		{ExitInterrupted, tr.T("interrupted (Ctrl-C or SIGTERM)")},
	}
}

type exitCodeMeaning struct {
	code    int
	meaning string
}

// exitCodesHelp is exitCodeMeanings in one paragraph.
func exitCodesHelp(tr locale.Printer) string {
	meanings := exitCodeMeanings(tr)
	parts := make([]string, len(meanings))
	for i, e := range meanings {
		parts[i] = fmt.Sprintf("%d %s", e.code, e.meaning)
	}
	return tr.T("Exit codes: %s.", strings.Join(parts, "; "))
}

// applyExamples are apply's examples, in its help and the program's: the
// commands as they are typed, the comments worded.
func applyExamples(tr locale.Printer) string {
	return tr.T("Examples:") + "\n" +
		"  iam-baseline                                   # " + tr.T("the wizard, on a terminal") + "\n" +
		"  iam-baseline demo                              # " + tr.T("rehearse against a simulated account") + "\n" +
		"  iam-baseline apply --yes --password-file pw --mfa-secret-file mfa   # " + tr.T("unattended") + "\n" +
		"  iam-baseline apply --profile new-account --user alice"
}

// options are the checked flags of one plan or apply run.
type options struct {
	spec  baseline.Spec
	aws   AWSOptions
	json  bool
	color bool
	// width: the text views wrap at words to it (0: not at all).
	width            int
	dryRun           bool
	interactive      bool
	yes              bool
	detailed         bool
	passwordFile     string
	showPassword     bool
	mfaSecretFile    string
	replaceAlias     bool
	flagIsSet        func(string) bool
	nonInteractiveBy locale.Msg // why the run is non-interactive, for messages (no key: it is interactive)
	tr               locale.Printer
	// confirmRequireMFA: --confirm-require-mfa.
	confirmRequireMFA bool
}

// flagValues reads the flags of one command line: flags in the product, a
// parsed test command line in the table tests.
type flagValues interface {
	String(name string) string
	Bool(name string) bool
	Int(name string) int
	Duration(name string) time.Duration
	IsSet(name string) bool
}

// runEnv is what a run knows about where it runs, decided once, before the
// flags are read.
type runEnv struct {
	// noColorEnv: NO_COLOR is set.
	noColorEnv bool
	// stdinTerminal, stdoutTerminal: the streams are terminals.
	stdinTerminal, stdoutTerminal bool
	// stdoutWidth: the columns of stdout when a terminal, else 0.
	stdoutWidth int
	// interactiveBuilt: this build has the wizard (Env.Interactive).
	interactiveBuilt bool
	backoff          retry.BackoffDelayer
	// lookupEnv reads the locale variables.
	lookupEnv func(string) (string, bool)
}

func newRunEnv(env *Env) runEnv {
	noColor, _ := env.LookupEnv("NO_COLOR")
	return runEnv{
		noColorEnv:       noColor != "",
		stdinTerminal:    env.IsTerminal(env.Stdin),
		stdoutTerminal:   env.IsTerminal(env.Stdout),
		stdoutWidth:      env.width(env.Stdout),
		interactiveBuilt: env.Interactive != nil,
		backoff:          env.RetryBackoff,
		lookupEnv:        env.LookupEnv,
	}
}

// parseOptions turns the command line of plan or apply into options, or a
// usage error that names the flag: a pure function of its arguments (the
// files named by flags are checked by checkOptionFiles).
func parseOptions(f flagValues, args []string, e runEnv, dryRun bool) (options, error) {
	if len(args) > 0 {
		return options{}, newUsageError(nil, locale.M("unexpected argument %q: apply and plan take only flags", args[0]))
	}
	o := options{
		dryRun:            dryRun || f.Bool(flagDryRun),
		yes:               f.Bool(flagYes),
		detailed:          f.Bool(flagDetailedExitcode),
		passwordFile:      f.String(flagPasswordFile),
		showPassword:      f.Bool(flagShowPassword),
		mfaSecretFile:     f.String(flagMFASecretFile),
		replaceAlias:      f.Bool(flagReplaceAccountAlias),
		flagIsSet:         f.IsSet,
		confirmRequireMFA: f.Bool(flagConfirmRequireMFA),
	}
	var err error
	if o.json, err = outputJSON(f.String(flagOutput)); err != nil {
		return o, err
	}
	if o.aws, err = awsOptionsFromFlags(f, e.backoff); err != nil {
		return o, err
	}
	if o.tr, err = chooseLanguage(f, e); err != nil {
		return o, err
	}
	o.aws.Tr = o.tr
	if o.spec, err = specFromFlags(f); err != nil {
		return o, err
	}
	if o.replaceAlias && o.spec.AccountAlias == "" {
		return o, newUsageError([]string{flagReplaceAccountAlias, flagAccountAlias},
			locale.M("--%s lets --%s replace the current alias: give --%s ALIAS too", flagReplaceAccountAlias, flagAccountAlias, flagAccountAlias))
	}
	o.color = !o.json && colorWanted(f, e, e.stdoutTerminal)
	o.width = e.stdoutWidth
	o.nonInteractiveBy = nonInteractiveReason(f, o.json, e)
	o.interactive = o.nonInteractiveBy.Key == ""
	return o, checkDelivery(o)
}

// chooseLanguage is the one rule for the language: --lang, then the
// locale variables.
func chooseLanguage(f flagValues, e runEnv) (locale.Printer, error) {
	lookup := e.lookupEnv
	if lookup == nil {
		lookup = func(string) (string, bool) { return "", false }
	}
	tr, err := locale.Choose(f.String(flagLang), lookup)
	if err != nil {
		return tr, newUsageError([]string{flagLang}, locale.M("unknown language %q; hint: --%s takes %s", f.String(flagLang), flagLang, locale.Names()))
	}
	return tr, nil
}

// colorWanted is the one rule for colour: not asked away (--no-color,
// NO_COLOR) and drawn on a terminal.
func colorWanted(f flagValues, e runEnv, onTerminal bool) bool {
	return !f.Bool(flagNoColor) && !e.noColorEnv && onTerminal
}

// outputJSON reads --output.
func outputJSON(out string) (bool, error) {
	switch out {
	case "text":
		return false, nil
	case "json":
		return true, nil
	}
	return false, newUsageError([]string{flagOutput}, locale.M("invalid value %q for --%s: want text or json", out, flagOutput))
}

// nonInteractiveReason says why the run cannot be the wizard, or nothing
// (the zero Msg) when it is.
func nonInteractiveReason(f flagValues, json bool, e runEnv) locale.Msg {
	switch {
	case f.Bool(flagNonInteractive):
		return locale.M("--%s", flagNonInteractive)
	case json:
		return locale.M("--%s json", flagOutput)
	case !e.stdinTerminal || !e.stdoutTerminal:
		return locale.M("standard input or output is not a terminal")
	case !e.interactiveBuilt:
		return locale.M("this build has no interactive mode")
	}
	return locale.Msg{}
}

// checkDelivery checks the flags that say where secrets go and whether a
// run without a terminal may apply.
func checkDelivery(o options) error {
	if o.passwordFile != "" && o.showPassword {
		return newUsageError([]string{flagPasswordFile, flagShowPassword}, locale.M("--%s and --%s both deliver the password: give one", flagPasswordFile, flagShowPassword))
	}
	if o.mfaSecretFile != "" && o.interactive && !o.dryRun {
		// The wizard enrolls with a person and a QR code; silently
		// ignoring the file would leave a script waiting for it.
		return newUsageError([]string{flagMFASecretFile, flagNonInteractive},
			locale.M("--%s is not used by the interactive wizard, which shows the QR code on the terminal: refusing it rather than ignoring it; to write the secret to the file instead, add --%s (with --%s)",
				flagMFASecretFile, flagNonInteractive, flagYes))
	}
	if o.mfaSecretFile != "" && o.spec.SkipMFA {
		return newUsageError([]string{flagMFASecretFile, flagSkipMFA}, locale.M("--%s and --%s contradict each other: give one", flagMFASecretFile, flagSkipMFA))
	}
	if !o.interactive && !o.dryRun && !o.yes {
		return joinUsageErrors(
			newUsageError([]string{flagYes}, locale.M("apply without a terminal to confirm on (%s) needs --%s; to only look, use plan or --%s", o.nonInteractiveBy, flagYes, flagDryRun)),
			unattendedDeliveryMissing(o))
	}
	return nil
}

// unattendedDeliveryMissing names the secrets' destinations an unattended
// apply lacks, before the plan tells whether it needs them, so that a run
// stopped for --yes reports them in the same message; nil when none is
// missing.
func unattendedDeliveryMissing(o options) error {
	var flags []string
	var lines []any
	if o.passwordFile == "" && !o.showPassword {
		flags = append(flags, flagPasswordFile, flagShowPassword)
		lines = append(lines, locale.M("  if the plan sets a temporary password: --%s PATH or --%s", flagPasswordFile, flagShowPassword))
	}
	if o.mfaSecretFile == "" && !o.spec.SkipMFA {
		flags = append(flags, flagMFASecretFile, flagSkipMFA)
		lines = append(lines, locale.M("  if the plan enrolls an MFA device: --%s PATH or --%s", flagMFASecretFile, flagSkipMFA))
	}
	switch len(lines) {
	case 0:
		return nil
	case 1:
		return newUsageError(flags, locale.M("it may also need, as a new account does:\n%s", lines...))
	}
	return newUsageError(flags, locale.M("it may also need, as a new account does:\n%s\n%s", lines...))
}

// checkOptionFiles checks, before any AWS call, that the files the flags
// name can be written: their directories take new files, and they are two
// files, not one named twice (by symbolic links, "./", ".."). Whether a file
// that exists may be written over depends on the plan (operation.run).
func checkOptionFiles(o options) error {
	if o.passwordFile != "" {
		if err := secret.CheckDir(o.passwordFile); err != nil {
			return newUsageError([]string{flagPasswordFile}, locale.M("--%s: %v", flagPasswordFile, err))
		}
	}
	if o.mfaSecretFile != "" {
		if err := mfa.CheckSecretFilePath(o.mfaSecretFile); err != nil {
			return newUsageError([]string{flagMFASecretFile}, locale.M("--%s: %v", flagMFASecretFile, err))
		}
	}
	if o.passwordFile != "" && o.mfaSecretFile != "" && secret.SameFile(o.passwordFile, o.mfaSecretFile) {
		return newUsageError([]string{flagPasswordFile, flagMFASecretFile}, locale.M("--%s and --%s name the same file (%s): give two different files", flagPasswordFile, flagMFASecretFile, o.mfaSecretFile))
	}
	return nil
}

// runBaseline is plan and apply.
func runBaseline(c *cli.Context, env *Env, dryRun bool) error {
	if (flags{c}).Bool(flagOrganization) {
		return runOrgApply(c, env, dryRun)
	}
	ctx := c.Context
	o, err := parseOptions(flags{c}, c.Args().Slice(), newRunEnv(env), dryRun)
	if err == nil {
		err = checkOptionFiles(o)
	}
	if err != nil {
		return err
	}
	if err := env.harden(); err != nil {
		return err
	}
	cfg, err := loadRunConfig(ctx, env.LoadAWSConfig, o.aws, env.Stderr)
	if err != nil {
		return err
	}
	deps := baselineClients(cfg)
	deps.Rand, deps.Now, deps.Processes = env.Rand, env.Now, env.Processes
	deps.SigningAccessKeyID = signingKeyID(ctx, cfg.Credentials)

	if o.interactive {
		return env.Interactive(ctx, &Session{
			Env: env, Spec: o.spec, FlagSet: o.flagIsSet, Deps: deps,
			DryRun: o.dryRun, Yes: o.yes, Color: o.color,
			PasswordFile: o.passwordFile, ShowPassword: o.showPassword,
			DetailedExitcode: o.detailed, ConfirmRequireMFA: o.confirmRequireMFA,
			Accessible: flags{c}.Bool(flagAccessible),
			Tr:         o.tr,
		})
	}
	_, err = newFlagOperation(env, o, deps).run(ctx)
	return err
}
