package main

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Without credentials, on a machine whose instance metadata endpoint answers
// the IMDSv2 token request with 403 (as a proxy or a non-EC2 host may), the
// user reads one sentence about credentials and what to do: no SDK warning
// about falling back to IMDSv1, no SDK error text without --debug.
func TestNoCredentialsIsOneSentenceWithoutSDKNoise(t *testing.T) {
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(imds.Close)
	dir, env := program(t)
	empty := filepath.Join(t.TempDir(), "none")
	var clean []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "AWS_") || strings.HasPrefix(kv, runMainEnv) {
			clean = append(clean, kv)
		}
	}
	clean = append(clean, "AWS_CONFIG_FILE="+empty, "AWS_SHARED_CREDENTIALS_FILE="+empty,
		"AWS_EC2_METADATA_SERVICE_ENDPOINT="+imds.URL, "AWS_REGION=us-east-1")
	for _, debug := range []bool{false, true} {
		args := []string{"plan", "--non-interactive", "--endpoint-url", "http://127.0.0.1:1"}
		if debug {
			args = append(args, "--debug")
		}
		cmd := exec.Command(filepath.Join(dir, "iam-baseline"), args...)
		cmd.Env = clean
		out, _ := cmd.CombinedOutput()
		text := string(out)
		if cmd.ProcessState.ExitCode() != ExitError {
			t.Fatalf("exit %d, want %d:\n%s", cmd.ProcessState.ExitCode(), ExitError, text)
		}
		if strings.Contains(text, "IMDSv1") {
			t.Errorf("the SDK's IMDS warning reaches the user:\n%s", text)
		}
		if !strings.Contains(text, "iam-baseline: no AWS credentials were found") || !strings.Contains(text, "aws configure") {
			t.Errorf("no plain sentence and next step for missing credentials:\n%s", text)
		}
		if sdk := strings.Contains(text, "operation error"); sdk != debug {
			t.Errorf("--debug %v: the SDK's text shown %v:\n%s", debug, sdk, text)
		}
	}
}

// joinUsageErrors merges the command line's mistakes into one message, and
// lets any other error through as it is rather than dropping it.
func TestJoinUsageErrors(t *testing.T) {
	a := newUsageError([]string{flagYes}, locale.M("needs --yes"))
	b := newUsageError([]string{flagSkipMFA}, locale.M("needs --skip-mfa"))
	var u *usageError
	if err := joinUsageErrors(a, nil, b); !errors.As(err, &u) || u.Error() != "needs --yes\nneeds --skip-mfa" || len(u.flags) != 2 {
		t.Errorf("joined: %v", err)
	}
	other := errors.New("reading the MFA secret file failed")
	if err := joinUsageErrors(a, other); !errors.Is(err, other) || errors.As(err, &u) {
		t.Errorf("another error: %v", err)
	}
	if err := joinUsageErrors(nil, nil); err != nil {
		t.Errorf("nothing to join: %v", err)
	}
}
