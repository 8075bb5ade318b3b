package main

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go/middleware"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/sdkhttp"
)

const flagTimeout = "timeout"

// DefaultTimeout bounds one AWS request, its retries included, and getting
// the credentials. IAM answers in well under a second; the slack is for
// retries through throttling and for waiting out IAM's eventual consistency
// (about half a minute at most, see baseline.consistencyAttempts).
const DefaultTimeout = time.Minute

// attemptsPerTimeout: each attempt of a request gets a third of --timeout,
// so that an endpoint that stalls once still leaves time for the retryer's
// further attempts.
const attemptsPerTimeout = 3

func timeoutFlag(tr locale.Printer) cli.Flag {
	return &cli.DurationFlag{Name: flagTimeout, Category: catAWS(tr), Value: DefaultTimeout,
		Usage: tr.T("give up on an AWS request (retries included) or on getting credentials after `DURATION`; each attempt gets a third of it")}
}

func (f flags) Duration(name string) time.Duration { return f.at(name).Duration(name) }

// awsOptionsFromFlags reads the connection flags that plan, apply and
// status share.
func awsOptionsFromFlags(f flagValues, backoff retry.BackoffDelayer) (AWSOptions, error) {
	o := AWSOptions{
		Profile:     f.String(flagProfile),
		Region:      f.String(flagRegion),
		EndpointURL: f.String(flagEndpointURL),
		Debug:       f.Bool(flagDebug),
		Backoff:     backoff,
		Timeout:     f.Duration(flagTimeout),
	}
	if o.Timeout <= 0 {
		return o, newUsageError([]string{flagTimeout}, locale.M("invalid value %s for --%s: want a positive duration such as 30s or 2m", o.Timeout, flagTimeout))
	}
	if o.EndpointURL != "" {
		if err := checkEndpointURL(o.EndpointURL); err != nil {
			return o, err
		}
	}
	return o, nil
}

// requestTimeout is opts.Timeout, or DefaultTimeout when it is not set.
func requestTimeout(opts AWSOptions) time.Duration {
	if opts.Timeout > 0 {
		return opts.Timeout
	}
	return DefaultTimeout
}

var timeoutHint = locale.M("hint: check the network and the endpoint (--endpoint-url, AWS_ENDPOINT_URL), or allow more time with --%s", flagTimeout)

// withRequestDeadline bounds every operation of a client, its retries and
// its credential lookup included, by d.
func withRequestDeadline(d time.Duration) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("IAMBaselineRequestDeadline",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				dctx, cancel := context.WithTimeout(sdkhttp.RecordTimeouts(ctx), d)
				defer cancel()
				out, md, err := next.HandleInitialize(dctx, in)
				if err == nil || ctx.Err() != nil {
					return out, md, err
				}
				op := awsmiddleware.GetServiceID(ctx) + " " + awsmiddleware.GetOperationName(ctx)
				last := sdkhttp.LastTimeout(dctx)
				switch {
				case errors.Is(dctx.Err(), context.DeadlineExceeded) && last != nil:
					err = locale.Wrap(locale.M("%s did not finish within --%s %s, retries included; the last attempt: %v: %v; %s", op, flagTimeout, d, last, err, timeoutHint), err)
				case errors.Is(dctx.Err(), context.DeadlineExceeded):
					err = locale.Wrap(locale.M("%s did not finish within --%s %s, retries included: %v; %s", op, flagTimeout, d, err, timeoutHint), err)
				case last != nil:
					err = locale.Wrap(locale.M("%v; %s", err, timeoutHint), err)
				}
				return out, md, err
			}), middleware.Before)
	}
}

// boundedCredentials gives up on getting credentials after timeout: a
// credential_process that never exits, an SSO or container endpoint that
// never answers. The SDK's cache runs the provider detached from the
// caller's context, so the bound has to be applied here.
type boundedCredentials struct {
	inner   aws.CredentialsProvider
	timeout time.Duration
}

func (b boundedCredentials) Retrieve(ctx context.Context) (aws.Credentials, error) {
	ctx, cancel := context.WithTimeout(ctx, b.timeout)
	defer cancel()
	creds, err := b.inner.Retrieve(ctx)
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return creds, locale.Wrap(locale.M("getting AWS credentials (%s) did not finish within --%s %s: %v; hint: check the profile's credential_process, SSO session or credentials endpoint, or allow more time with --%s",
			credentialSources(b.inner), flagTimeout, b.timeout, err, flagTimeout), err)
	}
	return creds, err
}

// credentialSources names where the credentials come from, as far as the
// SDK tells.
func credentialSources(p aws.CredentialsProvider) string {
	names := map[aws.CredentialSource]string{
		aws.CredentialSourceProcess:            "credential_process",
		aws.CredentialSourceSSO:                "SSO",
		aws.CredentialSourceHTTP:               "container credentials endpoint",
		aws.CredentialSourceIMDS:               "instance metadata",
		aws.CredentialSourceSTSAssumeRole:      "assume role",
		aws.CredentialSourceSTSAssumeRoleWebID: "web identity",
	}
	src, ok := p.(interface{ ProviderSources() []aws.CredentialSource })
	if ok {
		for _, s := range src.ProviderSources() {
			if n, ok := names[s]; ok {
				return n
			}
		}
	}
	return "the SDK's credential chain"
}
