package main

import (
	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"errors"
	"os"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// parseArgs runs parseOptions on a command line, as plan (dryRun) or apply.
func parseArgs(t *testing.T, e runEnv, dryRun bool, args ...string) (options, error) {
	t.Helper()
	var o options
	var perr error
	app := &cli.App{
		Name:  "iam-baseline",
		Flags: allFlags(locale.English),
		Action: func(c *cli.Context) error {
			o, perr = parseOptions(flags{c}, c.Args().Slice(), e, dryRun)
			return nil
		},
	}
	if err := app.Run(append([]string{"iam-baseline"}, args...)); err != nil {
		t.Fatalf("flag parsing: %v", err)
	}
	return o, perr
}

func TestParseOptions(t *testing.T) {
	terminal := runEnv{stdinTerminal: true, stdoutTerminal: true, interactiveBuilt: true}
	pipe := runEnv{}
	tests := []struct {
		name   string
		env    runEnv
		dryRun bool
		args   []string
		// check inspects the options when wantErr is empty.
		check   func(t *testing.T, o options)
		wantErr string
		// wantFlags are the flags the usage error names.
		wantFlags []string
	}{
		{name: "terminal: the wizard, in colour", env: terminal, check: func(t *testing.T, o options) {
			if !o.interactive || !o.color || o.json || o.spec.UserName != "administrator" || o.spec.MFADeviceName != "administrator" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "NO_COLOR", env: runEnv{stdinTerminal: true, stdoutTerminal: true, interactiveBuilt: true, noColorEnv: true}, check: func(t *testing.T, o options) {
			if o.color {
				t.Error("colour despite NO_COLOR")
			}
		}},
		{name: "pipe: plan needs no --yes", env: pipe, dryRun: true, check: func(t *testing.T, o options) {
			if o.interactive || !o.dryRun || o.nonInteractiveBy.String() != "standard input or output is not a terminal" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "pipe: apply needs --yes", env: pipe, wantErr: "needs --yes", wantFlags: []string{flagYes}},
		{name: "json is never the wizard", env: terminal, args: []string{"--output", "json", "--yes"}, check: func(t *testing.T, o options) {
			if o.interactive || !o.json || o.color || o.nonInteractiveBy.String() != "--output json" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "--non-interactive", env: terminal, args: []string{"--non-interactive", "--dry-run"}, check: func(t *testing.T, o options) {
			if o.interactive || o.nonInteractiveBy.String() != "--non-interactive" {
				t.Errorf("%+v", o)
			}
		}},
		{name: "a build without the wizard", env: runEnv{stdinTerminal: true, stdoutTerminal: true}, dryRun: true, check: func(t *testing.T, o options) {
			if o.interactive {
				t.Error("interactive without a wizard")
			}
		}},
		{name: "bad --output", env: terminal, args: []string{"--output", "yaml"}, wantErr: `invalid value "yaml" for --output`, wantFlags: []string{flagOutput}},
		{name: "bad --endpoint-url", env: terminal, args: []string{"--endpoint-url", "iam.example"}, wantErr: "--endpoint-url", wantFlags: []string{flagEndpointURL}},
		{name: "bad --user", env: terminal, args: []string{"--user", "no spaces"}, wantErr: "--user", wantFlags: []string{flagUser}},
		{name: "device follows --user", env: pipe, dryRun: true, args: []string{"--user", "alice"}, check: func(t *testing.T, o options) {
			if o.spec.MFADeviceName != "alice" {
				t.Errorf("MFA device %q, want alice", o.spec.MFADeviceName)
			}
		}},
		{name: "--mfa-device-name wins over --user", env: pipe, dryRun: true, args: []string{"--user", "alice", "--mfa-device-name", "phone"}, check: func(t *testing.T, o options) {
			if o.spec.MFADeviceName != "phone" {
				t.Errorf("MFA device %q, want phone", o.spec.MFADeviceName)
			}
		}},
		{name: "two password deliveries", env: pipe, args: []string{"--yes", "--password-file", "pw", "--show-password"}, wantErr: "give one", wantFlags: []string{flagPasswordFile, flagShowPassword}},
		{name: "--replace-account-alias without an alias", env: pipe, args: []string{"--yes", "--replace-account-alias"}, wantErr: "give --account-alias ALIAS too", wantFlags: []string{flagReplaceAccountAlias, flagAccountAlias}},
		{name: "secret file and --skip-mfa", env: pipe, args: []string{"--yes", "--mfa-secret-file", "m", "--skip-mfa"}, wantErr: "contradict", wantFlags: []string{flagMFASecretFile, flagSkipMFA}},
		{name: "the wizard refuses an MFA secret file", env: terminal, args: []string{"--mfa-secret-file", "m"}, wantErr: "not used by the interactive wizard", wantFlags: []string{flagMFASecretFile, flagNonInteractive}},
		{name: "an argument", env: pipe, args: []string{"--yes", "extra"}, wantErr: `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o, err := parseArgs(t, tt.env, tt.dryRun, tt.args...)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				tt.check(t, o)
				return
			}
			var usage *usageError
			if !errors.As(err, &usage) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got %v, want a usage error with %q", err, tt.wantErr)
			}
			for _, f := range tt.wantFlags {
				if !strings.Contains(strings.Join(usage.flags, " "), f) {
					t.Errorf("the usage error names %v, want %s among them", usage.flags, f)
				}
			}
		})
	}
}

// One file named twice, however spelled, is refused before any AWS call:
// the check compares the files the names resolve to.
func TestCheckOptionFilesSameFile(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("sub", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", "link"); err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"same", "same"}, {"same", "./same"}, {"sub/f", "link/f"}, {"sub/f", "sub/../sub/f"}, {"same", dir + "/same"}} {
		err := checkOptionFiles(options{passwordFile: pair[0], mfaSecretFile: pair[1]})
		if err == nil || !strings.Contains(err.Error(), "same file") {
			t.Errorf("%q and %q: %v, want the same file refused", pair[0], pair[1], err)
		}
	}
	if err := checkOptionFiles(options{passwordFile: "pw", mfaSecretFile: "sub/pw"}); err != nil {
		t.Errorf("two files refused: %v", err)
	}
}

// A directory that takes no file is found before any AWS call, for the MFA
// secret file as for the password file.
func TestCheckOptionFilesUnwritableDirectory(t *testing.T) {
	for _, o := range []options{{mfaSecretFile: "/proc/nope"}, {passwordFile: "/proc/nope"}} {
		err := checkOptionFiles(o)
		if err == nil || !strings.Contains(err.Error(), "takes no new file") {
			t.Errorf("%+v: %v, want the directory refused", o, err)
		}
	}
}

// Numbers are decimal, leading zeros or not: 014 is 14 (CIS's minimum),
// not octal 12.
func TestNumbersAreDecimal(t *testing.T) {
	o, err := parseArgs(t, runEnv{}, true, "--password-min-length", "014", "--password-max-age", "0365", "--password-reuse-prevention", "010")
	if err != nil {
		t.Fatal(err)
	}
	p := o.spec.PasswordPolicy
	if p.MinimumLength != 14 || p.MaxAgeDays != 365 || p.ReusePrevention != 10 {
		t.Errorf("policy %+v, want length 14, max age 365, reuse 10", p)
	}
}
