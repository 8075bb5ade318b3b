package audit

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// The check IDs. They are stable: scripts match on them.
const (
	CheckRootAccessKeys     = "root-access-keys"
	CheckRootMFA            = "root-mfa"
	CheckRootHardwareMFA    = "root-hardware-mfa"
	CheckIndividualUsers    = "individual-users"
	CheckGroupPermissions   = "permissions-through-groups"
	CheckPasswordPolicy     = "password-policy"
	CheckPasswordLength     = "password-min-length"
	CheckPasswordReuse      = "password-reuse-prevention"
	CheckConsoleUsersMFA    = "console-users-mfa"
	CheckUnusedCredentials  = "unused-credentials"
	CheckAccessKeyRotation  = "access-key-rotation"
	CheckOneActiveAccessKey = "one-active-access-key"
	CheckBaselineGroup      = "baseline-admin-group"
	CheckBaselineUser       = "baseline-admin-user"
	CheckBaselineMembership = "baseline-admin-membership"
	CheckBaselineUserMFA    = "baseline-admin-mfa"
	CheckRootUsage          = "root-usage"
	CheckSetupAccessKeys    = "setup-access-keys"
	CheckSupportRole        = "support-role"
	CheckCloudShellAccess   = "cloudshell-full-access"
	CheckCentralRootAccess  = "centralized-root-access"
	CheckSecurityContact    = "security-contact"
	CheckAccessAnalyzer     = "access-analyzer"
	rootRecentUse           = 24 * time.Hour
	setupKeyWindow          = 10 * time.Second
	recommendedMinLength    = awsfacts.RecommendedMinimumLength
	recommendedReuse        = awsfacts.RecommendedReusePrevention
	unusedCredentialsAge    = 45 * 24 * time.Hour
	accessKeyRotationAge    = 90 * 24 * time.Hour
	partitionGovCloud       = awsfacts.PartitionGovCloud
	partitionChina          = awsfacts.PartitionChina
)

// check is one audit rule: a pure function of the snapshot.
type check func(Snapshot) Finding

// checks are in report order: the five Security Status items, the rest of
// the CIS day-one IAM checks, then the baseline's own items.
var checks = []check{
	checkRootAccessKeys,
	checkRootMFA,
	checkIndividualUsers,
	checkGroupPermissions,
	checkPasswordPolicy,
	checkRootHardwareMFA,
	checkRootUsage,
	checkPasswordLength,
	checkPasswordReuse,
	checkConsoleUsersMFA,
	checkUnusedCredentials,
	checkAccessKeyRotation,
	checkOneActiveAccessKey,
	checkSetupAccessKeys,
	checkSupportRole,
	checkCloudShellAccess,
	checkAccessAnalyzer,
	checkCentralRootAccess,
	checkSecurityContact,
	checkBaselineGroup,
	checkBaselineUser,
	checkBaselineMembership,
	checkBaselineUserMFA,
	// checks_mfa.go
	checkAdminGroupRequiresMFA,
	checkAdministratorsMFA,
}

// Evaluate runs every check over the snapshot.
func Evaluate(s Snapshot) Report {
	findings := make([]Finding, 0, len(checks))
	for _, c := range checks {
		findings = append(findings, c(s))
	}
	account := s.Account
	account.RootCredentialsRemoved = s.rootWithoutCredentials() == rootNone
	r := Report{
		FormatVersion: ReportFormatVersion,
		CheckedAt:     s.Now.UTC().Truncate(time.Second),
		Account:       account,
		Findings:      findings,
		Summary:       summarize(findings),
	}
	if s.CredentialReport != nil {
		r.CredentialReport = &CredentialReportInfo{
			GeneratedTime: s.CredentialReport.GeneratedTime.UTC(),
			Users:         len(s.CredentialReport.Users),
		}
	}
	return r
}

// consoleURL is the IAM console of the partition.
func consoleURL(partition string) string { return awsfacts.ConsoleURL(partition) + "iam/" }

func rootSecurityCredentials(partition string) string {
	return "sign in as the root user at " + strings.TrimSuffix(consoleURL(partition), "iam/") +
		", open the account menu > Security credentials"
}

func checkRootAccessKeys(s Snapshot) Finding {
	f := Finding{ID: CheckRootAccessKeys, Title: "No access keys for the root user", Controls: []string{"IAM.4"},
		SecurityStatus: 1, Resource: "root user"}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case !s.Root.AccessKeysPresent:
		f.Result, f.Detail = ResultPass, "the root user has no access key"
	default:
		f.Result, f.Detail = ResultFail, "the root user has access keys"
		f.Fix = &Fix{Console: rootSecurityCredentials(s.Account.Partition) + " > Access keys > Delete"}
		if s.Account.IsRoot {
			f.Fix.Apply = "with --delete-root-access-keys, deletes the root access keys (unused keys first, the key in use last)"
		}
	}
	return f
}

func checkRootMFA(s Snapshot) Finding {
	f := Finding{ID: CheckRootMFA, Title: "MFA for the root user", Controls: []string{"IAM.9"},
		SecurityStatus: 2, Resource: "root user"}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.Account.Partition == partitionGovCloud:
		f.Result, f.Detail = ResultNotApplicable, "in AWS GovCloud (US) the root user cannot sign in to the console, so it has no console MFA"
	case s.Root.MFAEnabled:
		f.Result, f.Detail = ResultPass, "the root user has MFA"
	default:
		f.Result, f.Detail = ResultFail, "the root user has no MFA device (AWS offers no API to add one)"
		f.Fix = &Fix{Console: rootSecurityCredentials(s.Account.Partition) + " > Multi-factor authentication (MFA) > Assign MFA device"}
	}
	return f
}

func checkRootHardwareMFA(s Snapshot) Finding {
	f := Finding{ID: CheckRootHardwareMFA, Title: "Hardware MFA for the root user", Controls: []string{"IAM.6"},
		Informational: true, Resource: "root user"}
	hardware := &Fix{Console: rootSecurityCredentials(s.Account.Partition) +
		" > Multi-factor authentication (MFA) > Assign MFA device > Passkey or security key, or Hardware TOTP token"}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.Account.Partition == partitionGovCloud:
		f.Result, f.Detail = ResultNotApplicable, "in AWS GovCloud (US) the root user cannot sign in to the console, so it has no console MFA"
	case !s.Root.MFAEnabled:
		f.Result, f.Detail, f.Fix = ResultFail, "the root user has no MFA device", hardware
	case s.Root.VirtualMFAUnknown:
		f.Result, f.Detail = ResultManual, "the virtual MFA devices could not be listed; check the root user's MFA device type in the console"
	case s.Root.VirtualMFA:
		f.Result, f.Detail, f.Fix = ResultFail, "the root user's MFA device is a virtual (authenticator app) device", hardware
	default:
		f.Result, f.Detail = ResultPass, "the root user's MFA device is not a virtual device"
	}
	return f
}

func checkIndividualUsers(s Snapshot) Finding {
	f := Finding{ID: CheckIndividualUsers, Title: "Individual IAM users instead of the root user",
		SecurityStatus: 3, Resource: "IAM users"}
	if n := len(s.Users); n > 0 {
		f.Result, f.Detail = ResultPass, fmt.Sprintf("%d IAM user(s)", n)
		return f
	}
	f.Result, f.Detail = ResultFail, "the account has no IAM user"
	f.Fix = &Fix{Apply: fmt.Sprintf("creates user %q with a console password, in group %q", s.Baseline.UserName, s.Baseline.GroupName)}
	return f
}

func checkGroupPermissions(s Snapshot) Finding {
	f := Finding{ID: CheckGroupPermissions, Title: "Permissions through groups (no user with attached or inline policies)",
		Controls: []string{"IAM.2"}, SecurityStatus: 4, Resource: "IAM users"}
	var offenders []string
	for _, u := range s.Users {
		var parts []string
		if len(u.AttachedPolicies) > 0 {
			parts = append(parts, "attached "+strings.Join(u.AttachedPolicies, ", "))
		}
		if len(u.InlinePolicies) > 0 {
			parts = append(parts, "inline "+strings.Join(u.InlinePolicies, ", "))
		}
		if len(parts) > 0 {
			offenders = append(offenders, u.Name+": "+strings.Join(parts, "; "))
		}
	}
	if len(offenders) == 0 {
		f.Result, f.Detail = ResultPass, "no user has policies of its own"
		return f
	}
	sort.Strings(offenders)
	f.Result, f.Offenders = ResultFail, offenders
	f.Detail = fmt.Sprintf("%d user(s) have policies attached directly", len(offenders))
	f.Fix = &Fix{Console: consoleURL(s.Account.Partition) +
		" > Users > the user > Permissions: move each policy to a group, add the user to it, then remove the policy from the user"}
	return f
}

func passwordPolicyFix() *Fix {
	return &Fix{Apply: fmt.Sprintf("sets the account password policy (minimum length %d, upper and lower case, numbers and symbols, reuse prevention %d, users may change their own password), keeping any stricter value",
		recommendedMinLength, recommendedReuse)}
}

// iam7MinLength is Security Hub IAM.7's own minimum length; CIS's 14 is
// checked by password-min-length.
const iam7MinLength = 8

// checkPasswordPolicy follows Security Hub IAM.7: a policy exists and asks
// for every character class and at least 8 characters.
func checkPasswordPolicy(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordPolicy, Title: "A password policy requiring upper, lower, number, symbol and 8 characters",
		Controls: []string{"IAM.7"}, SecurityStatus: 5, Resource: "account password policy"}
	p := s.PasswordPolicy
	if p == nil {
		f.Result, f.Detail, f.Fix = ResultFail, "no password policy: AWS's default applies (8 characters, three of four character classes)", passwordPolicyFix()
		return f
	}
	var missing []string
	for _, c := range []struct {
		required bool
		name     string
	}{{p.RequireUppercase, "upper case"}, {p.RequireLowercase, "lower case"}, {p.RequireNumbers, "numbers"}, {p.RequireSymbols, "symbols"}} {
		if !c.required {
			missing = append(missing, c.name)
		}
	}
	if p.MinimumLength < iam7MinLength {
		missing = append(missing, fmt.Sprintf("a minimum length of %d (it is %d)", iam7MinLength, p.MinimumLength))
	}
	if len(missing) > 0 {
		f.Result, f.Detail, f.Fix = ResultFail, "the password policy does not require "+strings.Join(missing, ", "), passwordPolicyFix()
		return f
	}
	f.Result, f.Detail = ResultPass, "the password policy requires upper and lower case, numbers, symbols and at least 8 characters"
	return f
}

func checkPasswordLength(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordLength, Title: fmt.Sprintf("Password minimum length of %d or more", recommendedMinLength),
		Controls: []string{"IAM.15"}, Resource: "account password policy"}
	return policyMinimum(s, f, recommendedMinLength, "no password policy: AWS's default minimum is 8",
		"the minimum length is %d", func(p PasswordPolicy) int { return p.MinimumLength })
}

func checkPasswordReuse(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordReuse, Title: fmt.Sprintf("Password reuse prevention of %d", recommendedReuse),
		Controls: []string{"IAM.16"}, Resource: "account password policy"}
	return policyMinimum(s, f, recommendedReuse, "no password policy: passwords may be reused",
		"reuse prevention remembers %d password(s)", func(p PasswordPolicy) int { return p.ReusePrevention })
}

// policyMinimum passes when a password policy field is at least want.
func policyMinimum(s Snapshot, f Finding, want int, noPolicy, detail string, field func(PasswordPolicy) int) Finding {
	if s.PasswordPolicy == nil {
		f.Result, f.Detail, f.Fix = ResultFail, noPolicy, passwordPolicyFix()
		return f
	}
	got := field(*s.PasswordPolicy)
	f.Result, f.Detail = ResultPass, fmt.Sprintf(detail, got)
	if got < want {
		f.Result, f.Fix = ResultFail, passwordPolicyFix()
	}
	return f
}

// perUser runs a credential report check over the IAM users (not root).
// offense returns "" for a user that passes, else the reason.
func perUser(s Snapshot, f Finding, offense func(CredentialUser) string, passDetail, failDetail string, fix *Fix) Finding {
	if s.CredentialReport == nil {
		f.Result = ResultManual
		f.Detail = "the credential report could not be read: " + s.CredentialReportError
		return f
	}
	for _, u := range s.CredentialReport.Users {
		if why := offense(u); why != "" {
			f.Offenders = append(f.Offenders, u.User+": "+why)
		}
	}
	if len(f.Offenders) == 0 {
		f.Result, f.Detail = ResultPass, passDetail
		return f
	}
	sort.Strings(f.Offenders)
	f.Result, f.Detail, f.Fix = ResultFail, fmt.Sprintf(failDetail, len(f.Offenders)), fix
	return f
}

func checkConsoleUsersMFA(s Snapshot) Finding {
	f := Finding{ID: CheckConsoleUsersMFA, Title: "MFA for every user with a console password",
		Controls: []string{"IAM.5"}, Resource: "IAM users"}
	fix := &Fix{Console: consoleURL(s.Account.Partition) + " > Users > the user > Security credentials > Assign MFA device"}
	var overridden []string
	f = perUser(s, f, func(u CredentialUser) string {
		if !u.PasswordEnabled.IsTrue() || u.MFAActive {
			return ""
		}
		if live := s.liveBaselineUser(u); live != "" {
			overridden = append(overridden, live)
			return ""
		}
		return "console password without MFA"
	}, "every user with a console password has MFA", "%d user(s) sign in to the console without MFA", fix)
	if len(overridden) > 0 {
		f.Detail += "; " + strings.Join(overridden, "; ")
	}
	return f
}

// liveBaselineUser says why a credential report row of the baseline user
// listing a console password without MFA is stale, or "": the report can
// be four hours old, and right after apply the live reads of the user's
// login profile and MFA devices know better.
func (s Snapshot) liveBaselineUser(u CredentialUser) string {
	b := s.Baseline
	if !equalName(u.User, b.UserName) || b.LoginProfileError != "" || b.MFAError != "" {
		return ""
	}
	stamp := s.CredentialReport.GeneratedTime.UTC().Format("2006-01-02 15:04 MST")
	switch {
	case b.MFADevices > 0:
		return fmt.Sprintf("the credential report of %s lists %q without MFA, but a live read finds its MFA device: the live read wins", stamp, u.User)
	case !b.LoginProfile:
		return fmt.Sprintf("the credential report of %s lists a console password for %q, but a live read finds none: the live read wins", stamp, u.User)
	}
	return ""
}

// age is how long ago a credential was last used, falling back to when it
// was set when it never was; ok is false when neither is known.
func age(now time.Time, used, set Stamp) (time.Duration, bool) {
	switch {
	case used.Valid():
		return now.Sub(used.Time), true
	case set.Valid():
		return now.Sub(set.Time), true
	}
	return 0, false
}

func days(d time.Duration) int { return int(d / (24 * time.Hour)) }

func checkUnusedCredentials(s Snapshot) Finding {
	f := Finding{ID: CheckUnusedCredentials, Title: "No credentials unused for 45 days or more",
		Controls: []string{"IAM.22"}, Resource: "IAM users"}
	fix := &Fix{Console: consoleURL(s.Account.Partition) +
		" > Users > the user > Security credentials: deactivate the unused access keys, remove the unused console password"}
	return perUser(s, f, func(u CredentialUser) string {
		var reasons []string
		if u.PasswordEnabled.IsTrue() {
			set := u.PasswordLastChanged
			if !set.Valid() {
				set = u.CreationTime
			}
			if d, ok := age(s.Now, u.PasswordLastUsed, set); ok && d >= unusedCredentialsAge {
				reasons = append(reasons, fmt.Sprintf("password unused for %d days", days(d)))
			}
		}
		for i, k := range u.AccessKeys {
			if !k.Active {
				continue
			}
			if d, ok := age(s.Now, k.LastUsed, k.LastRotated); ok && d >= unusedCredentialsAge {
				reasons = append(reasons, fmt.Sprintf("access key %d unused for %d days", i+1, days(d)))
			}
		}
		return strings.Join(reasons, "; ")
	}, "every active credential was used within 45 days", "%d user(s) hold credentials unused for 45 days or more", fix)
}

func checkAccessKeyRotation(s Snapshot) Finding {
	f := Finding{ID: CheckAccessKeyRotation, Title: "Access keys rotated within 90 days",
		Controls: []string{"IAM.3"}, Resource: "IAM users"}
	fix := &Fix{Console: consoleURL(s.Account.Partition) +
		" > Users > the user > Security credentials: create a new access key, switch to it, deactivate and delete the old one"}
	return perUser(s, f, func(u CredentialUser) string {
		var reasons []string
		for i, k := range u.AccessKeys {
			if k.Active && k.LastRotated.Valid() && s.Now.Sub(k.LastRotated.Time) >= accessKeyRotationAge {
				reasons = append(reasons, fmt.Sprintf("access key %d is %d days old", i+1, days(s.Now.Sub(k.LastRotated.Time))))
			}
		}
		return strings.Join(reasons, "; ")
	}, "every active access key is younger than 90 days", "%d user(s) have access keys older than 90 days", fix)
}

func checkOneActiveAccessKey(s Snapshot) Finding {
	f := Finding{ID: CheckOneActiveAccessKey, Title: "At most one active access key per user", Resource: "IAM users"}
	fix := &Fix{Console: consoleURL(s.Account.Partition) +
		" > Users > the user > Security credentials: deactivate the access key no longer in use"}
	return perUser(s, f, func(u CredentialUser) string {
		if u.AccessKeys[0].Active && u.AccessKeys[1].Active {
			return "two active access keys"
		}
		return ""
	}, "no user has two active access keys", "%d user(s) have two active access keys", fix)
}

func checkBaselineGroup(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineGroup, Title: "Admin group with AdministratorAccess", Baseline: true, Resource: "group " + b.GroupName}
	g, ok := s.group(b.GroupName)
	switch {
	case !ok:
		f.Result, f.Detail = ResultFail, fmt.Sprintf("group %q does not exist", b.GroupName)
		f.Fix = &Fix{Apply: fmt.Sprintf("creates group %q and attaches %s", b.GroupName, b.PolicyARN)}
	case !contains(g.AttachedPolicies, b.PolicyARN):
		f.Result, f.Detail = ResultFail, fmt.Sprintf("group %q does not have %s attached", g.Name, b.PolicyARN)
		f.Fix = &Fix{Apply: fmt.Sprintf("attaches %s to group %q", b.PolicyARN, g.Name)}
	default:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("group %q has %s attached", g.Name, b.PolicyARN)
	}
	return f
}

func checkBaselineUser(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineUser, Title: "Admin user with a console password", Baseline: true, Resource: "user " + b.UserName}
	_, ok := s.user(b.UserName)
	switch {
	case !ok:
		f.Result, f.Detail = ResultFail, fmt.Sprintf("user %q does not exist", b.UserName)
		f.Fix = &Fix{Apply: fmt.Sprintf("creates user %q with a console password that must be changed at first sign-in", b.UserName)}
	case b.LoginProfileError != "":
		f.Result, f.Detail = ResultManual, b.LoginProfileError
	case !b.LoginProfile:
		f.Result, f.Detail = ResultFail, fmt.Sprintf("user %q has no console password", b.UserName)
		f.Fix = &Fix{Apply: fmt.Sprintf("creates a console password for %q that must be changed at first sign-in", b.UserName)}
	default:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("user %q has a console password", b.UserName)
	}
	return f
}

func checkBaselineMembership(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineMembership, Title: "Admin user in the admin group", Baseline: true,
		Resource: "user " + b.UserName}
	u, ok := s.user(b.UserName)
	if ok && containsName(u.Groups, b.GroupName) {
		f.Result, f.Detail = ResultPass, fmt.Sprintf("user %q is in group %q", u.Name, b.GroupName)
		return f
	}
	f.Result = ResultFail
	f.Detail = fmt.Sprintf("user %q is not in group %q", b.UserName, b.GroupName)
	f.Fix = &Fix{Apply: fmt.Sprintf("adds user %q to group %q", b.UserName, b.GroupName)}
	return f
}

func checkBaselineUserMFA(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineUserMFA, Title: "MFA for the admin user", Baseline: true, Resource: "user " + b.UserName}
	_, ok := s.user(b.UserName)
	switch {
	case ok && b.MFAError != "":
		f.Result, f.Detail = ResultManual, b.MFAError
	case ok && b.MFADevices > 0:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("user %q has MFA", b.UserName)
	default:
		f.Result, f.Detail = ResultFail, fmt.Sprintf("user %q has no MFA device", b.UserName)
		f.Fix = &Fix{Apply: fmt.Sprintf("enrolls a virtual MFA device for %q (QR code and two codes from the app)", b.UserName)}
	}
	return f
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsName(list []string, name string) bool {
	for _, x := range list {
		if equalName(x, name) {
			return true
		}
	}
	return false
}

// equalName compares IAM names, which are unique regardless of case.
func equalName(a, b string) bool { return strings.EqualFold(a, b) }
