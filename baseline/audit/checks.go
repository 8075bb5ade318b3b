package audit

import (
	"sort"
	"strings"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
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

// rootConsole is the console's home page, where the root user signs in.
func rootConsole(partition string) string { return awsfacts.ConsoleURL(partition) }

func checkRootAccessKeys(s Snapshot) Finding {
	f := Finding{ID: CheckRootAccessKeys, Title: locale.M("No access keys for the root user"), Controls: []string{"IAM.4"},
		SecurityStatus: 1, Resource: locale.M("root user")}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case !s.Root.AccessKeysPresent:
		f.Result, f.Detail = ResultPass, locale.M("the root user has no access key")
	default:
		f.Result, f.Detail = ResultFail, locale.M("the root user has access keys")
		f.Fix = &Fix{Console: locale.M("sign in as the root user at %s, open the account menu > Security credentials > Access keys > Delete",
			rootConsole(s.Account.Partition))}
		if s.Account.IsRoot {
			f.Fix.Apply = locale.M("with %s, deletes the root access keys (unused keys first, the key in use last)", "--delete-root-access-keys")
		}
	}
	return f
}

func checkRootMFA(s Snapshot) Finding {
	f := Finding{ID: CheckRootMFA, Title: locale.M("MFA for the root user"), Controls: []string{"IAM.9"},
		SecurityStatus: 2, Resource: locale.M("root user")}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.Account.Partition == partitionGovCloud:
		f.Result, f.Detail = ResultNotApplicable, locale.M("in AWS GovCloud (US) the root user cannot sign in to the console, so it has no console MFA")
	case s.Root.MFAEnabled:
		f.Result, f.Detail = ResultPass, locale.M("the root user has MFA")
	default:
		f.Result, f.Detail = ResultFail, locale.M("the root user has no MFA device (AWS offers no API to add one)")
		f.Fix = &Fix{Console: locale.M("sign in as the root user at %s, open the account menu > Security credentials > Multi-factor authentication (MFA) > Assign MFA device",
			rootConsole(s.Account.Partition))}
	}
	return f
}

func checkRootHardwareMFA(s Snapshot) Finding {
	f := Finding{ID: CheckRootHardwareMFA, Title: locale.M("Hardware MFA for the root user"), Controls: []string{"IAM.6"},
		Informational: true, Resource: locale.M("root user")}
	hardware := &Fix{Console: locale.M("sign in as the root user at %s, open the account menu > Security credentials > "+
		"Multi-factor authentication (MFA) > Assign MFA device > Passkey or security key, or Hardware TOTP token", rootConsole(s.Account.Partition))}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.Account.Partition == partitionGovCloud:
		f.Result, f.Detail = ResultNotApplicable, locale.M("in AWS GovCloud (US) the root user cannot sign in to the console, so it has no console MFA")
	case !s.Root.MFAEnabled:
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("the root user has no MFA device"), hardware
	case s.Root.VirtualMFAUnknown:
		f.Result, f.Detail = ResultManual, locale.M("the virtual MFA devices could not be listed; check the root user's MFA device type in the console")
	case s.Root.VirtualMFA:
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("the root user's MFA device is a virtual (authenticator app) device"), hardware
	default:
		f.Result, f.Detail = ResultPass, locale.M("the root user's MFA device is not a virtual device")
	}
	return f
}

func checkIndividualUsers(s Snapshot) Finding {
	f := Finding{ID: CheckIndividualUsers, Title: locale.M("Individual IAM users instead of the root user"),
		SecurityStatus: 3, Resource: locale.M("IAM users")}
	if n := len(s.Users); n > 0 {
		f.Result, f.Detail = ResultPass, locale.M("%d IAM user(s)", n)
		return f
	}
	f.Result, f.Detail = ResultFail, locale.M("the account has no IAM user")
	f.Fix = &Fix{Apply: locale.M("creates user %q with a console password, in group %q", s.Baseline.UserName, s.Baseline.GroupName)}
	return f
}

func checkGroupPermissions(s Snapshot) Finding {
	f := Finding{ID: CheckGroupPermissions, Title: locale.M("Permissions through groups (no user with attached or inline policies)"),
		Controls: []string{"IAM.2"}, SecurityStatus: 4, Resource: locale.M("IAM users")}
	var offenders []locale.Msg
	for _, u := range s.Users {
		var parts []locale.Msg
		if len(u.AttachedPolicies) > 0 {
			parts = append(parts, locale.M("attached %s", strings.Join(u.AttachedPolicies, ", ")))
		}
		if len(u.InlinePolicies) > 0 {
			parts = append(parts, locale.M("inline %s", strings.Join(u.InlinePolicies, ", ")))
		}
		if len(parts) > 0 {
			offenders = append(offenders, offender(u.Name, parts))
		}
	}
	if len(offenders) == 0 {
		f.Result, f.Detail = ResultPass, locale.M("no user has policies of its own")
		return f
	}
	sortMsgs(offenders)
	f.Result, f.Offenders = ResultFail, offenders
	f.Detail = locale.M("%d user(s) have policies attached directly", len(offenders))
	f.Fix = &Fix{Console: locale.M("%s > Users > the user > Permissions: move each policy to a group, add the user to it, then remove the policy from the user",
		consoleURL(s.Account.Partition))}
	return f
}

func passwordPolicyFix() *Fix {
	return &Fix{Apply: locale.M("sets the account password policy (minimum length %d, upper and lower case, numbers and symbols, reuse prevention %d, users may change their own password), keeping any stricter value",
		recommendedMinLength, recommendedReuse)}
}

// iam7MinLength is Security Hub IAM.7's own minimum length; CIS's 14 is
// checked by password-min-length.
const iam7MinLength = 8

// checkPasswordPolicy follows Security Hub IAM.7: a policy exists and asks
// for every character class and at least 8 characters.
func checkPasswordPolicy(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordPolicy, Title: locale.M("A password policy requiring upper, lower, number, symbol and 8 characters"),
		Controls: []string{"IAM.7"}, SecurityStatus: 5, Resource: locale.M("account password policy")}
	p := s.PasswordPolicy
	if p == nil {
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("no password policy: AWS's default applies (8 characters, three of four character classes)"), passwordPolicyFix()
		return f
	}
	var missing []locale.Msg
	for _, c := range []struct {
		required bool
		name     locale.Msg
	}{{p.RequireUppercase, locale.M("upper case")}, {p.RequireLowercase, locale.M("lower case")}, {p.RequireNumbers, locale.M("numbers")}, {p.RequireSymbols, locale.M("symbols")}} {
		if !c.required {
			missing = append(missing, c.name)
		}
	}
	if p.MinimumLength < iam7MinLength {
		missing = append(missing, locale.M("a minimum length of %d (it is %d)", iam7MinLength, p.MinimumLength))
	}
	if len(missing) > 0 {
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("the password policy does not require %s", locale.Series(missing)), passwordPolicyFix()
		return f
	}
	f.Result, f.Detail = ResultPass, locale.M("the password policy requires upper and lower case, numbers, symbols and at least 8 characters")
	return f
}

func checkPasswordLength(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordLength, Title: locale.M("Password minimum length of %d or more", recommendedMinLength),
		Controls: []string{"IAM.15"}, Resource: locale.M("account password policy")}
	return policyMinimum(s, f, recommendedMinLength, locale.M("no password policy: AWS's default minimum is 8"),
		func(got int) locale.Msg { return locale.M("the minimum length is %d", got) },
		func(p PasswordPolicy) int { return p.MinimumLength })
}

func checkPasswordReuse(s Snapshot) Finding {
	f := Finding{ID: CheckPasswordReuse, Title: locale.M("Password reuse prevention of %d", recommendedReuse),
		Controls: []string{"IAM.16"}, Resource: locale.M("account password policy")}
	return policyMinimum(s, f, recommendedReuse, locale.M("no password policy: passwords may be reused"),
		func(got int) locale.Msg { return locale.M("reuse prevention remembers %d password(s)", got) },
		func(p PasswordPolicy) int { return p.ReusePrevention })
}

// policyMinimum passes when a password policy field is at least want.
func policyMinimum(s Snapshot, f Finding, want int, noPolicy locale.Msg, detail func(int) locale.Msg, field func(PasswordPolicy) int) Finding {
	if s.PasswordPolicy == nil {
		f.Result, f.Detail, f.Fix = ResultFail, noPolicy, passwordPolicyFix()
		return f
	}
	got := field(*s.PasswordPolicy)
	f.Result, f.Detail = ResultPass, detail(got)
	if got < want {
		f.Result, f.Fix = ResultFail, passwordPolicyFix()
	}
	return f
}

// perUser runs a credential report check over the IAM users (not root).
// offense returns nothing for a user that passes, else the reasons.
func perUser(s Snapshot, f Finding, offense func(CredentialUser) []locale.Msg, passDetail locale.Msg, failDetail func(int) locale.Msg, fix *Fix) Finding {
	if s.CredentialReport == nil {
		f.Result = ResultManual
		f.Detail = locale.M("the credential report could not be read: %s", readFailure(s.credentialReportErr, s.CredentialReportError))
		return f
	}
	for _, u := range s.CredentialReport.Users {
		if why := offense(u); len(why) > 0 {
			f.Offenders = append(f.Offenders, offender(u.User, why))
		}
	}
	if len(f.Offenders) == 0 {
		f.Result, f.Detail = ResultPass, passDetail
		return f
	}
	sortMsgs(f.Offenders)
	f.Result, f.Detail, f.Fix = ResultFail, failDetail(len(f.Offenders)), fix
	return f
}

func checkConsoleUsersMFA(s Snapshot) Finding {
	f := Finding{ID: CheckConsoleUsersMFA, Title: locale.M("MFA for every user with a console password"),
		Controls: []string{"IAM.5"}, Resource: locale.M("IAM users")}
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials > Assign MFA device", consoleURL(s.Account.Partition))}
	var overridden []locale.Msg
	f = perUser(s, f, func(u CredentialUser) []locale.Msg {
		if !u.PasswordEnabled.IsTrue() || u.MFAActive {
			return nil
		}
		if live := s.liveBaselineUser(u); !live.IsZero() {
			overridden = append(overridden, live)
			return nil
		}
		return []locale.Msg{locale.M("console password without MFA")}
	}, locale.M("every user with a console password has MFA"),
		func(n int) locale.Msg { return locale.M("%d user(s) sign in to the console without MFA", n) }, fix)
	if len(overridden) > 0 {
		f.Detail = locale.M("%s; %s", f.Detail, locale.List(overridden))
	}
	return f
}

// liveBaselineUser says why a credential report row of the baseline user
// listing a console password without MFA is stale, or nothing: the report
// can be four hours old, and right after apply the live reads of the
// user's login profile and MFA devices know better.
func (s Snapshot) liveBaselineUser(u CredentialUser) locale.Msg {
	b := s.Baseline
	if !equalName(u.User, b.UserName) || b.LoginProfileError != "" || b.MFAError != "" {
		return locale.Msg{}
	}
	stamp := s.CredentialReport.GeneratedTime.UTC().Format("2006-01-02 15:04 MST")
	switch {
	case b.MFADevices > 0:
		return locale.M("the credential report of %s lists %q without MFA, but a live read finds its MFA device: the live read wins", stamp, u.User)
	case !b.LoginProfile:
		return locale.M("the credential report of %s lists a console password for %q, but a live read finds none: the live read wins", stamp, u.User)
	}
	return locale.Msg{}
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
	f := Finding{ID: CheckUnusedCredentials, Title: locale.M("No credentials unused for 45 days or more"),
		Controls: []string{"IAM.22"}, Resource: locale.M("IAM users")}
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials: deactivate the unused access keys, remove the unused console password",
		consoleURL(s.Account.Partition))}
	return perUser(s, f, func(u CredentialUser) []locale.Msg {
		var reasons []locale.Msg
		if u.PasswordEnabled.IsTrue() {
			set := u.PasswordLastChanged
			if !set.Valid() {
				set = u.CreationTime
			}
			if d, ok := age(s.Now, u.PasswordLastUsed, set); ok && d >= unusedCredentialsAge {
				reasons = append(reasons, locale.M("password unused for %d days", days(d)))
			}
		}
		for i, k := range u.AccessKeys {
			if !k.Active {
				continue
			}
			if d, ok := age(s.Now, k.LastUsed, k.LastRotated); ok && d >= unusedCredentialsAge {
				reasons = append(reasons, locale.M("access key %d unused for %d days", i+1, days(d)))
			}
		}
		return reasons
	}, locale.M("every active credential was used within 45 days"),
		func(n int) locale.Msg { return locale.M("%d user(s) hold credentials unused for 45 days or more", n) }, fix)
}

func checkAccessKeyRotation(s Snapshot) Finding {
	f := Finding{ID: CheckAccessKeyRotation, Title: locale.M("Access keys rotated within 90 days"),
		Controls: []string{"IAM.3"}, Resource: locale.M("IAM users")}
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials: create a new access key, switch to it, deactivate and delete the old one",
		consoleURL(s.Account.Partition))}
	return perUser(s, f, func(u CredentialUser) []locale.Msg {
		var reasons []locale.Msg
		for i, k := range u.AccessKeys {
			if k.Active && k.LastRotated.Valid() && s.Now.Sub(k.LastRotated.Time) >= accessKeyRotationAge {
				reasons = append(reasons, locale.M("access key %d is %d days old", i+1, days(s.Now.Sub(k.LastRotated.Time))))
			}
		}
		return reasons
	}, locale.M("every active access key is younger than 90 days"),
		func(n int) locale.Msg { return locale.M("%d user(s) have access keys older than 90 days", n) }, fix)
}

func checkOneActiveAccessKey(s Snapshot) Finding {
	f := Finding{ID: CheckOneActiveAccessKey, Title: locale.M("At most one active access key per user"), Resource: locale.M("IAM users")}
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials: deactivate the access key no longer in use",
		consoleURL(s.Account.Partition))}
	return perUser(s, f, func(u CredentialUser) []locale.Msg {
		if u.AccessKeys[0].Active && u.AccessKeys[1].Active {
			return []locale.Msg{locale.M("two active access keys")}
		}
		return nil
	}, locale.M("no user has two active access keys"),
		func(n int) locale.Msg { return locale.M("%d user(s) have two active access keys", n) }, fix)
}

func checkBaselineGroup(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineGroup, Title: locale.M("Admin group with AdministratorAccess"), Baseline: true, Resource: locale.M("group %s", b.GroupName)}
	g, ok := s.group(b.GroupName)
	switch {
	case !ok:
		f.Result, f.Detail = ResultFail, locale.M("group %q does not exist", b.GroupName)
		f.Fix = &Fix{Apply: locale.M("creates group %q and attaches %s", b.GroupName, b.PolicyARN)}
	case !contains(g.AttachedPolicies, b.PolicyARN):
		f.Result, f.Detail = ResultFail, locale.M("group %q does not have %s attached", g.Name, b.PolicyARN)
		f.Fix = &Fix{Apply: locale.M("attaches %s to group %q", b.PolicyARN, g.Name)}
	default:
		f.Result, f.Detail = ResultPass, locale.M("group %q has %s attached", g.Name, b.PolicyARN)
	}
	return f
}

func checkBaselineUser(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineUser, Title: locale.M("Admin user with a console password"), Baseline: true, Resource: locale.M("user %s", b.UserName)}
	_, ok := s.user(b.UserName)
	switch {
	case !ok:
		f.Result, f.Detail = ResultFail, locale.M("user %q does not exist", b.UserName)
		f.Fix = &Fix{Apply: locale.M("creates user %q with a console password that must be changed at first sign-in", b.UserName)}
	case b.LoginProfileError != "":
		f.Result, f.Detail = ResultManual, locale.M("%s", readFailure(b.loginProfileErr, b.LoginProfileError))
	case !b.LoginProfile:
		f.Result, f.Detail = ResultFail, locale.M("user %q has no console password", b.UserName)
		f.Fix = &Fix{Apply: locale.M("creates a console password for %q that must be changed at first sign-in", b.UserName)}
	default:
		f.Result, f.Detail = ResultPass, locale.M("user %q has a console password", b.UserName)
	}
	return f
}

func checkBaselineMembership(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineMembership, Title: locale.M("Admin user in the admin group"), Baseline: true,
		Resource: locale.M("user %s", b.UserName)}
	u, ok := s.user(b.UserName)
	if ok && containsName(u.Groups, b.GroupName) {
		f.Result, f.Detail = ResultPass, locale.M("user %q is in group %q", u.Name, b.GroupName)
		return f
	}
	f.Result = ResultFail
	f.Detail = locale.M("user %q is not in group %q", b.UserName, b.GroupName)
	f.Fix = &Fix{Apply: locale.M("adds user %q to group %q", b.UserName, b.GroupName)}
	return f
}

func checkBaselineUserMFA(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckBaselineUserMFA, Title: locale.M("MFA for the admin user"), Baseline: true, Resource: locale.M("user %s", b.UserName)}
	_, ok := s.user(b.UserName)
	switch {
	case ok && b.MFAError != "":
		f.Result, f.Detail = ResultManual, locale.M("%s", readFailure(b.mfaErr, b.MFAError))
	case ok && b.MFADevices > 0:
		f.Result, f.Detail = ResultPass, locale.M("user %q has MFA", b.UserName)
	default:
		f.Result, f.Detail = ResultFail, locale.M("user %q has no MFA device", b.UserName)
		f.Fix = &Fix{Apply: locale.M("enrolls a virtual MFA device for %q (QR code and two codes from the app)", b.UserName)}
	}
	return f
}

// offender is a user that fails a check, with its reasons.
func offender(user string, reasons []locale.Msg) locale.Msg {
	return locale.M("%s: %s", user, locale.List(reasons))
}

// sortMsgs sorts messages by their English, the order of the JSON.
func sortMsgs(ms []locale.Msg) {
	sort.Slice(ms, func(i, j int) bool { return ms[i].String() < ms[j].String() })
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
