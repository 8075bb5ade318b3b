// Package mfapolicy is the policy that makes MFA required, not just present,
// for the admin group: product data, with no dependency on the engine.
//
// The policy only denies. AdministratorAccess on the same group grants; this
// document takes away everything a request without MFA could do, except what
// a user needs to get MFA on their own:
//
//   - DenyAllExceptSelfServiceWithoutMFA: every action but the self-service
//     ones (and two account-wide reads) is denied unless the request carries
//     aws:MultiFactorAuthPresent=true. BoolIfExists, because long-term
//     access keys carry no such key at all and Bool would let them through.
//   - DenySelfServiceOnOthersWithoutMFA: the self-service actions reach only
//     the caller's own user (user/${aws:username}) and a virtual device named
//     after the caller (mfa/${aws:username}). AWS's example policy grants
//     the same exceptions with Allow statements; with AdministratorAccess
//     also attached those Allows are moot and the exceptions would reach
//     every user, so here they are carved out of a Deny instead.
//   - DenyEnrollingFromAccessKeysWithoutMFA: a request signed with a
//     long-term access key (no aws:MultiFactorAuthPresent: Null is true)
//     may neither enable an MFA device nor change the password. Otherwise a
//     leaked access key alone could enroll the attacker's own device and
//     then get an MFA session token: the very thing the policy exists to
//     stop. A console sign-in without MFA still may, and AWS gives one only
//     to a user with no MFA device (the console asks for the code when there
//     is one), which is the first-day path this tool prepares.
//
// Device names. CreateVirtualMFADevice is authorized against
// mfa/<path><name>, and the name is the caller's choice; without MFA a user
// may only create a device named exactly after themselves at path "/". That
// name is a label, not a binding: what makes a device authenticate a user is
// EnableMFADevice, authorized against the user, and GetSessionToken or a
// sign-in accept only a device assigned to the caller. So a device named
// after another user, even if it existed, would authenticate nobody but the
// user it is enabled on, and a user without MFA cannot enable or delete a
// device on anyone else. The worst a user without MFA can do to another is
// nothing: they cannot create the other's device name, so they cannot even
// squat it.
//
// Users whose path is not "/" do not match user/${aws:username} (the ARN
// holds the path), so for them the exceptions do not apply and they need an
// administrator to enroll them: the policy fails closed.
package mfapolicy

import (
	"slices"

	"github.com/iam-baseline/iam-baseline/baseline/policydoc"
)

// Name is the name of the inline policy on the admin group.
//
// Inline rather than managed: PutGroupPolicy replaces the document in one
// call, so an update is idempotent with no version bookkeeping (a managed
// policy needs CreatePolicyVersion, SetDefault and, past five versions,
// DeletePolicyVersion); the policy lives and dies with the group, so it can
// neither be detached and forgotten nor attached where ${aws:username} means
// something else; and it is one mutating call instead of two. The cost: it
// is not reusable across groups, and an inline-policy audit (AWS Config's
// iam-no-inline-policy-check) lists it; its size (see Size) is far below
// IAM's 5,120-character quota for a group's inline policies.
const Name = "iam-baseline-require-mfa"

// Policy is an IAM policy document.
type Policy = policydoc.Document

// SelfService are the actions a user may call without MFA, on their own user
// or on a virtual MFA device named after them: see and manage their own MFA
// device, and change their own password (the forced reset at first
// sign-in). DeactivateMFADevice is not among them: removing MFA needs MFA.
func SelfService() []string {
	return []string{
		"iam:GetUser",
		"iam:ChangePassword",
		"iam:ListMFADevices",
		"iam:CreateVirtualMFADevice",
		"iam:EnableMFADevice",
		"iam:ResyncMFADevice",
		"iam:DeleteVirtualMFADevice",
	}
}

// AccountReads are account-wide reads allowed without MFA: the password
// policy (to choose a new password that satisfies it) and the virtual MFA
// devices (to find one's own unassigned device after an interrupted
// enrollment; the list shows serial numbers and user names, no secrets).
// sts:GetSessionToken is listed for clarity only: no policy can deny it.
func AccountReads() []string {
	return []string{"iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices", "sts:GetSessionToken"}
}

// KeyDenied are the self-service actions a long-term access key may not
// call without MFA.
func KeyDenied() []string { return []string{"iam:EnableMFADevice", "iam:ChangePassword"} }

var withoutMFA = map[string]map[string]policydoc.Values{"BoolIfExists": {"aws:MultiFactorAuthPresent": {"false"}}}

// Document is the policy for a partition ("aws", "aws-cn", "aws-us-gov";
// empty means "aws").
func Document(partition string) Policy {
	if partition == "" {
		partition = "aws"
	}
	own := policydoc.Values{
		"arn:" + partition + ":iam::*:user/${aws:username}",
		"arn:" + partition + ":iam::*:mfa/${aws:username}",
	}
	return Policy{Version: policydoc.Version, Statement: []policydoc.Statement{
		{
			Sid: "DenyAllExceptSelfServiceWithoutMFA", Effect: "Deny",
			NotAction: slices.Concat(SelfService(), AccountReads()), Resource: policydoc.Values{"*"},
			Condition: withoutMFA,
		},
		{
			Sid: "DenySelfServiceOnOthersWithoutMFA", Effect: "Deny",
			Action: SelfService(), NotResource: own,
			Condition: withoutMFA,
		},
		{
			Sid: "DenyEnrollingFromAccessKeysWithoutMFA", Effect: "Deny",
			Action: KeyDenied(), Resource: policydoc.Values{"*"},
			Condition: map[string]map[string]policydoc.Values{"Null": {"aws:MultiFactorAuthPresent": {"true"}}},
		},
	}}
}
