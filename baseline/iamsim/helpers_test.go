package iamsim_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

var ctx = context.Background()

type fixture struct {
	srv *iamsim.Server
	sim *iamsim.Sim
	iam *iam.Client
	sts *sts.Client
	// operatorKey signs as the management account's administrator that
	// enters member accounts (enter); created on first use.
	operatorKey string
}

// start runs a simulator and returns SDK clients signing with the default
// root key. Retries are off so every error reaches the test.
func start(t *testing.T, opts iamsim.Options) *fixture {
	t.Helper()
	srv := iamsim.NewServer(opts)
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv, sim: srv.Sim}
	f.iam, f.sts = f.clients(iamsim.DefaultRootAccessKeyID)
	return f
}

func (f *fixture) clients(accessKeyID string) (*iam.Client, *sts.Client) {
	cfg := iamsim.ClientConfig(f.srv.URL, accessKeyID)
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

// wantError checks an SDK error's AWS code and HTTP status, and that the
// message contains each of the given fragments.
func wantError(t *testing.T, err error, code string, status int, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s (%d), got success", code, status)
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("want API error %s, got %v", code, err)
	}
	if apiErr.ErrorCode() != code {
		t.Fatalf("want code %s, got %s: %v", code, apiErr.ErrorCode(), err)
	}
	var respErr *awshttp.ResponseError
	if !errors.As(err, &respErr) {
		t.Fatalf("no HTTP response in %v", err)
	}
	if got := respErr.HTTPStatusCode(); got != status {
		t.Fatalf("%s: want HTTP %d, got %d", code, status, got)
	}
	for _, f := range fragments {
		if !strings.Contains(apiErr.ErrorMessage(), f) {
			t.Errorf("%s message %q lacks %q", code, apiErr.ErrorMessage(), f)
		}
	}
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
