package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// brokenPipe is a stdout whose reader went away (| head -2) once the
// summary is written.
type brokenPipe struct{ buf bytes.Buffer }

func (p *brokenPipe) Write(b []byte) (int, error) {
	if bytes.Contains(b, []byte("Sign-in URL:")) {
		return 0, syscall.EPIPE
	}
	return p.buf.Write(b)
}

// A password shown on a stdout that fails is reported on stderr with the
// way to recover: the run does not end as if it was handed over.
func TestShownPasswordLostToAClosedPipeIsReported(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	var stdout brokenPipe
	var stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, simAccount(srv.URL, iamsim.DefaultRootAccessKeyID))
	code := run(t.Context(), env, []string{"iam-baseline", "apply", "--yes", "--skip-mfa", "--show-password"})
	if code == ExitOK {
		t.Fatalf("exit 0 although the password never reached stdout\n%s\nstdout:\n%s", stderr.String(), stdout.buf.String())
	}
	for _, want := range []string{"broken pipe", "not delivered", "--reset-password --password-file"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
}

// The real program is not killed by SIGPIPE when its stdout's reader is
// gone: it fails and says so on stderr.
func TestClosedStdoutIsAnErrorNotASignal(t *testing.T) {
	dir, env := program(t)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	_ = r.Close()
	cmd := exec.Command(filepath.Join(dir, "iam-baseline"), "docs", "usage")
	cmd.Env = env
	cmd.Stdout = w
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	_ = w.Close()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("run: %v, want a failing exit", err)
	}
	if st, ok := exit.Sys().(syscall.WaitStatus); ok && st.Signaled() {
		t.Fatalf("killed by %v; stderr %q", st.Signal(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "broken pipe") {
		t.Errorf("stderr does not say what failed: %q", stderr.String())
	}
}
