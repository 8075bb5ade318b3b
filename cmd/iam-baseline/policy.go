package main

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/permissions"
)

// policyCommand prints the IAM policy the tool needs, from the one list in
// package permissions.
func policyCommand(env *Env) *cli.Command {
	var purposes strings.Builder
	for _, g := range permissions.Groups() {
		fmt.Fprintf(&purposes, "  %s: %s\n", g.Sid, g.Purpose)
	}
	return &cli.Command{
		Name:  "policy",
		Usage: "print the IAM policy (JSON) that plan, apply and status need when run as an IAM user or role",
		Description: "Attach it to the identity that runs iam-baseline, for example:\n" +
			"  iam-baseline policy > iam-baseline-policy.json\n" +
			"  aws iam create-policy --policy-name iam-baseline --policy-document file://iam-baseline-policy.json\n" +
			"One statement per purpose:\n" + purposes.String() +
			"sts:GetCallerIdentity needs no permission. Deleting root's access keys works only when signed\n" +
			"by root, whom no policy restricts. The policy can create an administrator: treat it as one.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: flagOrganization, Usage: "print what the management account's identity needs for status and apply with --organization"},
			&cli.StringFlag{Name: flagRoleName, Value: DefaultMemberRole, Usage: "with --organization, the `ROLE` assumed in each member account"},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return newUsageError(nil, "unexpected argument %q: policy takes no arguments", c.Args().First())
			}
			doc := permissions.Document()
			if c.Bool(flagOrganization) {
				if err := checkRoleName(c.String(flagRoleName)); err != nil {
					return err
				}
				doc = permissions.OrganizationDocument(c.String(flagRoleName))
			}
			_, err := env.Stdout.Write(doc.JSON())
			return err
		},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error { return newUsageError(nil, "%v", err) },
	}
}

// awsErrorHint says what the operator can do about an AWS error that is
// about the credentials rather than the account: which permission is
// missing, or that the credentials are missing, expired or unknown. It
// returns "" when it has nothing to add.
func awsErrorHint(err error) string {
	if errors.Is(err, baseline.ErrAliasTaken) {
		return "account aliases are unique across all of AWS: choose another --" + flagAccountAlias
	}
	if !awsfacts.Answered(err) {
		if isNoCredentials(err) {
			return "no AWS credentials were found: set AWS_PROFILE or --profile, run `aws configure` or `aws sso login`, or run in AWS CloudShell"
		}
		return ""
	}
	switch awsfacts.ErrorCode(err) {
	case "AccessDenied", "AccessDeniedException", "UnauthorizedOperation":
		action := "the action"
		var op *smithy.OperationError
		if errors.As(err, &op) {
			action = awsfacts.ActionPrefix(op.ServiceID) + ":" + op.OperationName
		}
		return deniedAdvice(action)
	case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired":
		return "the credentials have expired: get new ones (for example `aws sso login` or `aws login`) and run again"
	case "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature":
		return "AWS does not accept these credentials: check the access key and secret (aws sts get-caller-identity) and the profile"
	case "MissingAuthenticationToken":
		return "the request was not signed: no AWS credentials were found (set AWS_PROFILE or --profile, or run `aws configure`)"
	}
	return accountStateHint(err)
}

// accountStateHint is awsErrorHint's advice for errors about the account's
// state rather than the credentials: the same command converges once the
// state allows it.
func accountStateHint(err error) string {
	switch awsfacts.ErrorCode(err) {
	case "ConcurrentModification":
		return "another change to the same IAM entity was in progress and retrying did not get through: wait a few minutes and run the same command again"
	case "EntityTemporarilyUnmodifiable":
		return "IAM is still settling a recent change to this entity (for example a user deleted and created again): wait a few minutes and run the same command again"
	case "LimitExceeded":
		var op *smithy.OperationError
		if errors.As(err, &op) && op.OperationName == "CreateVirtualMFADevice" {
			return "the account holds as many virtual MFA devices as its quota allows: delete unused ones (aws iam list-virtual-mfa-devices --assignment-status Unassigned, then aws iam delete-virtual-mfa-device) or ask for more in Service Quotas, then run the same command again"
		}
		return "the account reached an IAM quota (the error names it): free some up or ask for more in Service Quotas, then run the same command again"
	}
	return ""
}

// deniedHint is awsErrorHint's AccessDenied advice for an error known only
// by its text, such as the audit's note on an unreadable credential report.
func deniedHint(msg string) string {
	if !strings.Contains(msg, "AccessDenied") {
		return ""
	}
	action := "an action"
	if m := operationInMessage.FindStringSubmatch(msg); m != nil {
		action = awsfacts.ActionPrefix(m[1]) + ":" + m[2]
	}
	return deniedAdvice(action)
}

func deniedAdvice(action string) string {
	return "the credentials may not call " + action + ": `iam-baseline policy` prints the IAM policy this tool needs"
}

// operationInMessage finds the SDK's "operation error IAM: CreateUser".
var operationInMessage = regexp.MustCompile(`operation error ([A-Za-z0-9]+): ([A-Za-z0-9]+)`)

// isNoCredentials recognises the SDK's default chain running out of
// providers: the last one it tries is the EC2 instance role.
func isNoCredentials(err error) bool {
	return strings.Contains(err.Error(), "no EC2 IMDS role found")
}
