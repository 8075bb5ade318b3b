package main

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// TestClientsCarryTheSDKRetryer checks the configuration every command
// builds its clients with: the SDK's standard retryer with MaxAttempts, and
// that it alone (no loop of the tool's) rides out throttling and 5xx: a bare
// client call is retried until the simulator lets it through, or gives up
// after exactly MaxAttempts.
func TestClientsCarryTheSDKRetryer(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	fast := retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	load := func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		return iamsim.ClientConfig(r.srv.URL, r.key), nil
	}
	client, _, err := awsClients(context.Background(), load, AWSOptions{Backoff: fast}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	retryer := client.Options().Retryer
	if retryer == nil || retryer.MaxAttempts() != MaxAttempts {
		t.Fatalf("retryer %T with %d attempts, want the standard retryer with %d", retryer, retryer.MaxAttempts(), MaxAttempts)
	}
	if _, ok := retryer.(*retry.Standard); !ok {
		t.Errorf("retryer %T, want *retry.Standard", retryer)
	}
	for _, code := range []string{"Throttling", "ServiceFailure", "ServiceUnavailable"} {
		if !retryer.IsErrorRetryable(&fakeHTTPError{code: code}) {
			t.Errorf("%s is not retried", code)
		}
	}
	ctx := context.Background()

	// Throttled twice, then through.
	r.sim.AddFault(iamsim.Fault{Action: "GetAccountSummary", Nth: 1, Code: "Throttling", Message: "Rate exceeded"})
	r.sim.AddFault(iamsim.Fault{Action: "GetAccountSummary", Nth: 2, Code: "ServiceFailure"})
	if _, err := client.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
		t.Fatalf("not retried through: %v", err)
	}
	if n := len(r.sim.Log()); n != 3 {
		t.Errorf("%d requests, want 3 (two refused, one answered)", n)
	}

	// Always throttled: exactly MaxAttempts tries, then the error.
	r.sim.ResetLog()
	r.sim.SetThrottleRate(1)
	_, err = client.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "Throttling" {
		t.Fatalf("err %v, want Throttling", err)
	}
	if n := len(r.sim.Log()); n != MaxAttempts {
		t.Errorf("%d attempts, want %d", n, MaxAttempts)
	}
}

// fakeHTTPError is an API error with the HTTP status AWS gives its code.
type fakeHTTPError struct{ code string }

func (e *fakeHTTPError) Error() string                 { return e.code }
func (e *fakeHTTPError) ErrorCode() string             { return e.code }
func (e *fakeHTTPError) ErrorMessage() string          { return e.code }
func (e *fakeHTTPError) ErrorFault() smithy.ErrorFault { return smithy.FaultServer }
func (e *fakeHTTPError) HTTPStatusCode() int {
	switch e.code {
	case "Throttling":
		return 400
	case "ServiceUnavailable":
		return 503
	}
	return 500
}

// TestThrottledApplyAndStatusSucceed: with 30% of requests answered
// Throttling (seeded), a full apply with MFA and a status run succeed, with
// the SDK's own backoff delays.
func TestThrottledApplyAndStatusSucceed(t *testing.T) {
	// Mostly waiting (retry backoff, consistency delays): run beside the
	// other waiting tests.
	t.Parallel()
	r := newRig(t, iamsim.Options{ThrottleRate: 0.3, Seed: 7})
	r.fastRetries = false
	start := time.Now()
	r.wantCode(r.run("apply", "--non-interactive", "--yes", "--account-alias", "my-corp",
		"--password-file", r.path("run1.pw"), "--mfa-secret-file", r.path("mfa")), ExitOK)
	res := r.run("status")
	if res.code != ExitOK && res.code != ExitFindings {
		t.Fatalf("status exit %d\n%s", res.code, res.stderr)
	}
	throttled, total := 0, 0
	for _, e := range r.sim.Log() {
		total++
		if e.ErrorCode == "Throttling" {
			throttled++
		}
	}
	t.Logf("%d of %d requests throttled; apply and status took %s", throttled, total, time.Since(start).Round(time.Millisecond))
	if throttled == 0 {
		t.Fatal("nothing was throttled")
	}
	r.sim.SetThrottleRate(0)
	r.checkFullBaseline("my-corp")
	r.checkPasswordFiles(namedRun{name: "run1"})
	r.checkMFASecretFiles(r.path("mfa"))
}

// TestApplyWithMFARidesOutEventualConsistency: new entities stay invisible
// for 2 s to reads and dependent writes; a full apply with MFA still
// succeeds, and so does the run after it.
func TestApplyWithMFARidesOutEventualConsistency(t *testing.T) {
	// Mostly waiting (retry backoff, consistency delays): run beside the
	// other waiting tests.
	t.Parallel()
	r := newRig(t, iamsim.Options{ConsistencyDelay: 2 * time.Second})
	r.fastRetries = false
	r.wantCode(r.run("apply", "--non-interactive", "--yes", "--account-alias", "my-corp",
		"--password-file", r.path("run1.pw"), "--mfa-secret-file", r.path("mfa")), ExitOK)
	time.Sleep(2 * time.Second)
	r.checkFullBaseline("my-corp")
	r.checkPasswordFiles(namedRun{name: "run1"})
	r.checkMFASecretFiles(r.path("mfa"))
	r.sim.ResetLog()
	r.wantCode(r.run("plan", "--detailed-exitcode", "--account-alias", "my-corp"), ExitOK)
}

// TestCrashThenImmediateRerunUnderConsistency: a run dies right after a
// create, and the operator runs again at once, while IAM does not show the
// new entity yet (2 s). The plan cannot see it, the create meets
// EntityAlreadyExists, and the writes that need it (or, for the MFA device,
// its deletion by name) wait until it is visible: the second run finishes.
func TestCrashThenImmediateRerunUnderConsistency(t *testing.T) {
	// Mostly waiting (retry backoff, consistency delays): run beside the
	// other waiting tests.
	t.Parallel()
	var wg sync.WaitGroup
	for _, action := range []string{"CreateGroup", "CreateUser", "CreateVirtualMFADevice"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(action, func(t *testing.T) {
				r := newRig(t, iamsim.Options{ConsistencyDelay: 2 * time.Second})
				r.fastRetries = false
				args := func(run string) []string {
					return []string{"apply", "--non-interactive", "--yes", "--account-alias", "my-corp",
						"--password-file", r.path(run + ".pw"), "--mfa-secret-file", r.path(run + ".mfa")}
				}
				first, fired := r.runCrashingAt(action, args("run1")...)
				if !fired {
					t.Fatalf("%s was never sent:\n%s", action, first.output())
				}
				second := r.run(args("run2")...)
				r.wantCode(second, ExitOK)
				time.Sleep(2 * time.Second)
				r.checkFullBaseline("my-corp")
				r.checkPasswordFiles(namedRun{"run1", first}, namedRun{"run2", second})
				r.checkMFASecretFiles(r.path("run1.mfa"), r.path("run2.mfa"))
			})
		}()
	}
	wg.Wait()
}
