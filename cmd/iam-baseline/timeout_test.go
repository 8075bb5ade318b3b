package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// stallingEndpoint accepts connections, reads each request, hands the
// connection to stall (which writes what it wants) and then holds it open
// without another byte until the test ends. It counts the requests read.
type stallingEndpoint struct {
	url      string
	requests atomic.Int32
}

func newStallingEndpoint(t *testing.T, stall func(net.Conn)) *stallingEndpoint {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &stallingEndpoint{url: "http://" + ln.Addr().String()}
	done := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() { close(done); _ = ln.Close(); wg.Wait() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { _ = c.Close() }()
				if _, err := http.ReadRequest(bufio.NewReader(c)); err == nil {
					e.requests.Add(1)
					stall(c)
				}
				<-done
			}()
		}
	}()
	return e
}

func runAgainst(t *testing.T, load ConfigLoader, args ...string) result {
	t.Helper()
	return runWithLoader(t, load, args...)
}

func loaderFor(url string) ConfigLoader {
	return func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		return iamsim.ClientConfig(url, iamsim.DefaultRootAccessKeyID), nil
	}
}

// TestHangingEndpointsTimeOut: an endpoint that accepts and never answers,
// one that sends only a status line and one that stops half-way through a
// body each fail the run with an error that names the endpoint, what it was
// waiting for, and --timeout. A stalled send is retried (more than one
// request reaches the endpoint).
func TestHangingEndpointsTimeOut(t *testing.T) {
	cases := []struct {
		name, phase string
		stall       func(net.Conn)
		retried     bool
	}{
		{"never answers", "waiting for the answer", func(net.Conn) {}, true},
		{"status line only", "reading the answer's status line and headers", func(c net.Conn) {
			_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\n")
		}, true},
		{"half a body", "reading the answer's body", func(c net.Conn) {
			body := `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`
			_, _ = fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s", 2*len(body), body)
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newStallingEndpoint(t, tc.stall)
			r := runAgainst(t, loaderFor(e.url), "plan", "--timeout", "900ms")
			if r.code != ExitError {
				t.Fatalf("exit %d, want %d\nstderr: %s", r.code, ExitError, r.stderr)
			}
			for _, want := range []string{e.url, "timed out", tc.phase, "--timeout"} {
				if !strings.Contains(r.stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
				}
			}
			if n := e.requests.Load(); tc.retried && n < 2 {
				t.Errorf("%d requests reached the endpoint; want the stalled attempt retried", n)
			}
		})
	}
}

// TestCredentialProcessThatNeverExitsTimesOut: the run gives up on a
// credential_process that never exits, and says so.
func TestCredentialProcessThatNeverExitsTimesOut(t *testing.T) {
	dir := sdkWorld(t)
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	// Never exits within the test; it lets go of the test's output at once,
	// so that `go test` does not wait for it.
	config := "[profile stuck]\ncredential_process = exec </dev/null >/dev/null 2>&1; exec sleep 30\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) { return "", errors.New("no MFA here") })
	r := runAgainst(t, load, "plan", "--profile", "stuck", "--timeout", "700ms")
	if r.code != ExitError {
		t.Fatalf("exit %d, want %d\nstderr: %s", r.code, ExitError, r.stderr)
	}
	for _, want := range []string{"getting AWS credentials (credential_process) did not finish", "--timeout 700ms"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if n := len(srv.Sim.Log()); n != 0 {
		t.Errorf("%d requests reached the endpoint without credentials", n)
	}
}

// TestDefaultTimeoutBoundsEveryAttempt: without --timeout, each attempt of
// a request carries a deadline of a third of DefaultTimeout at most, and the
// flag's default is DefaultTimeout, well under the 100 s the tool used to
// hang for.
func TestDefaultTimeoutBoundsEveryAttempt(t *testing.T) {
	if d := timeoutFlag(locale.English).(interface{ GetDefaultText() string }).GetDefaultText(); d != DefaultTimeout.String() {
		t.Errorf("--timeout defaults to %s, want %s", d, DefaultTimeout)
	}
	if DefaultTimeout <= 0 || DefaultTimeout > 100*time.Second {
		t.Errorf("DefaultTimeout %s: want a bound below 100s", DefaultTimeout)
	}
	var deadlines []time.Duration
	capture := httpClientFunc(func(req *http.Request) (*http.Response, error) {
		d, ok := req.Context().Deadline()
		if !ok {
			deadlines = append(deadlines, -1)
		} else {
			deadlines = append(deadlines, time.Until(d))
		}
		return nil, errors.New("captured")
	})
	load := func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		cfg := iamsim.ClientConfig("http://127.0.0.1:9", iamsim.DefaultRootAccessKeyID)
		cfg.HTTPClient = capture
		return cfg, nil
	}
	_, stsClient, err := awsClients(context.Background(), load, AWSOptions{Backoff: noBackoff{}}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = stsClient.GetCallerIdentity(context.Background(), &sts.GetCallerIdentityInput{})
	if len(deadlines) == 0 {
		t.Fatal("no request was sent")
	}
	for _, d := range deadlines {
		if d <= 0 || d > DefaultTimeout/attemptsPerTimeout {
			t.Errorf("attempt deadline %s from now, want within (0, %s]", d, DefaultTimeout/attemptsPerTimeout)
		}
	}
}

// TestTimeoutFlagRejectsNonPositive: --timeout 0 is a usage error before
// any request.
func TestTimeoutFlagRejectsNonPositive(t *testing.T) {
	h := newHarness(t)
	r := h.run("plan", "--timeout", "0s")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--timeout") {
		t.Errorf("exit %d, stderr %q; want a usage error naming --timeout", r.code, r.stderr)
	}
	if n := len(h.srv.Sim.Log()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

type httpClientFunc func(*http.Request) (*http.Response, error)

func (f httpClientFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

type noBackoff struct{}

func (noBackoff) BackoffDelay(int, error) (time.Duration, error) { return 0, nil }
