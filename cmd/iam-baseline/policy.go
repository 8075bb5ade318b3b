package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/permissions"
)

// flagPartition names the partition `policy --organization` writes ARNs in.
const flagPartition = "partition"

// policyCommand prints the IAM policy the tool needs, from the one list in
// package permissions.
func policyCommand(env *Env, tr locale.Printer) *cli.Command {
	var purposes strings.Builder
	for _, g := range permissions.Groups() {
		fmt.Fprintf(&purposes, "  %s: %s\n", g.Sid, tr.Msg(g.Purpose))
	}
	return &cli.Command{
		Name:  "policy",
		Usage: tr.T("print the IAM policy (JSON) that plan, apply and status need when run as an IAM user or role"),
		Description: tr.T("Attach it to the identity that runs iam-baseline, for example:") + "\n" +
			"  iam-baseline policy > iam-baseline-policy.json\n" +
			"  aws iam create-policy --policy-name iam-baseline --policy-document file://iam-baseline-policy.json\n" +
			tr.T("One statement per purpose:") + "\n" + purposes.String() +
			tr.T("sts:GetCallerIdentity needs no permission. Deleting root's access keys works only when signed\n"+
				"by root, whom no policy restricts. The policy can create an administrator: treat it as one."),
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: flagOrganization, Usage: tr.T("print what the management account's identity needs for status and apply with --organization")},
			&cli.StringFlag{Name: flagRoleName, Value: DefaultMemberRole, Usage: tr.T("with --organization, the `ROLE` assumed in each member account")},
			&cli.StringFlag{Name: flagPartition, Value: awsfacts.PartitionAWS, Usage: tr.T("with --organization, the AWS `PARTITION` of the organization's ARNs: %s", strings.Join(awsfacts.Partitions(), ", "))},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return newUsageError(nil, locale.M("unexpected argument %q: policy takes no arguments", c.Args().First()))
			}
			doc := permissions.Document()
			if c.Bool(flagOrganization) {
				if err := checkRoleName(c.String(flagRoleName)); err != nil {
					return err
				}
				partition := c.String(flagPartition)
				if !slices.Contains(awsfacts.Partitions(), partition) {
					return newUsageError([]string{flagPartition}, locale.M("invalid value %q for --%s: want one of %s", partition, flagPartition, strings.Join(awsfacts.Partitions(), ", ")))
				}
				doc = permissions.OrganizationDocument(c.String(flagRoleName), partition)
			}
			_, err := env.Stdout.Write(doc.JSON())
			return err
		},
		OnUsageError: onUsageError,
	}
}

// deniedHint is explainFailure's AccessDenied advice for an error known only
// by its text, such as the audit's note on an unreadable credential report.
func deniedHint(msg string) locale.Msg {
	if !strings.Contains(msg, "AccessDenied") {
		return locale.Msg{}
	}
	action := "an action"
	if m := operationInMessage.FindStringSubmatch(msg); m != nil {
		action = awsfacts.ActionPrefix(m[1]) + ":" + m[2]
	}
	return deniedAdvice(action)
}

func deniedAdvice(action string) locale.Msg {
	return locale.M("the credentials may not call %s: `iam-baseline policy` prints the IAM policy this tool needs", action)
}

// operationInMessage finds the SDK's "operation error IAM: CreateUser".
var operationInMessage = regexp.MustCompile(`operation error ([A-Za-z0-9]+): ([A-Za-z0-9]+)`)
