package audit

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go/waiter"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// ReportMaxAge is how old a credential report may be and still be used. AWS
// generates a new report at most once every four hours (a request within
// four hours returns the last one), so status asks for a new report only
// when the last one is older.
const ReportMaxAge = 4 * time.Hour

// The credential report error codes, as AWS sends them.
const (
	codeReportNotPresent = "ReportNotPresent"
	codeReportInProgress = "ReportInProgress"
	codeReportExpired    = "ReportExpired"
)

// Defaults for waiting on a credential report being generated: AWS takes
// seconds for small accounts, longer for large ones.
const (
	DefaultReportWait     = 2 * time.Minute
	reportPollMinInterval = 1 * time.Second
	reportPollMaxInterval = 10 * time.Second
)

// Clock is the time source status uses: Now for ages and the report's
// freshness, Sleep between polls of a report being generated.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
type SystemClock struct{}

// Now is time.Now.
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx ends.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// CredentialReportAPI is the part of the IAM client the report needs.
type CredentialReportAPI interface {
	GenerateCredentialReport(ctx context.Context, in *iam.GenerateCredentialReportInput, opts ...func(*iam.Options)) (*iam.GenerateCredentialReportOutput, error)
	GetCredentialReport(ctx context.Context, in *iam.GetCredentialReportInput, opts ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error)
}

func errorCode(err error) string { return awsfacts.ErrorCode(err) }

// FetchCredentialReport returns a credential report no older than
// ReportMaxAge: the existing one when it is young enough, else a new one.
// It waits at most maxWait (DefaultReportWait when zero) for a report being
// generated, polling with the SDK waiters' jittered exponential backoff.
// The number of requests does not depend on the number of users.
func FetchCredentialReport(ctx context.Context, api CredentialReportAPI, clock Clock, maxWait time.Duration) (CredentialReport, error) {
	if maxWait <= 0 {
		maxWait = DefaultReportWait
	}
	out, err := api.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	switch code := errorCode(err); {
	case err == nil:
		if out.GeneratedTime != nil && clock.Now().Sub(*out.GeneratedTime) < ReportMaxAge {
			return parseReportOutput(out)
		}
	case code == codeReportNotPresent || code == codeReportExpired || code == codeReportInProgress:
	default:
		return CredentialReport{}, locale.Wrap(locale.M("getting the credential report: %v", err), err)
	}
	// Ask for a report and poll GenerateCredentialReport until it says
	// COMPLETE, as AWS's examples do. (A report younger than four hours is
	// never rebuilt: AWS answers COMPLETE at once.)
	start := clock.Now()
	// Each poll waits at least reportPollMinInterval, so this many polls
	// cover maxWait even if the clock stood still.
	maxPolls := int64(maxWait/reportPollMinInterval) + 1
	for attempt := int64(0); attempt <= maxPolls; attempt++ {
		if timeUp, err := pollWait(ctx, clock, attempt, maxWait-clock.Now().Sub(start)); err != nil {
			return CredentialReport{}, locale.Wrap(locale.M("waiting for the credential report: %v", err), err)
		} else if timeUp {
			break
		}
		gen, err := api.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})
		if err != nil {
			return CredentialReport{}, locale.Wrap(locale.M("generating the credential report: %v", err), err)
		}
		if gen.State != types.ReportStateTypeComplete {
			continue
		}
		out, err := api.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
		switch code := errorCode(err); {
		case err == nil:
			return parseReportOutput(out)
		case code == codeReportInProgress:
			continue
		default:
			return CredentialReport{}, locale.Wrap(locale.M("getting the credential report: %v", err), err)
		}
	}
	return CredentialReport{}, locale.Wrap(locale.M("the credential report is still being generated after %s; run status again in a minute", maxWait), nil)
}

// pollWait sleeps before poll attempt (none before the first) with
// the SDK waiters' backoff; timeUp says remaining is spent.
func pollWait(ctx context.Context, clock Clock, attempt int64, remaining time.Duration) (timeUp bool, err error) {
	if attempt == 0 {
		return false, nil
	}
	if remaining <= 0 {
		return true, nil
	}
	delay, err := waiter.ComputeDelay(attempt, reportPollMinInterval, reportPollMaxInterval, remaining)
	if err != nil {
		return false, err
	}
	// ComputeDelay shortens the last wait to fit the deadline; never poll
	// faster than the minimum.
	return false, clock.Sleep(ctx, max(delay, reportPollMinInterval))
}

func parseReportOutput(out *iam.GetCredentialReportOutput) (CredentialReport, error) {
	report, err := ParseCredentialReport(out.Content)
	if err != nil {
		return report, err
	}
	if out.GeneratedTime != nil {
		report.GeneratedTime = *out.GeneratedTime
	}
	return report, nil
}
