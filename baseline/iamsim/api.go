// Package iamsim is a strict, local IAM and STS endpoint for tests, benchmarks
// and the sandbox rehearsal. It speaks the AWS Query protocol (form-encoded
// POST, XML answers) so the real aws-sdk-go-v2 clients and AWS CLI v2 can talk
// to it over HTTP.
//
// This file is the package's public contract: the rest of the project codes
// against it. Keep it stable; add to it rather than change it.
package iamsim

import (
	"time"
)

// DefaultAccountID is the account every access key maps to when Options has
// no Accounts: a fresh account driven with a root access key.
const DefaultAccountID = "123456789012"

// DefaultRootAccessKeyID is the root access key of the default account.
const DefaultRootAccessKeyID = "AKIAIOSFODNN7EXAMPLE"

// Options configure a simulator. The zero value is a single fresh account
// (DefaultAccountID, partition "aws", one root access key, no root MFA, no
// password policy) in which any access key acts as the root user.
type Options struct {
	// Accounts to simulate. Empty means one DefaultAccount().
	Accounts []AccountConfig
	// Now is the simulator's clock (TOTP checks, CreateDate, credential
	// report ages, eventual consistency). Nil means time.Now.
	Now func() time.Time
	// Latency is added to every request before it is handled.
	Latency time.Duration
	// ThrottleRate is the fraction (0..1) of requests answered with
	// Throttling "Rate exceeded", drawn from a generator seeded with Seed.
	ThrottleRate float64
	Seed         int64
	// ConsistencyDelay keeps a newly created entity invisible to reads and
	// to dependent writes for this long (IAM's eventual consistency).
	ConsistencyDelay time.Duration
	// VirtualMFADeviceQuota is the most virtual MFA devices (assigned or
	// not) an account may hold; 0 means AWS's, equal to the users quota.
	VirtualMFADeviceQuota int
	// MemberAccounts adds an AWS Organization whose management account is
	// the first account, with this many members from GenerateMembers(n,
	// Seed) (see docs/iamsim.md for the states they are drawn in).
	MemberAccounts int
}

// AccountConfig describes one simulated account and who may call it.
type AccountConfig struct {
	ID        string // 12 digits
	Partition string // "aws", "aws-cn" or "aws-us-gov"; empty means "aws"
	// RootAccessKeyIDs are root's access keys. The first one, if any, is
	// also a credential that signs as root.
	RootAccessKeyIDs []string
	// RootSigningKeyIDs sign as root without being root access keys (AWS
	// CloudShell's or a console session's temporary credentials).
	RootSigningKeyIDs []string
	RootMFA           bool
	// RootCredentialsRemoved models AWS Organizations' centralized root
	// access: root has no password, keys or MFA to manage.
	RootCredentialsRemoved bool
	Alias                  string
	// AnyKeyIsRoot makes access keys that are not otherwise known sign as
	// this account's root user (the zero-configuration behaviour).
	AnyKeyIsRoot bool
	// Roles exist from the start, like the role AWS Organizations creates in
	// a member account.
	Roles []RoleConfig
	// Member makes the account a member of the organization whose
	// management account is the first configured account.
	Member *MemberConfig
	// OptInRegions are the opt-in regions enabled in the account; regions
	// enabled by default are always enabled.
	OptInRegions []string
	// CredentialReportDelay overrides SetCredentialReportDelay for this
	// account.
	CredentialReportDelay time.Duration
}

// RoleConfig is a role an account starts with.
type RoleConfig struct {
	Name string
	// TrustPolicy is the AssumeRolePolicyDocument (JSON).
	TrustPolicy string
	// PolicyARNs are managed policies attached to it ("arn:aws:iam::aws:policy/..." in
	// the account's partition).
	PolicyARNs []string
}

// OrganizationAccountAccessRole is the role AWS Organizations creates in an
// account it creates: it trusts the management account (whose principals
// still need sts:AssumeRole in their own policies) and has
// AdministratorAccess.
func OrganizationAccountAccessRole(partition, managementAccountID string) RoleConfig {
	if partition == "" {
		partition = "aws"
	}
	return RoleConfig{
		Name:        AccessRoleName,
		TrustPolicy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:` + partition + `:iam::` + managementAccountID + `:root"},"Action":"sts:AssumeRole"}]}`,
		PolicyARNs:  []string{"arn:" + partition + ":iam::aws:policy/AdministratorAccess"},
	}
}

// DefaultAccount is the zero-configuration account.
func DefaultAccount() AccountConfig {
	return AccountConfig{
		ID:               DefaultAccountID,
		Partition:        "aws",
		RootAccessKeyIDs: []string{DefaultRootAccessKeyID},
		AnyKeyIsRoot:     true,
	}
}

// LogEntry is one request as the simulator saw it. Params never hold a
// password, TOTP code, seed or secret key: those are replaced by "[redacted]".
type LogEntry struct {
	Seq       int               // 1-based arrival order
	Start     time.Time         // when the request arrived
	End       time.Time         // when the answer was written
	AccountID string            // empty when the caller was not recognised
	Principal string            // caller ARN
	Action    string            // for example "CreateUser"
	Params    map[string]string // form parameters, secrets redacted
	Status    int               // HTTP status answered
	ErrorCode string            // empty on success
	Mutating  bool              // the action changes state (Create*, Update*, ...)
	// MFA says the request's temporary credentials carry MFA context
	// (aws:MultiFactorAuthPresent=true).
	MFA bool
	// Depth is 1 + the largest Depth among requests that finished before
	// this one started: the round-trip depth of the chain it belongs to.
	Depth int
}

// Fault makes matching requests fail. A Fault with Nth == 0 matches every
// call of Action; otherwise only the Nth call (1-based, counted per Action
// from when the fault was added).
type Fault struct {
	Action  string
	Nth     int
	Code    string // for example "ServiceFailure"
	Message string
	Status  int // HTTP status; 0 means the status AWS uses for Code
	// AfterHandling applies the request first, then answers with the error:
	// the caller sees a failure although the change was made (a lost answer).
	AfterHandling bool
}

// MemberConfig is an organization member account's state.
type MemberConfig struct {
	Name  string
	Email string
	// Suspended accounts are listed with state SUSPENDED and cannot be
	// entered.
	Suspended bool
	// OU is the name of the organizational unit that holds the account
	// (created under the root on first use); empty means the root.
	OU string
	// AccessRole says whether the role OrganizationAccountAccessRole
	// (OrganizationAccountAccessRole()) exists in the account, trusting the
	// management account.
	AccessRole bool
	// RootPassword: accounts created by Organizations have none; invited
	// accounts do.
	RootPassword bool
	// RootSigningCertificates is how many X.509 signing certificates root
	// holds.
	RootSigningCertificates int
	// DelegatedAdministrator lists the service principals (for example
	// "iam.amazonaws.com") for which the account is a registered delegated
	// administrator: it may read the organization and do what the service
	// lets a delegated administrator do.
	DelegatedAdministrator []string
	// UsersWithoutMFA and UsersWithMFA are console users created in the
	// account (names user-nomfa-N and user-mfa-N).
	UsersWithoutMFA int
	UsersWithMFA    int
}
