package audit

import (
	"time"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// Snapshot is everything the checks look at, read once. The checks are pure
// functions of it, so each can be tested with a table of snapshots.
type Snapshot struct {
	Account Account
	// Now is when the snapshot was taken: ages (unused credentials, key
	// rotation) are measured against it.
	Now  time.Time
	Root RootFacts
	// PasswordPolicy is nil when the account has none (AWS's default
	// applies: 8 characters, no reuse prevention).
	PasswordPolicy *PasswordPolicy
	// CredentialReport is nil when it could not be read;
	// CredentialReportError then says why.
	CredentialReport      *CredentialReport
	CredentialReportError string
	// Users and Groups are the account's IAM users and groups with what
	// is attached to them (from GetAccountAuthorizationDetails).
	Users  []UserGrants
	Groups []GroupGrants
	// Roles are the account's roles with their attached managed policies.
	Roles []RoleGrants
	// RootAccess is centralized root access as IAM reports it; Unreadable
	// holds the error code or message when it could not be read.
	RootAccess baseline.RootAccessFeatures
	// SecurityContact is nil when the account has none, or when it could
	// not be read: SecurityContactError then says why.
	SecurityContact      *baseline.SecurityContact
	SecurityContactError string
	// Analyzers are the active external-access analyzers of each enabled
	// region; RegionsError says why the regions could not be listed.
	Analyzers    []baseline.RegionAnalyzers
	RegionsError string
	// The errors behind CredentialReportError, SecurityContactError and
	// RegionsError when this run read them: findings word them in the
	// reader's language (readFailure); the strings are their English.
	credentialReportErr, securityContactErr, regionsErr error
	// Baseline is what `apply` sets up and how far it got.
	Baseline BaselineFacts
}

// RootFacts describe the root user, from GetAccountSummary and the MFA
// device listing, or from a root session (RootHoldings.Facts).
type RootFacts struct {
	// Unreadable says why the root session could not read root's
	// credentials; the root checks are then manual.
	Unreadable         string
	unreadableErr      error // behind Unreadable, as in Snapshot
	AccessKeysPresent  bool
	MFAEnabled         bool
	PasswordPresent    bool
	CertificatePresent bool
	// VirtualMFA is true when the root user's MFA is a virtual device
	// (IAM.6 wants hardware). Only meaningful when MFAEnabled.
	VirtualMFA bool
	// VirtualMFAUnknown is true when the MFA device listing could not be
	// read.
	VirtualMFAUnknown bool
}

// CredentialsRemoved reports whether the root user has no credential at all,
// as AWS Organizations' centralized root access leaves it. Root checks then
// do not apply (AWS Config answers NOT_APPLICABLE the same way).
func (r RootFacts) CredentialsRemoved() bool {
	return !r.AccessKeysPresent && !r.MFAEnabled && !r.PasswordPresent && !r.CertificatePresent
}

// PasswordPolicy is the account password policy, the engine's one type.
type PasswordPolicy = awsfacts.PasswordPolicy

// UserGrants is one IAM user with the policies attached to it directly.
type UserGrants struct {
	Name             string
	AttachedPolicies []string // managed policy ARNs
	InlinePolicies   []string // inline policy names
	Groups           []string
}

// GroupGrants is one IAM group with its attached managed policies and its
// inline policies (name -> document, URL-decoded).
type GroupGrants struct {
	Name             string
	AttachedPolicies []string
	InlinePolicies   map[string]string
}

// RoleGrants is one IAM role with its attached managed policies.
type RoleGrants struct {
	Name             string
	AttachedPolicies []string
}

// BaselineFacts are the baseline's own items.
type BaselineFacts struct {
	GroupName string
	UserName  string
	// PolicyARN is AdministratorAccess in the account's partition.
	PolicyARN string
	// LoginProfile and MFADevices are read live for UserName.
	LoginProfile bool
	MFADevices   int
	// LoginProfileError and MFAError are set when those reads failed for
	// another reason than the user not existing.
	LoginProfileError string
	MFAError          string
	// The errors behind them, as in Snapshot.
	loginProfileErr, mfaErr error
}

// readFailure is why a read failed, for a finding's detail: the error this
// run met (a message's error value is worded in the reader's language),
// else the English a snapshot holds.
func readFailure(err error, text string) any {
	if err != nil {
		return err
	}
	return text
}

func (s Snapshot) user(name string) (UserGrants, bool) {
	for _, u := range s.Users {
		if equalName(u.Name, name) {
			return u, true
		}
	}
	return UserGrants{}, false
}

func (s Snapshot) group(name string) (GroupGrants, bool) {
	for _, g := range s.Groups {
		if equalName(g.Name, name) {
			return g, true
		}
	}
	return GroupGrants{}, false
}

// CarriedErrors are the errors of the reads the report carries instead of
// failing (each makes some check manual), for the view to advise on.
func (s Snapshot) CarriedErrors() []string {
	var out []string
	carried := []string{s.Root.Unreadable, s.CredentialReportError, s.RootAccess.Unreadable, s.SecurityContactError, s.RegionsError, s.Baseline.LoginProfileError, s.Baseline.MFAError}
	for _, a := range s.Analyzers {
		if a.Err != nil {
			carried = append(carried, a.Err.Error())
		}
	}
	for _, e := range carried {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}
