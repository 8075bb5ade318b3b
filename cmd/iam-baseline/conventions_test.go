package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/urfave/cli/v2"
	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// runMainEnv makes the test binary behave as iam-baseline itself (see
// TestMain), so that shell completion can be tested through a real shell
// calling a real program, without building one.
const runMainEnv = "IAM_BASELINE_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// program returns a directory holding an executable named iam-baseline (the
// test binary, acting as main), and the environment to run it with.
func program(t *testing.T) (dir string, env []string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.Symlink(self, filepath.Join(dir, "iam-baseline")); err != nil {
		t.Fatal(err)
	}
	env = append(os.Environ(), runMainEnv+"=1", "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir, env
}

// runCLI runs the command line in-process with no AWS behind it: the
// conventions commands must not need any.
func runCLI(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, awsConfig(func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		t.Fatal("a conventions command loaded the AWS configuration")
		return aws.Config{}, nil
	}))
	code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
	return result{code, stdout.String(), stderr.String()}
}

// visibleCommandNames are the commands a user sees in --help.
func visibleCommandNames() []string {
	var names []string
	for _, c := range withConventions(newApp(&Env{}, locale.English), locale.English).Commands {
		if !c.Hidden {
			names = append(names, c.Name)
		}
	}
	return names
}

func TestVersionFlag(t *testing.T) {
	for _, arg := range []string{"--version", "-v"} {
		r := runCLI(t, arg)
		mustCode(t, r, ExitOK)
		if !strings.HasPrefix(r.stdout, "iam-baseline version ") || !strings.Contains(r.stdout, runtime.Version()) {
			t.Errorf("%s printed %q: want the name, a version and the Go version %s", arg, r.stdout, runtime.Version())
		}
		if r.stderr != "" {
			t.Errorf("%s wrote to stderr: %q", arg, r.stderr)
		}
	}
	// In Korean, the line is worded whole; the run stops there as before.
	r := runCLI(t, "--lang", "ko", "--version", "plan")
	mustCode(t, r, ExitOK)
	if !strings.HasPrefix(r.stdout, "iam-baseline 버전 ") || !strings.Contains(r.stdout, "빌드 도구 "+runtime.Version()) || r.stderr != "" {
		t.Errorf("--lang ko --version printed %q, %q", r.stdout, r.stderr)
	}
}

func TestVersionString(t *testing.T) {
	info := &debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/iam-baseline/iam-baseline", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{
			{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-11-30T03:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	want := "v1.2.3 (revision 0123456789ab with local changes, committed 2026-11-30T03:00:00Z, built with go1.26.0 linux/arm64)"
	if got := versionString(locale.English, info, true); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	info.Main.Version = "(devel)"
	info.Settings = nil
	if got := versionString(locale.English, info, true); got != "devel (built with go1.26.0)" {
		t.Errorf("local build without VCS stamp: %q", got)
	}
	if got := versionString(locale.English, nil, false); !strings.HasPrefix(got, "unknown") {
		t.Errorf("no build info: %q", got)
	}
	ko := locale.New(language.Korean)
	if got := versionString(ko, info, true); got != "devel (빌드 도구 go1.26.0)" {
		t.Errorf("in Korean: %q", got)
	}
	if got := versionString(ko, nil, false); !strings.HasPrefix(got, "알 수 없음") {
		t.Errorf("no build info, in Korean: %q", got)
	}
}

func TestManPage(t *testing.T) {
	r := runCLI(t, "man")
	mustCode(t, r, ExitOK)
	page := r.stdout
	if !strings.HasPrefix(page, ".nh\n.TH iam-baseline 1") {
		t.Fatalf("not a section 1 roff page:\n%.300s", page)
	}
	for _, section := range []string{"NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS", "EXIT STATUS", "ENVIRONMENT", "EXAMPLES"} {
		if !strings.Contains(page, "\n.SH "+section+"\n") {
			t.Errorf("man page has no %s section", section)
		}
	}
	for _, name := range visibleCommandNames() {
		if name != "help" && !strings.Contains(page, "\n.TP\n.B "+name+"\n") {
			t.Errorf("man page does not describe command %s", name)
		}
	}
	// Each flag of plan and apply once, under OPTIONS, not under every
	// command that takes it.
	// (status's --group and --user name what it checks, in its own list.)
	app := withConventions(newApp(&Env{}, locale.English), locale.English)
	for _, f := range baselineFlags(locale.English) {
		want := 1
		if commandHasFlag(app, "status", f.Names()[0]) {
			want = 2
		}
		tag := `\fB` + roffEscape("--"+f.Names()[0])
		if n := strings.Count(page, tag); n != want {
			t.Errorf("man page describes --%s %d times, want %d", f.Names()[0], n, want)
		}
	}
	if !strings.Contains(page, roffEscape("--report-wait")) {
		t.Error("man page does not describe status's --report-wait")
	}
	for _, bad := range []string{"help, h", `=""`, "docs/", "(default: false)", "`"} {
		if strings.Contains(page, bad) {
			t.Errorf("man page shows %q", bad)
		}
	}
	// Brief entries: the page grows with what it describes (commands, flags,
	// exit codes, variables), at most five lines an entry on average.
	if n, entries := strings.Count(page, "\n"), strings.Count(page, "\n.TP\n"); n > 5*entries {
		t.Errorf("man page is %d lines for %d entries: it says more than a reader needs", n, entries)
	}
	if strings.Contains(page, "generate-bash-completion") || strings.Contains(page, ".SH docs") {
		t.Error("man page shows hidden flags or commands")
	}
	if r.stderr != "" {
		t.Errorf("man wrote to stderr: %q", r.stderr)
	}
	if man, err := exec.LookPath("man"); err == nil {
		cmd := exec.Command(man, "-l", "-")
		cmd.Stdin = strings.NewReader(page)
		cmd.Env = append(os.Environ(), "MANPAGER=cat", "PAGER=cat", "MANWIDTH=80")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "bring an AWS account to the IAM first-day baseline") {
			t.Errorf("man -l could not render the page: %v\n%.500s", err, out)
		}
	} else {
		t.Log("man is not installed: the page was checked as text only")
	}
}

func TestCompletionScripts(t *testing.T) {
	for _, shell := range completionShells {
		r := runCLI(t, "completion", shell)
		mustCode(t, r, ExitOK)
		script := r.stdout
		if strings.TrimSpace(script) == "" || r.stderr != "" {
			t.Fatalf("%s: empty script or stderr %q", shell, r.stderr)
		}
		switch shell {
		case "bash", "zsh":
			// These ask the program for candidates, so they name the
			// protocol rather than the commands (TestBashCompletion runs it).
			for _, want := range []string{"--generate-bash-completion", "iam-baseline"} {
				if !strings.Contains(script, want) {
					t.Errorf("%s script lacks %q", shell, want)
				}
			}
		case "fish":
			for _, name := range visibleCommandNames() {
				if !strings.Contains(script, "-a '"+name+"'") {
					t.Errorf("fish script does not complete command %s", name)
				}
			}
			for _, flag := range []string{"-l profile", "-l dry-run", "-l version"} {
				if !strings.Contains(script, flag) {
					t.Errorf("fish script does not complete %s", flag)
				}
			}
		}
	}
	r := runCLI(t, "completion", "tcsh")
	mustCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, `"tcsh"`) || !strings.Contains(r.stderr, "bash, zsh, fish") || r.stdout != "" {
		t.Errorf("unknown shell: stdout %q stderr %q", r.stdout, r.stderr)
	}
	mustCode(t, runCLI(t, "completion"), ExitUsage)
}

// skipUnlessCI skips where a shell is missing on a developer's machine; in
// CI, where .ci/run installs bash, zsh and fish, a missing shell fails.
func skipUnlessCI(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s, and CI must run this test (.ci/run installs it)", why)
	}
	t.Skip(why)
}

// TestBashCompletion loads the bash script into a real bash and completes
// words through the real program.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		skipUnlessCI(t, "bash is not installed")
	}
	_, env := program(t)
	complete := func(words ...string) []string {
		t.Helper()
		script := `source <(iam-baseline completion bash) || exit 9
complete -p iam-baseline | grep -q -- '-F _iam_baseline' || exit 8
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_iam_baseline
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, append([]string{"--norc", "--noprofile", "-c", script, "bash"}, words...)...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("completing %q: %v\n%s", words, err, stderr.String())
		}
		return strings.Fields(string(out))
	}
	got := complete("iam-baseline", "")
	for _, name := range visibleCommandNames() {
		if !slices.Contains(got, name) {
			t.Errorf("completing the command: %v lacks %s", got, name)
		}
	}
	if slices.Contains(got, "h") {
		t.Errorf("completing the command offers the alias h: %v", got)
	}
	if got := complete("iam-baseline", "pl"); !slices.Equal(got, []string{"plan"}) {
		t.Errorf("completing %q: %v, want [plan]", "pl", got)
	}
	if got := complete("iam-baseline", "plan", "--pro"); !slices.Equal(got, []string{"--profile"}) {
		t.Errorf("completing a flag of plan: %v, want [--profile]", got)
	}
	assertListsFlags(t, "bash: status --", complete("iam-baseline", "status", "--"))
	if got := complete("iam-baseline", "--dry"); !slices.Equal(got, []string{"--dry-run"}) {
		t.Errorf("completing a flag before the command: %v, want [--dry-run]", got)
	}
	if got := complete("iam-baseline", "completion", ""); !slices.Equal(got, []string{"bash", "zsh", "fish"}) {
		t.Errorf("completing the shell: %v", got)
	}
}

// assertListsFlags checks that completing a bare "--" after status offered
// status's flags (and only flags).
func assertListsFlags(t *testing.T, what string, got []string) {
	t.Helper()
	for _, want := range []string{"--profile", "--output", "--endpoint-url"} {
		if !slices.Contains(got, want) {
			t.Errorf("%s: %v lacks %s", what, got, want)
		}
	}
	for _, c := range got {
		if !strings.HasPrefix(c, "--") {
			t.Errorf("%s: %q is not a flag", what, c)
		}
	}
}

// TestZshCompletion loads the zsh script into a real zsh and runs its
// completion function with compadd replaced by a printer: the candidates
// come from the real program.
func TestZshCompletion(t *testing.T) {
	zsh, err := exec.LookPath("zsh")
	if err != nil {
		skipUnlessCI(t, "zsh is not installed")
	}
	_, env := program(t)
	complete := func(words ...string) []string {
		t.Helper()
		script := `compdef() { :; }
compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
_files() { print -- FILES; }
source <(iam-baseline completion zsh) || exit 9
words=("$@"); CURRENT=$#
_iam_baseline`
		cmd := exec.Command(zsh, append([]string{"-f", "-c", script, "zsh"}, words...)...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("completing %q: %v\n%s", words, err, stderr.String())
		}
		return strings.Fields(string(out))
	}
	assertListsFlags(t, "zsh: status --", complete("iam-baseline", "status", "--"))
	if got := complete("iam-baseline", "plan", "--pro"); !slices.Equal(got, []string{"--profile"}) {
		t.Errorf("zsh: completing a flag of plan: %v, want [--profile]", got)
	}
	if got := complete("iam-baseline", "sta"); !slices.Contains(got, "status") {
		t.Errorf("zsh: completing a command: %v lacks status", got)
	}
}

// The zsh and fish scripts are at least valid syntax where those shells
// are installed (CI installs neither; bash is tested above for real).
func TestZshAndFishScriptsParse(t *testing.T) {
	found := false
	for _, shell := range []string{"zsh", "fish"} {
		path, err := exec.LookPath(shell)
		if err != nil {
			continue
		}
		found = true
		r := runCLI(t, "completion", shell)
		mustCode(t, r, ExitOK)
		cmd := exec.Command(path, "-n")
		cmd.Stdin = strings.NewReader(r.stdout)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s -n rejects the script: %v\n%s", shell, err, out)
		}
	}
	if !found {
		skipUnlessCI(t, "neither zsh nor fish is installed")
	}
}

// Where fish is installed, its completion of the real program is checked too.
func TestFishCompletion(t *testing.T) {
	fish, err := exec.LookPath("fish")
	if err != nil {
		skipUnlessCI(t, "fish is not installed")
	}
	_, env := program(t)
	cmd := exec.Command(fish, "--no-config", "-c", `iam-baseline completion fish | source; complete -C "iam-baseline pl"; complete -C "iam-baseline plan --dry"; complete -C "iam-baseline status --"`)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fish: %v\n%s", err, out)
	}
	for _, want := range []string{"plan\t", "--dry-run\t", "--endpoint-url\t", "--output\t"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("fish completions lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(string(out), "`") {
		t.Errorf("fish shows backticks in descriptions:\n%s", out)
	}
}

// Data goes to stdout, everything else to stderr.
func TestStdoutIsDataStderrIsTheRest(t *testing.T) {
	r := runCLI(t, "man", "extra")
	mustCode(t, r, ExitUsage)
	if r.stdout != "" || !strings.Contains(r.stderr, "man takes no arguments") {
		t.Errorf("usage error: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	r = runCLI(t, "docs", "usage")
	mustCode(t, r, ExitOK)
	if !strings.HasPrefix(r.stdout, "# Command-line reference") || r.stderr != "" {
		t.Errorf("docs usage: stdout %.80q, stderr %q", r.stdout, r.stderr)
	}
}

// NO_COLOR (any non-empty value) and --no-color keep ANSI colours out of
// the output even on a terminal; without them a terminal gets colours.
func TestNoColor(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	plan := func(env map[string]string, args ...string) string {
		t.Helper()
		var stdout, stderr bytes.Buffer
		e := newTestEnv(&stdout, &stderr, envVars(env), onTerminal(), simAccount(srv.URL, iamsim.DefaultRootAccessKeyID))
		code := run(context.Background(), e, append([]string{"iam-baseline", "plan", "--non-interactive"}, args...))
		if code != ExitOK {
			t.Fatalf("plan exited %d: %s", code, stderr.String())
		}
		return stdout.String() + stderr.String()
	}
	const esc = "\x1b["
	if out := plan(nil); !strings.Contains(out, esc) {
		t.Fatalf("no colours on a terminal at all, so this test cannot tell:\n%s", out)
	}
	for name, out := range map[string]string{
		"NO_COLOR=1":   plan(map[string]string{"NO_COLOR": "1"}),
		"NO_COLOR=yes": plan(map[string]string{"NO_COLOR": "yes"}),
		"--no-color":   plan(nil, "--no-color"),
	} {
		if strings.Contains(out, esc) {
			t.Errorf("%s: ANSI escapes in the output:\n%q", name, out)
		}
	}
}

// Every command answers a flag it does not know with one message shape and
// exit status 2, before any AWS call (runCLI fails on one).
func TestUsageErrorsHaveOneShapeInEveryCommand(t *testing.T) {
	app := withConventions(newApp(&Env{}, locale.English), locale.English)
	for _, name := range append([]string{""}, visibleCommandNames()...) {
		for _, flag := range []string{"--bogus", "--" + flagDetailedExitcode} {
			if flag != "--bogus" && commandHasFlag(app, name, flagDetailedExitcode) {
				continue
			}
			args := []string{flag}
			if name != "" {
				args = []string{name, flag}
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				r := runCLI(t, args...)
				mustCode(t, r, ExitUsage)
				want := "iam-baseline: unknown flag " + flag + "\n"
				if !strings.HasPrefix(r.stderr, want) || r.stdout != "" {
					t.Errorf("stderr %q, want it to start with %q; stdout %q", r.stderr, want, r.stdout)
				}
			})
		}
	}
}

// commandHasFlag reports whether the command (the app for "") defines flag.
func commandHasFlag(app *cli.App, command, flag string) bool {
	flags := app.Flags
	if c := app.Command(command); c != nil {
		flags = c.Flags
	}
	for _, f := range flags {
		if slices.Contains(f.Names(), flag) {
			return true
		}
	}
	return false
}

// A mistyped command lists every command and suggests the nearest.
func TestMistypedCommandSuggestsTheNearest(t *testing.T) {
	for typo, want := range map[string]string{"stauts": "status", "pln": "plan", "aply": "apply", "dmeo": "demo", "xyzzy": ""} {
		r := runCLI(t, typo)
		mustCode(t, r, ExitUsage)
		for _, name := range visibleCommandNames() {
			if !strings.Contains(r.stderr, name) {
				t.Errorf("%s: the message does not list %s:\n%s", typo, name, r.stderr)
			}
		}
		suggestion := fmt.Sprintf("did you mean %q?", want)
		if want == "" && strings.Contains(r.stderr, "did you mean") {
			t.Errorf("%s: a suggestion for a word that is no typo:\n%s", typo, r.stderr)
		}
		if want != "" && !strings.Contains(r.stderr, suggestion) {
			t.Errorf("%s: no %s in:\n%s", typo, suggestion, r.stderr)
		}
	}
}

// Every command's help describes it with examples, says no docs/ path an
// installed binary lacks, shows no "(default: false)", and lists only the
// flags that command uses.
func TestHelpOfEveryCommand(t *testing.T) {
	app := runCLI(t, "--help")
	mustCode(t, app, ExitOK)
	for _, code := range []string{"0 success", "1 error", "2 usage", "3 status", "130 interrupted"} {
		if !strings.Contains(app.stdout, code) {
			t.Errorf("the program's help does not say exit code %q:\n%s", code, app.stdout)
		}
	}
	if strings.Contains(app.stdout, "help, h") || strings.Contains(app.stdout, "Shows a list") {
		t.Errorf("urfave/cli's help command shows:\n%s", app.stdout)
	}
	for _, name := range visibleCommandNames() {
		r := runCLI(t, name, "--help")
		mustCode(t, r, ExitOK)
		help := r.stdout
		if name != "help" && !strings.Contains(strings.ToLower(help), "example") {
			t.Errorf("%s --help has no examples:\n%s", name, help)
		}
		if !strings.Contains(help, "DESCRIPTION:") && name != "help" {
			t.Errorf("%s --help has no description", name)
		}
		for _, bad := range []string{"(default: false)", "docs/", ".md"} {
			if strings.Contains(help, bad) {
				t.Errorf("%s --help shows %q:\n%s", name, bad, help)
			}
		}
	}
	demo := runCLI(t, "demo", "--help").stdout
	for _, f := range []string{"--profile", "--region", "--endpoint-url", "AWS connection"} {
		if strings.Contains(demo, f) {
			t.Errorf("demo --help lists %s, which the demo would ignore:\n%s", f, demo)
		}
	}
	mustCode(t, runCLI(t, "demo", "--profile", "x"), ExitUsage)
	if r := runCLI(t, "help", "status"); r.code != ExitOK || !strings.Contains(r.stdout, "iam-baseline status") {
		t.Errorf("help status: %d %q %q", r.code, r.stdout, r.stderr)
	}
}
