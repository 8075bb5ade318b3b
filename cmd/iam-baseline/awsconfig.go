package main

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"
	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/sdkhttp"
)

// DefaultRegion is used when neither --region nor the SDK's configuration
// names one: IAM is global, and us-east-1 is where the aws partition's IAM
// endpoint lives.
const DefaultRegion = "us-east-1"

// MaxAttempts is how many times the SDK tries a request (throttling,
// 5xx, connection resets) before giving up.
const MaxAttempts = 8

// AWSOptions are the connection flags.
type AWSOptions struct {
	Profile     string
	Region      string
	EndpointURL string
	Debug       bool
	// Backoff replaces the retryer's delays (Env.RetryBackoff); nil keeps
	// the SDK's.
	Backoff retry.BackoffDelayer
	// Timeout bounds each request, retries included, and getting the
	// credentials (--timeout); 0 means DefaultTimeout.
	Timeout time.Duration
	// Tr words what is asked while loading the credentials (the MFA code
	// of a profile's role).
	Tr locale.Printer
}

// ConfigLoader loads the SDK configuration for a profile and region (either
// may be empty). The product uses loadConfigAskingForMFA (the SDK's default
// chain); tests point it at iamsim.
type ConfigLoader func(ctx context.Context, profile, region string, tr locale.Printer) (aws.Config, error)

// awsClients loads the configuration and builds the IAM and STS clients the
// way every command wants them: standard retries with MaxAttempts and no
// client-side retry quota (a short CLI run should ride out throttling, not
// give up on a token bucket), a default region, the endpoint override,
// deadlines on every request and on the credentials (--timeout), and
// request logging under --debug.
// stderr must be safe for concurrent use.
func awsClients(ctx context.Context, load ConfigLoader, opts AWSOptions, stderr io.Writer) (*iam.Client, *sts.Client, error) {
	cfg, err := loadRunConfig(ctx, load, opts, stderr)
	if err != nil {
		return nil, nil, err
	}
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg), nil
}

// baselineClients are the clients plan, apply, the wizard and the demo
// reach AWS through, from one configuration: the wizard reads the Account
// and Access Analyzer APIs even when no flag asks for their fixes.
func baselineClients(cfg aws.Config) baseline.Deps {
	return baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Account: account.NewFromConfig(cfg),
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg)}
}

// loadRunConfig is the one SDK configuration every client of a run is built
// from: region, endpoint, retries, the HTTP client and --debug.
func loadRunConfig(ctx context.Context, load ConfigLoader, opts AWSOptions, stderr io.Writer) (aws.Config, error) {
	cfg, err := load(ctx, opts.Profile, opts.Region, opts.Tr)
	if err != nil {
		return aws.Config{}, locale.Wrap(locale.M("loading the AWS configuration: %v; hint: check --profile and ~/.aws/config", err), err)
	}
	if opts.Region != "" {
		cfg.Region = opts.Region
	}
	if cfg.Region == "" {
		cfg.Region = DefaultRegion
	}
	if opts.EndpointURL != "" {
		cfg.BaseEndpoint = aws.String(opts.EndpointURL)
	}
	cfg.Retryer = newRetryer(opts.Backoff, MaxAttempts)
	timeout := requestTimeout(opts)
	cfg.HTTPClient = sdkhttp.WithDeadline(sdkhttp.Client(cfg.HTTPClient), timeout/attemptsPerTimeout)
	cfg.APIOptions = append(cfg.APIOptions, withRequestDeadline(timeout))
	if cfg.Credentials != nil {
		cfg.Credentials = boundedCredentials{inner: cfg.Credentials, timeout: timeout}
	}
	if opts.Debug {
		cfg.HTTPClient = &debugHTTPClient{inner: cfg.HTTPClient, w: stderr}
		cfg.Logger = logging.NewStandardLogger(stderr)
		cfg.ClientLogMode = aws.LogRetries
	}
	return cfg, nil
}

// newRetryer is the SDK's standard retryer (throttling, 5xx, connection
// errors, and the IAM codes awsfacts.RetryableErrorCodes) with attempts
// and no client-side retry quota. Every request the tool makes goes through
// it: there is no retry loop of the tool's own.
func newRetryer(backoff retry.BackoffDelayer, attempts int) func() aws.Retryer {
	return func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = attempts
			o.RateLimiter = ratelimit.None
			o.Retryables = append(slices.Clone(o.Retryables), retry.RetryableErrorCode{Codes: awsfacts.RetryableErrorCodes()})
			if backoff != nil {
				o.Backoff = backoff
			}
		})
	}
}

// debugHTTPClient logs one line per HTTP request: service, operation, status
// and time. It never logs headers or bodies, which carry the signature,
// session tokens, passwords and MFA codes.
type debugHTTPClient struct {
	inner aws.HTTPClient
	w     io.Writer // safe for concurrent use
}

func (c *debugHTTPClient) Do(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	op := awsmiddleware.GetServiceID(ctx) + " " + awsmiddleware.GetOperationName(ctx)
	start := time.Now()
	resp, err := c.inner.Do(req)
	elapsed := time.Since(start).Round(time.Millisecond)
	if err != nil {
		report(c.w, "debug: %s %s %s: %s after %s\n", op, req.Method, req.URL.Redacted(), err, elapsed)
		return resp, err
	}
	report(c.w, "debug: %s %s %s: HTTP %d in %s (request id %s)\n", op, req.Method, req.URL.Redacted(), resp.StatusCode, elapsed, resp.Header.Get("X-Amzn-Requestid"))
	return resp, nil
}

// lockedWriter makes a writer safe for concurrent use.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
