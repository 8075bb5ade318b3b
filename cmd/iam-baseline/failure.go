package main

import (
	"context"
	"errors"
	"net"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// failure is what a user reads about a run that failed talking to AWS
// besides the error (shortened by plain): what kind of failure it is and the
// next step. The SDK's own text, which names middleware, status code 0 and
// empty request IDs, is shown only under --debug.
type failure struct {
	sentence locale.Msg
	next     locale.Msg
	// replaces: the sentence stands for the whole error, whose text is
	// the SDK's only (the credential chain running out).
	replaces bool
}

// explainFailure classifies err by what the user can do about it. ok is
// false when there is nothing to add to the error's own text.
func explainFailure(err error) (f failure, ok bool) {
	if errors.Is(err, baseline.ErrAliasTaken) {
		return failure{next: locale.M("account aliases are unique across all of AWS: choose another --%s", flagAccountAlias)}, true
	}
	if !fromSDK(err) {
		return failure{}, false
	}
	if f, ok := answeredFailure(err); ok {
		return f, true
	}
	switch {
	case errors.Is(err, context.Canceled):
		return failure{next: locale.M("run the same command again: it finishes what was started")}, true
	case isNoCredentials(err):
		return failure{sentence: locale.M("no AWS credentials were found"),
			next: locale.M("set AWS_PROFILE or --profile, run `aws configure` or `aws sso login`, or run in AWS CloudShell"), replaces: true}, true
	case unreachable(err):
		return failure{next: locale.M("check the network connection or proxy, and --endpoint-url or --region, then run again")}, true
	}
	return failure{}, false
}

// answeredFailure classifies an error AWS answered with a code.
func answeredFailure(err error) (failure, bool) {
	switch code := awsfacts.ErrorCode(err); code {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation":
		action := "the action"
		var op *smithy.OperationError
		if errors.As(err, &op) {
			action = awsfacts.ActionPrefix(op.ServiceID) + ":" + op.OperationName
		}
		return failure{next: deniedAdvice(action)}, true
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
		return failure{sentence: locale.M("the AWS credentials have expired"),
			next: locale.M("get new ones (for example `aws sso login` or `aws login`) and run again")}, true
	case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature":
		return failure{sentence: locale.M("AWS does not accept these credentials"),
			next: locale.M("check the access key and secret (aws sts get-caller-identity) and the profile")}, true
	case "MissingAuthenticationToken":
		return failure{sentence: locale.M("the request was not signed: no AWS credentials were found"),
			next: locale.M("set AWS_PROFILE or --profile, or run `aws configure`")}, true
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException":
		var maxed *retry.MaxAttemptsError
		if errors.As(err, &maxed) {
			return failure{sentence: locale.M("AWS kept throttling the requests, also after the retries"),
				next: locale.M("wait a minute and run the same command again: it picks up where it stopped")}, true
		}
	}
	if hint := accountStateHint(err); !hint.IsZero() {
		return failure{next: hint}, true
	}
	return failure{}, false
}

// accountStateHint is explainFailure's advice for errors about the account's
// state rather than the credentials: the same command converges once the
// state allows it.
func accountStateHint(err error) locale.Msg {
	switch awsfacts.ErrorCode(err) {
	case "ConcurrentModification":
		return locale.M("another change to the same IAM entity was in progress and retrying did not get through: wait a few minutes and run the same command again")
	case "EntityTemporarilyUnmodifiable":
		return locale.M("IAM is still settling a recent change to this entity (for example a user deleted and created again): wait a few minutes and run the same command again")
	case "LimitExceeded":
		var op *smithy.OperationError
		if errors.As(err, &op) && op.OperationName == "CreateVirtualMFADevice" {
			return locale.M("the account holds as many virtual MFA devices as its quota allows: delete unused ones (aws iam list-virtual-mfa-devices --assignment-status Unassigned, then aws iam delete-virtual-mfa-device) or ask for more in Service Quotas, then run the same command again")
		}
		return locale.M("the account reached an IAM quota (the error names it): free some up or ask for more in Service Quotas, then run the same command again")
	}
	return locale.Msg{}
}

// fromSDK reports whether err carries the SDK's text: an operation error or
// the credential chain's.
func fromSDK(err error) bool {
	var op *smithy.OperationError
	return errors.As(err, &op) || isNoCredentials(err)
}

// unreachable reports whether the request got no answer because the
// endpoint could not be reached: refused, unresolvable, no route.
func unreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return !awsfacts.Answered(err) && (errors.As(err, &opErr) || errors.As(err, &dnsErr))
}

// isNoCredentials recognises the SDK's default chain running out of
// providers: the last one it tries is the EC2 instance role.
func isNoCredentials(err error) bool {
	return strings.Contains(err.Error(), "no EC2 IMDS role found")
}

// plainIn is err's text as a person reads it in tr's language, for progress
// lines and the final message: its worded parts worded, then the SDK's text
// of each AWS call replaced by a short account of that call (the error codes
// and messages AWS answered with stay, the middleware's status code 0 and
// empty request IDs go).
func plainIn(tr locale.Printer, err error) string {
	return shorten(tr, err, tr.Err(err))
}

// shorten replaces, in msg (err's text or its wording), the SDK's text of
// each AWS call in err with a short account worded by tr.
func shorten(tr locale.Printer, err error, msg string) string {
	for _, op := range operationErrors(err) {
		if short := plainOperation(tr, op); short != "" {
			msg = strings.Replace(msg, op.Error(), short, 1)
		}
	}
	return msg
}

// operationErrors finds every SDK operation error in err's tree: an apply
// that failed in several steps joins their errors.
func operationErrors(err error) []*smithy.OperationError {
	switch u := err.(type) { //nolint:errorlint // walks the tree itself
	case *smithy.OperationError:
		return []*smithy.OperationError{u}
	case interface{ Unwrap() []error }:
		var out []*smithy.OperationError
		for _, e := range u.Unwrap() {
			out = append(out, operationErrors(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return operationErrors(u.Unwrap())
	}
	return nil
}

// plainOperation is one AWS call's failure in a few words, or "" when it
// has no better words than the SDK's.
func plainOperation(tr locale.Printer, op *smithy.OperationError) string {
	action := awsfacts.ActionPrefix(op.ServiceID) + ":" + op.OperationName
	var api smithy.APIError
	switch {
	case errors.As(op, &api):
		return tr.T("%s refused: %s: %s", action, api.ErrorCode(), api.ErrorMessage())
	case errors.Is(op, context.Canceled):
		return tr.T("%s interrupted", action)
	case unreachable(op):
		return tr.T("%s: could not reach the AWS endpoint", action)
	}
	return ""
}
