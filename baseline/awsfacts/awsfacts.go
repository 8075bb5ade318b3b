// Package awsfacts is the one home of facts about AWS that the engine
// (baseline), the audit (baseline/audit), the MFA enrollment (mfa) and the
// wizard (prompt) share: partitions and their URLs, managed policy ARNs,
// error-code matching, IAM's name rules and the recommended password
// policy. It imports nothing of the project, so every package can use it
// without an import cycle (mfa cannot import baseline, which imports mfa).
package awsfacts

import (
	"errors"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"
)

// The partitions whose URLs differ from the commercial one.
const (
	PartitionAWS      = "aws"
	PartitionChina    = "aws-cn"
	PartitionGovCloud = "aws-us-gov"
)

// Partitions are the partitions the tool knows, commercial first.
func Partitions() []string { return []string{PartitionAWS, PartitionChina, PartitionGovCloud} }

// ConsoleURL is where a person signs in to the partition's console.
func ConsoleURL(partition string) string {
	switch partition {
	case PartitionChina:
		return "https://console.amazonaws.cn/"
	case PartitionGovCloud:
		return "https://console.amazonaws-us-gov.com/"
	}
	return "https://console.aws.amazon.com/"
}

// SignInURL is the console sign-in URL for IAM users of an account, by alias
// or account ID, in the partition's domain.
func SignInURL(partition, aliasOrAccountID string) string {
	domain := "signin.aws.amazon.com"
	switch partition {
	case PartitionChina:
		domain = "signin.amazonaws.cn"
	case PartitionGovCloud:
		domain = "signin.amazonaws-us-gov.com"
	}
	return "https://" + aliasOrAccountID + "." + domain + "/console"
}

// AdministratorAccess is the name of the AWS-managed policy that grants
// everything.
const AdministratorAccess = "AdministratorAccess"

// ManagedPolicyARN is the ARN of an AWS-managed policy in the partition
// ("aws" when empty).
func ManagedPolicyARN(partition, name string) string {
	if partition == "" {
		partition = PartitionAWS
	}
	return "arn:" + partition + ":iam::aws:policy/" + name
}

// The task policies of sts:AssumeRoot that centralized root access uses:
// an audit session reads root's credentials, a delete session removes them.
const (
	RootTaskAudit  = "IAMAuditRootUserCredentials"
	RootTaskDelete = "IAMDeleteRootUserCredentials"
)

// RootTaskPolicyARN is the ARN of an AssumeRoot task policy: AWS-managed,
// under the root-task/ path.
func RootTaskPolicyARN(partition, task string) string {
	return ManagedPolicyARN(partition, "root-task/"+task)
}

// IAMServicePrincipal is the service an organization must trust
// (organizations EnableAWSServiceAccess) before IAM can manage members'
// root credentials.
const IAMServicePrincipal = "iam.amazonaws.com"

// CodeServiceAccessNotEnabled is IAM's answer to ListOrganizationsFeatures
// before the organization trusts IAMServicePrincipal.
const CodeServiceAccessNotEnabled = "ServiceAccessNotEnabledException"

// CodeNotRootAccessAdministrator is IAM's answer to ListOrganizationsFeatures
// from an account that is neither the management account nor IAM's
// delegated administrator: it cannot use centralized root access.
const CodeNotRootAccessAdministrator = "AccountNotManagementOrDelegatedAdministratorException"

// ErrorCode is the AWS error code of err ("NoSuchEntity", ...), or "" when
// AWS did not answer with one.
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// Answered reports whether err is an error AWS answered with, as opposed to
// a request that got no answer (cancelled, timed out, connection lost) and
// so may or may not have been carried out.
func Answered(err error) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr)
}

// RetryableErrorCodes are the IAM error codes AWS says to retry as they are,
// beyond the SDK's defaults: ConcurrentModification ("multiple requests to
// change this object were submitted simultaneously ... submit your request
// again"). EntityTemporarilyUnmodifiable is not one: AWS says to wait
// several minutes, longer than a run should hang.
func RetryableErrorCodes() map[string]struct{} {
	return map[string]struct{}{"ConcurrentModification": {}}
}

// HasErrorCode reports whether AWS answered err with code.
func HasErrorCode(err error, code string) bool {
	return err != nil && ErrorCode(err) == code
}

// Limits of IAM names.
const (
	MaxUserNameLen      = 64
	MaxRoleNameLen      = 64
	MaxGroupNameLen     = 128
	MaxMFADeviceNameLen = 226
)

// IAMNameChars are the characters IAM allows in user, group and MFA device
// names besides ASCII letters and digits.
const IAMNameChars = "+=,.@_-"

// IsIAMNameRune reports whether IAM allows r in a user, group or MFA device
// name.
func IsIAMNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return true
	}
	return strings.ContainsRune(IAMNameChars, r)
}

// ValidIAMName reports whether name is 1 to maxLen IAM name characters.
func ValidIAMName(name string, maxLen int) bool {
	if name == "" || len(name) > maxLen {
		return false
	}
	for _, r := range name {
		if !IsIAMNameRune(r) {
			return false
		}
	}
	return true
}

// The recommended password policy's numbers (CIS AWS Foundations): at
// least 14 characters, and no reuse of the last 24 passwords.
const (
	RecommendedMinimumLength   = 14
	RecommendedReusePrevention = 24
)

// The AWS-managed policies CIS asks about beyond AdministratorAccess:
// AWSSupportAccess must be held by some principal (IAM.18), and
// AWSCloudShellFullAccess by none (IAM.27).
const (
	SupportAccess        = "AWSSupportAccess"
	CloudShellFullAccess = "AWSCloudShellFullAccess"
)

// ActionPrefix is the IAM policy prefix of the actions of a service the SDK
// names by its service ID ("IAM" -> "iam", "AccessAnalyzer" ->
// "access-analyzer").
func ActionPrefix(sdkServiceID string) string {
	if sdkServiceID == "AccessAnalyzer" {
		return "access-analyzer"
	}
	return strings.ToLower(sdkServiceID)
}

// The Account API's rules for an alternate contact's fields
// (PutAlternateContact).
const (
	MaxContactNameLen  = 64
	MaxContactTitleLen = 50
	MaxContactEmailLen = 254
	MaxContactPhoneLen = 25
)

var (
	contactEmail = regexp.MustCompile(`^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$`)
	contactPhone = regexp.MustCompile(`^[\s0-9()+-]+$`)
)

// ValidContactEmail reports whether the Account API accepts s as a
// contact's e-mail address.
func ValidContactEmail(s string) bool { return contactEmail.MatchString(s) }

// ValidContactPhone reports whether the Account API accepts s as a
// contact's phone number: digits, spaces, ( ) + -.
func ValidContactPhone(s string) bool { return contactPhone.MatchString(s) }

// MFADeviceNameAtRoot is the name of the virtual MFA device with serial
// arn:<partition>:iam::<account>:mfa/<name>, made without a path (as this
// tool makes them); ok is false for a device at another path
// (mfa/other/<name>), whose serial, and so whose name, is another: it never
// blocks creating one at the root.
func MFADeviceNameAtRoot(serial string) (name string, ok bool) {
	_, rest, found := strings.Cut(serial, ":mfa/")
	if !found || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	return rest, true
}

// IsVirtualMFASerial reports whether an MFA device's serial number is a
// virtual (authenticator app) device's: its ARN, arn:<partition>:iam::
// <account>:mfa/<path><name>. A hardware TOTP token's serial is not an ARN,
// and a security key's (FIDO) ARN has u2f/ instead of mfa/.
func IsVirtualMFASerial(serial string) bool {
	return strings.HasPrefix(serial, "arn:") && strings.Contains(serial, ":mfa/")
}

// IsLongTermAccessKey reports whether an access key ID is a long-term key
// (AKIA...), as opposed to temporary credentials (ASIA...) of a session. A
// request signed with a long-term key never carries MFA.
func IsLongTermAccessKey(id string) bool { return strings.HasPrefix(id, "AKIA") }
