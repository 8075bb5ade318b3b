package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// wantRefused checks a refused run: the exit code, every fragment in
// stderr, and which requests reached the simulator (none at all, or none
// that changes anything).
func (r *rig) wantRefused(res runResult, code int, noRequest bool, fragments ...string) {
	r.t.Helper()
	if res.code != code {
		r.t.Errorf("exit %d, want %d\nstderr:\n%s", res.code, code, res.stderr)
	}
	for _, f := range fragments {
		if !strings.Contains(res.stderr, f) {
			r.t.Errorf("stderr lacks %q:\n%s", f, res.stderr)
		}
	}
	if m := r.mutating(); len(m) > 0 {
		r.t.Errorf("mutating requests were sent: %v", m)
	}
	if n := len(r.sim.Log()); noRequest && n > 0 {
		r.t.Errorf("%d requests reached AWS, want none", n)
	}
}

func TestBadEndpointURLs(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	for _, u := range []string{"ftp://iam.amazonaws.com", "http://", "iam.amazonaws.com", "://x", "http://exa mple.com", "https://[::1"} {
		for _, cmd := range [][]string{{"plan"}, {"apply", "--non-interactive", "--yes", "--skip-mfa", "--show-password"}, {"status"}} {
			t.Run(strings.Join(cmd, " ")+" "+u, func(t *testing.T) {
				r.t = t
				r.sim.ResetLog()
				res := r.run(append(cmd, "--endpoint-url", u)...)
				r.wantRefused(res, ExitUsage, true, "--endpoint-url")
			})
		}
	}
}

func TestExpiredCredentials(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	r.sim.ExpireCredentials(r.key)
	for _, args := range [][]string{
		{"plan"},
		{"apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", r.path("pw")},
		{"status"},
	} {
		r.sim.ResetLog()
		res := r.run(args...)
		r.wantRefused(res, ExitError, false, "ExpiredToken", "hint: the AWS credentials have expired: get new ones")
		wantNoSDKText(t, res.stderr)
	}
	// Under --debug the SDK's own text follows, for a bug report.
	r.wantRefused(r.run("plan", "--debug"), ExitError, false, "debug: ", "operation error")
	if _, err := os.Stat(r.path("pw")); err == nil {
		t.Error("a password file was left although nothing was set")
	}
}

func TestUnknownAccessKey(t *testing.T) {
	acct := iamsim.DefaultAccount()
	acct.AnyKeyIsRoot = false
	r := newRig(t, iamsim.Options{Accounts: []iamsim.AccountConfig{acct}})
	r.key = "AKIANOTKNOWNEXAMPLE1"
	res := r.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--show-password")
	r.wantRefused(res, ExitError, false, "InvalidClientTokenId", "hint: AWS does not accept these credentials: check the access key")
	wantNoSDKText(t, res.stderr)
}

// TestNoCredentials runs the product's own configuration loader in a world
// with no credentials anywhere: a clear error before any request.
func TestNoCredentials(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	sdkWorld(t)
	load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) {
		t.Fatal("asked for an MFA code")
		return "", nil
	})
	for _, args := range [][]string{{"plan"}, {"apply", "--non-interactive", "--yes", "--skip-mfa", "--show-password"}, {"status"}} {
		var stdout, stderr bytes.Buffer
		env := newTestEnv(&stdout, &stderr, processEnv(), awsConfig(load))
		code := run(context.Background(), env, append([]string{"iam-baseline"}, append(args, "--endpoint-url", r.srv.URL)...))
		r.wantRefused(runResult{code: code, stdout: stdout.String(), stderr: stderr.String()}, ExitError, true, "iam-baseline: no AWS credentials were found\nhint: set AWS_PROFILE")
	}
}

// TestAccessDeniedNamesTheAction: a read refused stops the run before any
// change; a write refused is named too. Both point at `iam-baseline policy`.
func TestAccessDeniedNamesTheAction(t *testing.T) {
	for _, action := range []string{"GetAccountPasswordPolicy", "ListVirtualMFADevices", "CreateUser"} {
		t.Run(action, func(t *testing.T) {
			r := newRig(t, iamsim.Options{})
			r.sim.AddFault(iamsim.Fault{Action: action, Code: "AccessDenied",
				Message: "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: iam:" + action + " on resource: *"})
			res := r.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", r.path("pw"))
			want := []string{"AccessDenied", "hint: the credentials may not call iam:" + action, "`iam-baseline policy`"}
			if action != "CreateUser" {
				r.wantRefused(res, ExitError, false, want...)
				return
			}
			// Writes that do not need the user were made; the next run
			// finishes once the permission is there (see the fault matrix).
			r.wantCode(res, ExitError)
			if n := strings.Count(res.stderr, "AccessDenied"); n != 1 {
				t.Errorf("the step's error is printed %d times, want once:\n%s", n, res.stderr)
			}
			for _, w := range want {
				if !strings.Contains(res.stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, res.stderr)
				}
			}
		})
	}
}

// wantNoSDKText fails when the SDK's own error text reached the user.
func wantNoSDKText(t *testing.T, stderr string) {
	t.Helper()
	for _, sdk := range []string{"operation error", "https response error", "RequestID", "StatusCode"} {
		if strings.Contains(stderr, sdk) {
			t.Errorf("the SDK's text %q without --debug:\n%s", sdk, stderr)
		}
	}
}

// An endpoint that refuses the connection is not a credentials problem.
func TestUnreachableEndpoint(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	r.fastRetries = true
	for _, args := range [][]string{{"plan"}, {"status"}} {
		res := r.run(append(args, "--endpoint-url", "http://127.0.0.1:1")...)
		r.wantRefused(res, ExitError, false, "could not reach the AWS endpoint", "hint: check the network")
		wantNoSDKText(t, res.stderr)
		if strings.Contains(res.stderr, "credentials") {
			t.Errorf("%v: an unreachable endpoint blamed on the credentials:\n%s", args, res.stderr)
		}
	}
}

// Throttling that outlasts the retries says so, and what to do.
func TestThrottledOut(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	r.fastRetries = true
	r.sim.AddFault(iamsim.Fault{Action: "GetAccountSummary", Code: "Throttling", Message: "Rate exceeded"})
	res := r.run("plan")
	r.wantRefused(res, ExitError, false, "Throttling", "hint: AWS kept throttling the requests, also after the retries: wait a minute")
	wantNoSDKText(t, res.stderr)
}

// TestMalformedMFAToken: a profile whose role needs an MFA code, on a
// terminal, given only malformed codes: refused locally, with the reason,
// and nothing is sent to AWS (not even the AssumeRole).
func TestMalformedMFAToken(t *testing.T) {
	f := newMFARoleFixture(t)
	t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
	var stdout, stderr bytes.Buffer
	in := strings.NewReader("98x765\n9876543\n 98 76 5\n")
	env := newTestEnv(&stdout, &stderr, stdin(in), processEnv(), onTerminal())
	env.LoadAWSConfig = loadConfigAskingForMFA(os.LookupEnv, terminalMFAToken(in, &stderr, env.IsTerminal))
	code := run(context.Background(), env, []string{"iam-baseline", "plan", "--profile", "admin"})
	if code != ExitError {
		t.Errorf("exit %d, want %d\n%s", code, ExitError, stderr.String())
	}
	for _, want := range []string{"an MFA code is six digits", "try 3 of 3", "no valid MFA code"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	if strings.Contains(stderr.String(), "hint: no AWS credentials") {
		t.Errorf("a refused MFA code is taken for missing credentials:\n%s", stderr.String())
	}
	for _, bad := range []string{"98x765", "9876543"} {
		if strings.Contains(stderr.String(), bad) {
			t.Errorf("a refused code is echoed: %q\n%s", bad, stderr.String())
		}
	}
	if n := len(f.srv.Sim.Log()); n != 0 {
		t.Errorf("%d requests reached AWS, want none", n)
	}
}
