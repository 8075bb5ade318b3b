// Package permissions is the one list of the AWS actions iam-baseline calls,
// grouped by what needs them, and the IAM policy built from it
// (`iam-baseline policy`). Tests hold it to the code: every method of the
// client interfaces the engine, the MFA enrollment and the audit are given
// is listed here, and nothing else is.
package permissions

import (
	"encoding/json"
	"slices"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Group is a set of actions one part of the tool needs.
type Group struct {
	// Sid names the group in the policy document.
	Sid string
	// Purpose says which commands need the actions and why.
	Purpose locale.Msg
	// Service is the actions' service prefix; empty means "iam".
	Service string
	// Actions are action names without the service prefix.
	Actions []string
}

// Groups are the actions the tool calls when it signs as an IAM user or
// role, by purpose. sts:GetCallerIdentity is called too, but needs no
// permission. Deleting root's access keys (--delete-root-access-keys) works
// only when signed by root, whom no policy restricts, so its actions
// (iam:ListAccessKeys, iam:DeleteAccessKey) are in RootOnly, not here.
func Groups() []Group {
	return []Group{
		{
			Sid:     "ReadAccount",
			Purpose: locale.M("plan, apply and status: read the account summary, password policy, alias, the admin group (its members and MFA policy) and user, their MFA devices"),
			Actions: []string{
				"GetAccountSummary", "GetAccountPasswordPolicy", "ListAccountAliases",
				"GetGroup", "ListAttachedGroupPolicies", "GetGroupPolicy",
				"GetUser", "GetLoginProfile", "ListGroupsForUser",
				"ListMFADevices", "ListVirtualMFADevices",
			},
		},
		{
			Sid:     "ApplyBaseline",
			Purpose: locale.M("apply: create the admin group (and its policy requiring MFA) and user, the console password (or reset it), the membership, the password policy and the alias"),
			Actions: []string{
				"CreateGroup", "AttachGroupPolicy", "PutGroupPolicy",
				"CreateUser", "CreateLoginProfile", "UpdateLoginProfile", "AddUserToGroup",
				"UpdateAccountPasswordPolicy", "CreateAccountAlias",
			},
		},
		{
			Sid:     "EnrollUserMFA",
			Purpose: locale.M("apply: create (tagged with the run's identity) and enable the user's virtual MFA device (resyncing it when AWS got the codes late), delete one an aborted run left unassigned after reading its tags, and with --reenroll-mfa deactivate and delete the devices the new one replaces"),
			Actions: []string{"CreateVirtualMFADevice", "TagMFADevice", "ListMFADeviceTags", "EnableMFADevice", "ResyncMFADevice", "DeleteVirtualMFADevice", "DeactivateMFADevice"},
		},
		{
			Sid:     "SupportRole",
			Purpose: locale.M("plan and apply with --support-role: read the role, create it and attach AWSSupportAccess"),
			Actions: []string{"GetRole", "ListAttachedRolePolicies", "CreateRole", "AttachRolePolicy"},
		},
		{
			Sid:     "AuditAccount",
			Purpose: locale.M("status: the credential report, every user's groups and policies, every role's policies, and whether the organization manages root access"),
			Actions: []string{"GenerateCredentialReport", "GetCredentialReport", "GetAccountAuthorizationDetails", "ListOrganizationsFeatures"},
		},
		{
			Sid:     "WizardOptIns",
			Purpose: locale.M("the wizard: whether any principal holds AWSSupportAccess, before offering the support role"),
			Actions: []string{"ListEntitiesForPolicy"},
		},
		{
			Sid:     "AuditAccountSettings",
			Purpose: locale.M("status, the wizard, and plan with --security-contact-*: the security contact; status and the wizard: which regions the account has enabled"),
			Service: "account",
			Actions: []string{"GetAlternateContact", "ListRegions"},
		},
		{
			Sid:     "SecurityContact",
			Purpose: locale.M("apply with --security-contact-*: register the security contact"),
			Service: "account",
			Actions: []string{"PutAlternateContact"},
		},
		{
			Sid:     "AuditAccessAnalyzer",
			Purpose: locale.M("status, the wizard, and plan with --access-analyzer: whether each enabled region has an active IAM Access Analyzer"),
			Service: "access-analyzer",
			Actions: []string{"ListAnalyzers"},
		},
		{
			Sid:     "AccessAnalyzer",
			Purpose: locale.M("apply with --access-analyzer: create the account's analyzer in each enabled region lacking one"),
			Service: "access-analyzer",
			Actions: []string{"CreateAnalyzer"},
		},
	}
}

// Implied are actions a call needs besides its own, by the action they come
// with: CreateVirtualMFADevice with Tags needs iam:TagMFADevice as well.
func Implied() map[string]string { return map[string]string{"TagMFADevice": "CreateVirtualMFADevice"} }

// RootOnly are actions the tool calls only when it signs as the root user.
func RootOnly() []string { return []string{"ListAccessKeys", "DeleteAccessKey"} }

// NoPermissionNeeded are calls every principal may make.
func NoPermissionNeeded() []string { return []string{"sts:GetCallerIdentity"} }

// Prefixed is the action with its group's service prefix ("iam:CreateUser").
func (g Group) Prefixed(action string) string {
	service := g.Service
	if service == "" {
		service = "iam"
	}
	return service + ":" + action
}

// Actions are every action of Groups, service-prefixed and sorted.
func Actions() []string {
	var out []string
	for _, g := range Groups() {
		for _, a := range g.Actions {
			out = append(out, g.Prefixed(a))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Document is an IAM policy document that allows Groups, one statement per
// group. Without is a list of actions ("iam:CreateUser") to leave out, for
// tests that show each one is needed.
func Document(without ...string) Policy {
	p := Policy{Version: "2012-10-17"}
	for _, g := range Groups() {
		st := Statement{Sid: g.Sid, Effect: "Allow", Resource: "*"}
		for _, a := range g.Actions {
			if !slices.Contains(without, g.Prefixed(a)) {
				st.Action = append(st.Action, g.Prefixed(a))
			}
		}
		if len(st.Action) > 0 {
			p.Statement = append(p.Statement, st)
		}
	}
	return p
}

// Policy is an IAM policy document.
type Policy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a Policy.
type Statement struct {
	Sid      string   `json:"Sid"`
	Effect   string   `json:"Effect"`
	Action   []string `json:"Action"`
	Resource string   `json:"Resource"`
	// Condition is operator -> key -> values.
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// JSON is the document, indented, as `iam-baseline policy` prints it.
func (p Policy) JSON() []byte {
	b, _ := json.MarshalIndent(p, "", "  ") // plain strings: cannot fail
	return append(b, '\n')
}

// OrganizationDocument is the policy the management account's identity (an
// IAM user or role: root cannot assume roles) needs for status and apply
// with --organization in partition, entering members through role. Root
// sessions are limited, with the sts:TaskPolicyArn condition AWS
// documents, to the two task policies the tool opens: the audit (status
// and apply's plan) and the deletion (apply). What is done inside a member
// is the member role's and the root task policies' business.
func OrganizationDocument(role, partition string) Policy {
	arn := func(resource string) string { return "arn:" + partition + ":iam::" + resource }
	return Policy{Version: "2012-10-17", Statement: []Statement{
		{Sid: "ListMembers", Effect: "Allow", Resource: "*", Action: []string{
			"organizations:ListAccounts", "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"}},
		{Sid: "EnterMembers", Effect: "Allow", Resource: arn("*:role/" + role), Action: []string{"sts:AssumeRole"}},
		{Sid: "RootSessions", Effect: "Allow", Resource: arn("*:root"), Action: []string{"sts:AssumeRoot"},
			Condition: map[string]map[string][]string{"ArnEquals": {"sts:TaskPolicyArn": {
				awsfacts.RootTaskPolicyARN(partition, awsfacts.RootTaskAudit), awsfacts.RootTaskPolicyARN(partition, awsfacts.RootTaskDelete)}}}},
		{Sid: "ReadRootAccess", Effect: "Allow", Resource: "*", Action: []string{"iam:ListOrganizationsFeatures"}},
		{Sid: "EnableRootAccess", Effect: "Allow", Resource: "*", Action: []string{"organizations:EnableAWSServiceAccess",
			"iam:EnableOrganizationsRootCredentialsManagement", "iam:EnableOrganizationsRootSessions"}},
	}}
}
