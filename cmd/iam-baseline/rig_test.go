package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// rig runs the real command line in-process against a simulator behind a
// handler that can play a crash: it lets one chosen request be applied, then
// cancels the run and never answers, as if the process died right after
// sending it.
type rig struct {
	t         *testing.T
	sim       *iamsim.Sim
	srv       *httptest.Server
	dir       string
	acct      string
	partition string
	// key signs the command line's requests; admin is a root client for
	// the test's own setup and checks.
	key   string
	admin *iam.Client
	// fastRetries shortens the SDK retryer's backoff (Env.RetryBackoff);
	// the number of attempts and what is retried stay the product's.
	fastRetries bool
	// retryDelay, when set, is the fast retries' delay instead of 1 ms.
	retryDelay time.Duration
	env        map[string]string
	// now, when set, is the runs' clock (this machine's, not AWS's).
	now func() time.Time
	// width, when set, makes stdout and stderr terminals of that many
	// columns as far as wrapping goes (Env.TerminalWidth).
	width int
	// otherUsers are IAM users the test made besides the baseline's.
	otherUsers []string

	crash atomic.Pointer[crashPoint]
	// processes, when set, is the next run's view of this host's
	// processes (Env.Processes).
	processes mfa.Processes
	// hold, when set and true for a request's action, keeps that request
	// unanswered and unapplied until its client goes away.
	hold atomic.Pointer[func(action string) bool]

	// wireSecrets are the secret parameters requests carried, as sent.
	wireMu      sync.Mutex
	wireSecrets []string
}

// secretParams are the request parameters that carry secrets.
var secretParams = []string{"Password", "NewPassword", "OldPassword", "AuthenticationCode1", "AuthenticationCode2"}

// takeWireSecrets returns the secrets sent since the last call.
func (r *rig) takeWireSecrets() []string {
	r.wireMu.Lock()
	defer r.wireMu.Unlock()
	out := r.wireSecrets
	r.wireSecrets = nil
	return out
}

type crashPoint struct {
	action string
	// match, when set, also has to hold for the request's parameters.
	match  func(url.Values) bool
	cancel context.CancelFunc
	fired  atomic.Bool
	// killed: the process died (kill -9): once fired, none of its
	// requests arrives any more, so it cleans nothing up.
	killed bool
}

func newRig(t *testing.T, opts iamsim.Options) *rig {
	t.Helper()
	r := &rig{
		t: t, sim: iamsim.New(opts), dir: t.TempDir(),
		acct: iamsim.DefaultAccountID, partition: "aws", key: iamsim.DefaultRootAccessKeyID,
		fastRetries: true, env: map[string]string{},
	}
	if len(opts.Accounts) > 0 {
		r.acct = opts.Accounts[0].ID
		if p := opts.Accounts[0].Partition; p != "" {
			r.partition = p
		}
		r.key = opts.Accounts[0].RootAccessKeyIDs[0]
	}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.srv.Close)
	adminKey := r.key
	if len(opts.Accounts) > 0 && len(opts.Accounts[0].RootSigningKeyIDs) > 0 {
		// Root's access keys may be deleted by the run under test; the
		// test's own client signs like AWS CloudShell.
		adminKey = opts.Accounts[0].RootSigningKeyIDs[0]
	}
	cfg := iamsim.ClientConfig(r.srv.URL, adminKey)
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	r.admin = iam.NewFromConfig(cfg)
	return r
}

func (r *rig) serve(w http.ResponseWriter, req *http.Request) {
	_ = req.ParseForm()
	r.wireMu.Lock()
	for _, k := range secretParams {
		if v := req.Form.Get(k); v != "" {
			r.wireSecrets = append(r.wireSecrets, v)
		}
	}
	r.wireMu.Unlock()
	if cp := r.crash.Load(); cp != nil && cp.killed && cp.fired.Load() {
		dropConnection(w)
		return
	}
	if cp := r.crash.Load(); cp != nil && requestAction(req) == cp.action && (cp.match == nil || cp.match(req.Form)) && cp.fired.CompareAndSwap(false, true) {
		r.sim.ServeHTTP(httptest.NewRecorder(), req) // applied...
		cp.cancel()                                  // ...and the run dies before the answer arrives
		if cp.killed {
			dropConnection(w)
			return
		}
		select {
		case <-req.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	if h := r.hold.Load(); h != nil && (*h)(req.Form.Get("Action")) {
		select {
		case <-req.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	r.sim.ServeHTTP(w, req)
}

// requestAction names the request's action: the Query protocol's Action
// parameter, or for the REST-JSON Account API its path (/putAlternateContact).
func requestAction(req *http.Request) string {
	if a := req.Form.Get("Action"); a != "" {
		return a
	}
	if req.Method == http.MethodPut && req.URL.Path == "/analyzer" {
		return "CreateAnalyzer"
	}
	name := path.Base(req.URL.Path)
	if name == "" || name == "/" || name == "." {
		return ""
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

type runResult struct {
	code           int
	stdout, stderr string
	args           []string
}

func (res runResult) output() string { return res.stdout + res.stderr }

// run runs iam-baseline with args and returns its exit code and output.
func (r *rig) run(args ...string) runResult {
	r.t.Helper()
	return r.runCtx(context.Background(), args...)
}

// runCrashingAt runs iam-baseline and kills the run right after the first
// request of action was sent and applied. fired says whether it was.
func (r *rig) runCrashingAt(action string, args ...string) (res runResult, fired bool) {
	r.t.Helper()
	return r.runCrashingWhen(action, nil, args...)
}

// runCrashingWhen is runCrashingAt for the first request of action whose
// parameters match.
func (r *rig) runCrashingWhen(action string, match func(url.Values) bool, args ...string) (res runResult, fired bool) {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cp := &crashPoint{action: action, match: match, cancel: cancel}
	r.crash.Store(cp)
	defer r.crash.Store(nil)
	res = r.runCtx(ctx, args...)
	return res, cp.fired.Load()
}

// runKilledWhen runs iam-baseline as a process that is killed (SIGKILL)
// right after the first request of action whose parameters match was
// applied: it sends nothing more, and its process is gone from this host.
func (r *rig) runKilledWhen(action string, match func(url.Values) bool, args ...string) (res runResult, fired bool) {
	r.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cp := &crashPoint{action: action, match: match, cancel: cancel, killed: true}
	r.crash.Store(cp)
	defer r.crash.Store(nil)
	r.processes = deadProcess(r.t)
	defer func() { r.processes = nil }()
	res = r.runCtx(ctx, args...)
	return res, cp.fired.Load()
}

// dropConnection closes the request's connection unanswered.
func dropConnection(w http.ResponseWriter) {
	if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
		_ = conn.Close()
	}
}

// exitedProcess is this host's processes, seen from a process that has
// already exited: a run killed with SIGKILL.
type exitedProcess struct {
	mfa.LocalProcesses
	self mfa.Process
}

func (p exitedProcess) Self() mfa.Process { return p.self }

// deadProcess plays a process of this host that has exited: a child that
// ran and ended.
func deadProcess(t *testing.T) mfa.Processes {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	var local mfa.LocalProcesses
	self := local.Self()
	self.PID = cmd.Process.Pid
	return exitedProcess{self: self}
}

func (r *rig) runCtx(ctx context.Context, args ...string) runResult {
	var stdout, stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, envVars(r.env), simAccount(r.srv.URL, r.key))
	if r.processes != nil {
		env.Processes = r.processes
	}
	if r.now != nil {
		env.Now = r.now
	}
	if r.width > 0 {
		env.TerminalWidth = func(any) int { return r.width }
	}
	if r.fastRetries {
		delay := time.Millisecond
		if r.retryDelay > 0 {
			delay = r.retryDelay
		}
		env.RetryBackoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return delay, nil })
	}
	code := run(ctx, env, append([]string{"iam-baseline"}, args...))
	return runResult{code, stdout.String(), stderr.String(), args}
}

func (r *rig) path(name string) string { return filepath.Join(r.dir, name) }

// mutating lists the actions of the logged requests that change state.
func (r *rig) mutating() []string {
	var out []string
	for _, e := range r.sim.MutatingRequests() {
		out = append(out, e.Action)
	}
	return out
}

func (r *rig) wantCode(res runResult, want int) {
	r.t.Helper()
	if res.code != want {
		r.t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, want, res.stdout, res.stderr)
	}
}

// fileSeed reads an MFA secret file and returns the seed of its otpauth URI.
func fileSeed(t *testing.T, path string) (string, bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return "", false
	}
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(strings.TrimSpace(string(b)))
	if err != nil || u.Scheme != "otpauth" {
		t.Fatalf("secret file %s does not hold an otpauth URI", path)
	}
	return u.Query().Get("secret"), true
}
