package audit

import (
	"strings"
	"testing"

	"time"

	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

var checkNow = time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)

const (
	adminPolicy      = "arn:aws:iam::aws:policy/AdministratorAccess"
	supportPolicy    = "arn:aws:iam::aws:policy/AWSSupportAccess"
	cloudShellPolicy = "arn:aws:iam::aws:policy/AWSCloudShellFullAccess"
)

func daysAgo(n int) Stamp { return Stamp{Time: checkNow.Add(-time.Duration(n) * 24 * time.Hour)} }

var na = Stamp{Missing: ValueNotApplicable}

// goodSnapshot is an account at the baseline: every check passes.
func goodSnapshot() Snapshot {
	return Snapshot{
		Account: Account{ID: "123456789012", Partition: "aws", CallerARN: "arn:aws:iam::123456789012:user/administrator"},
		Now:     checkNow,
		Root:    RootFacts{MFAEnabled: true, PasswordPresent: true},
		PasswordPolicy: &PasswordPolicy{
			MinimumLength: 14, ReusePrevention: 24,
			RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		},
		CredentialReport: &CredentialReport{
			GeneratedTime: checkNow.Add(-time.Hour),
			Root: &CredentialUser{User: RootAccountRow, PasswordEnabled: FlagNotSupported, MFAActive: true,
				PasswordLastUsed: daysAgo(3), AccessKeys: [2]AccessKeyInfo{{LastRotated: na, LastUsed: na}, {LastRotated: na, LastUsed: na}}},
			Users: []CredentialUser{
				{User: "administrator", CreationTime: daysAgo(100), PasswordEnabled: FlagTrue, PasswordLastUsed: daysAgo(1),
					PasswordLastChanged: daysAgo(100), MFAActive: true},
				{User: "ci", CreationTime: daysAgo(100), PasswordEnabled: FlagFalse, PasswordLastUsed: na, PasswordLastChanged: na,
					AccessKeys: [2]AccessKeyInfo{{Active: true, LastRotated: daysAgo(30), LastUsed: daysAgo(2)}, {LastRotated: na, LastUsed: na}}},
			},
		},
		Users: []UserGrants{
			{Name: "administrator", Groups: []string{"admin"}},
			{Name: "ci", Groups: []string{"deployers"}},
		},
		Groups: []GroupGrants{{Name: "admin", AttachedPolicies: []string{adminPolicy},
			InlinePolicies: map[string]string{mfapolicy.Name: mfapolicy.Document("aws").JSON()}}, {Name: "deployers"}},
		Roles:           []RoleGrants{{Name: "support", AttachedPolicies: []string{supportPolicy}}},
		RootAccess:      baseline.RootAccessFeatures{Organization: true, CredentialsManagement: true, RootSessions: true},
		SecurityContact: &baseline.SecurityContact{Name: "Sec Team", Email: "security@example.com"},
		Analyzers:       []baseline.RegionAnalyzers{{Region: "eu-west-1", Active: []string{"a"}}, {Region: "us-east-1", Active: []string{"a"}}},
		Baseline: BaselineFacts{GroupName: "admin", UserName: "administrator", PolicyARN: adminPolicy,
			LoginProfile: true, MFADevices: 1},
	}
}

func findingOf(t *testing.T, r Report, id string) Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no finding %q", id)
	return Finding{}
}

func TestGoodSnapshotPassesEveryCheck(t *testing.T) {
	r := Evaluate(goodSnapshot())
	if len(r.Findings) != len(checks) {
		t.Fatalf("%d findings, want %d", len(r.Findings), len(checks))
	}
	for _, f := range r.Findings {
		if f.Result != ResultPass || f.Fix != nil || len(f.Offenders) > 0 {
			t.Errorf("%s: %s (%s), fix %v, offenders %v", f.ID, f.Result, f.Detail, f.Fix, f.Offenders)
		}
	}
	if r.Failed() || r.Summary.Pass != len(checks) {
		t.Errorf("summary %+v", r.Summary)
	}
	if r.CredentialReport == nil || r.CredentialReport.Users != 2 {
		t.Errorf("credential report info %+v", r.CredentialReport)
	}
}

func TestChecks(t *testing.T) {
	user := func(s *Snapshot, name string) *CredentialUser {
		for i := range s.CredentialReport.Users {
			if s.CredentialReport.Users[i].User == name {
				return &s.CredentialReport.Users[i]
			}
		}
		t.Fatalf("no report row %q", name)
		return nil
	}
	cases := []struct {
		name   string
		id     string
		change func(*Snapshot)
		want   Result
		// detail, offender and fix must contain these
		detail, offender, fixApply, fixConsole string
	}{
		{"root keys", CheckRootAccessKeys, func(s *Snapshot) { s.Root.AccessKeysPresent = true }, ResultFail,
			"has access keys", "", "", "Security credentials > Access keys"},
		{"root keys, root caller", CheckRootAccessKeys, func(s *Snapshot) {
			s.Root.AccessKeysPresent = true
			s.Account.IsRoot = true
		}, ResultFail, "has access keys", "", "--delete-root-access-keys", "Access keys > Delete"},
		{"root keys, credentials removed", CheckRootAccessKeys, func(s *Snapshot) { s.Root = RootFacts{} }, ResultNotApplicable,
			"centralized root access", "", "", ""},
		{"root keys, GovCloud", CheckRootAccessKeys, func(s *Snapshot) {
			s.Account.Partition = partitionGovCloud
			s.Root.AccessKeysPresent = true
		}, ResultFail, "has access keys", "", "", "console.amazonaws-us-gov.com"},
		{"root mfa", CheckRootMFA, func(s *Snapshot) { s.Root.MFAEnabled = false }, ResultFail,
			"no MFA device", "", "", "Assign MFA device"},
		{"root mfa, China", CheckRootMFA, func(s *Snapshot) {
			s.Account.Partition = partitionChina
			s.Root.MFAEnabled = false
		}, ResultFail, "no MFA device", "", "", "console.amazonaws.cn"},
		{"root mfa, credentials removed", CheckRootMFA, func(s *Snapshot) { s.Root = RootFacts{} }, ResultNotApplicable,
			"centralized root access", "", "", ""},
		{"root mfa, GovCloud", CheckRootMFA, func(s *Snapshot) {
			s.Account.Partition = partitionGovCloud
			s.Root.MFAEnabled = false
		}, ResultNotApplicable, "GovCloud", "", "", ""},
		{"root hardware mfa, virtual", CheckRootHardwareMFA, func(s *Snapshot) { s.Root.VirtualMFA = true }, ResultFail,
			"virtual", "", "", "security key"},
		{"root hardware mfa, none", CheckRootHardwareMFA, func(s *Snapshot) { s.Root.MFAEnabled = false }, ResultFail,
			"no MFA device", "", "", "Hardware TOTP"},
		{"root hardware mfa, unknown", CheckRootHardwareMFA, func(s *Snapshot) { s.Root.VirtualMFAUnknown = true }, ResultManual,
			"could not be listed", "", "", ""},
		{"root hardware mfa, credentials removed", CheckRootHardwareMFA, func(s *Snapshot) { s.Root = RootFacts{} },
			ResultNotApplicable, "centralized", "", "", ""},
		{"root hardware mfa, GovCloud", CheckRootHardwareMFA, func(s *Snapshot) { s.Account.Partition = partitionGovCloud },
			ResultNotApplicable, "GovCloud", "", "", ""},
		{"no users", CheckIndividualUsers, func(s *Snapshot) { s.Users = nil }, ResultFail,
			"no IAM user", "", `creates user "administrator"`, ""},
		{"attached user policy", CheckGroupPermissions, func(s *Snapshot) {
			s.Users[1].AttachedPolicies = []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}
		}, ResultFail, "1 user(s)", "ci: attached arn:aws:iam::aws:policy/ReadOnlyAccess", "", "Permissions"},
		{"inline user policy", CheckGroupPermissions, func(s *Snapshot) { s.Users[0].InlinePolicies = []string{"extra"} },
			ResultFail, "1 user(s)", "administrator: inline extra", "", "move each policy to a group"},
		{"no password policy", CheckPasswordPolicy, func(s *Snapshot) { s.PasswordPolicy = nil }, ResultFail,
			"no password policy", "", "sets the account password policy", ""},
		{"6 characters, no classes (IAM.7)", CheckPasswordPolicy, func(s *Snapshot) { s.PasswordPolicy = &PasswordPolicy{MinimumLength: 6} },
			ResultFail, "upper case, lower case, numbers, symbols, a minimum length of 8 (it is 6)", "", "upper and lower case, numbers and symbols", ""},
		{"no symbols (IAM.7)", CheckPasswordPolicy, func(s *Snapshot) { s.PasswordPolicy.RequireSymbols = false },
			ResultFail, "does not require symbols", "", "sets the account password policy", ""},
		{"console user mfa: live read beats a stale report", CheckConsoleUsersMFA, func(s *Snapshot) { user(s, "administrator").MFAActive = false },
			ResultPass, `lists "administrator" without MFA, but a live read finds its MFA device`, "", "", ""},
		{"console user mfa: stale report, live read finds no device", CheckConsoleUsersMFA, func(s *Snapshot) {
			user(s, "administrator").MFAActive = false
			s.Baseline.MFADevices = 0
		}, ResultFail, "1 user(s)", "administrator: console password without MFA", "", "Assign MFA device"},
		{"console user mfa: live read finds no password", CheckConsoleUsersMFA, func(s *Snapshot) {
			user(s, "administrator").MFAActive = false
			s.Baseline.MFADevices, s.Baseline.LoginProfile = 0, false
		}, ResultPass, "a live read finds none", "", "", ""},
		{"console user mfa: live read failed, the report stands", CheckConsoleUsersMFA, func(s *Snapshot) {
			user(s, "administrator").MFAActive = false
			s.Baseline.MFAError = "AccessDenied"
		}, ResultFail, "1 user(s)", "administrator: console password without MFA", "", ""},
		{"root used today", CheckRootUsage, func(s *Snapshot) { s.CredentialReport.Root.PasswordLastUsed = Stamp{Time: checkNow.Add(-time.Hour)} },
			ResultFail, "password last used 2026-11-30 02:00 UTC", "", "", "administrator user"},
		{"root key used today", CheckRootUsage, func(s *Snapshot) {
			s.CredentialReport.Root.AccessKeys[1].LastUsed = Stamp{Time: checkNow.Add(-time.Minute)}
		},
			ResultFail, "access key 2 last used", "", "", "keep root"},
		{"root used 3 days ago", CheckRootUsage, func(s *Snapshot) {}, ResultPass, "password last used 2026-11-27", "", "", ""},
		{"root never used", CheckRootUsage, func(s *Snapshot) { s.CredentialReport.Root.PasswordLastUsed = Stamp{Missing: ValueNoInformation} },
			ResultPass, "no use", "", "", ""},
		{"root usage without a root row", CheckRootUsage, func(s *Snapshot) { s.CredentialReport.Root = nil }, ResultManual,
			"no <root_account> row", "", "", ""},
		{"root usage without a report", CheckRootUsage, func(s *Snapshot) { s.CredentialReport, s.CredentialReportError = nil, "AccessDenied" },
			ResultManual, "AccessDenied", "", "", ""},
		{"console user's key never used", CheckSetupAccessKeys, func(s *Snapshot) {
			user(s, "administrator").AccessKeys[0] = AccessKeyInfo{Active: true, LastRotated: daysAgo(50), LastUsed: na}
		}, ResultFail, "1 console user(s)", "administrator: access key 1 was never used", "", "delete the access key"},
		{"console user's key made with the user", CheckSetupAccessKeys, func(s *Snapshot) {
			u := user(s, "administrator")
			u.AccessKeys[1] = AccessKeyInfo{Active: true, LastRotated: Stamp{Time: u.CreationTime.Time.Add(3 * time.Second)}, LastUsed: daysAgo(1)}
		}, ResultFail, "1 console user(s)", "administrator: access key 2 was created with the user", "", ""},
		{"console user's key made later and used", CheckSetupAccessKeys, func(s *Snapshot) {
			user(s, "administrator").AccessKeys[0] = AccessKeyInfo{Active: true, LastRotated: daysAgo(50), LastUsed: daysAgo(1)}
		}, ResultPass, "no console user", "", "", ""},
		{"key-only user's unused key is not a setup key", CheckSetupAccessKeys, func(s *Snapshot) {
			user(s, "ci").AccessKeys[0].LastUsed = na
		}, ResultPass, "no console user", "", "", ""},
		{"setup keys without a report", CheckSetupAccessKeys, func(s *Snapshot) { s.CredentialReport, s.CredentialReportError = nil, "AccessDenied" },
			ResultManual, "AccessDenied", "", "", ""},
		{"no support role", CheckSupportRole, func(s *Snapshot) { s.Roles = nil }, ResultFail,
			"attached to no user, group or role", "", "--support-role NAME", ""},
		{"support through a group", CheckSupportRole, func(s *Snapshot) {
			s.Roles = nil
			s.Groups[1].AttachedPolicies = []string{supportPolicy}
		}, ResultPass, "group deployers", "", "", ""},
		{"support policy of another partition does not count", CheckSupportRole, func(s *Snapshot) {
			s.Roles[0].AttachedPolicies = []string{"arn:aws-cn:iam::aws:policy/AWSSupportAccess"}
		}, ResultFail, "attached to no", "", "", ""},
		{"cloudshell on a role", CheckCloudShellAccess, func(s *Snapshot) { s.Roles[0].AttachedPolicies = []string{cloudShellPolicy} },
			ResultFail, "1 principal(s)", "role support", "", "detach it"},
		{"cloudshell on a user and a group", CheckCloudShellAccess, func(s *Snapshot) {
			s.Users[1].AttachedPolicies = []string{cloudShellPolicy}
			s.Groups[1].AttachedPolicies = []string{cloudShellPolicy}
		}, ResultFail, "2 principal(s)", "group deployers", "", ""},
		{"standalone account: no centralized root access", CheckCentralRootAccess, func(s *Snapshot) { s.RootAccess = baseline.RootAccessFeatures{} },
			ResultNotApplicable, "standalone", "", "", ""},
		{"member account", CheckCentralRootAccess, func(s *Snapshot) {
			s.RootAccess = baseline.RootAccessFeatures{Organization: true, Unreadable: "AccountNotManagementOrDelegatedAdministratorException"}
		}, ResultNotApplicable, "member account", "", "", ""},
		{"trusted access off", CheckCentralRootAccess, func(s *Snapshot) {
			s.RootAccess = baseline.RootAccessFeatures{Organization: true, Unreadable: "ServiceAccessNotEnabledException"}
		}, ResultFail, "trusted access for IAM", "", "", "Root access management"},
		{"not all features", CheckCentralRootAccess, func(s *Snapshot) {
			s.RootAccess = baseline.RootAccessFeatures{Organization: true, Unreadable: "OrganizationNotInAllFeaturesModeException"}
		}, ResultFail, "all features", "", "", "enable all features"},
		{"root access unreadable", CheckCentralRootAccess, func(s *Snapshot) {
			s.RootAccess = baseline.RootAccessFeatures{Organization: true, Unreadable: "AccessDenied"}
		}, ResultManual, "AccessDenied", "", "", ""},
		{"root sessions off", CheckCentralRootAccess, func(s *Snapshot) { s.RootAccess.RootSessions = false },
			ResultFail, "root sessions not enabled", "", "", "Enable"},
		{"a region without analyzer", CheckAccessAnalyzer, func(s *Snapshot) { s.Analyzers[1].Active = nil }, ResultFail,
			"1 of 2 enabled region(s)", "us-east-1", "--access-analyzer", ""},
		{"regions unreadable", CheckAccessAnalyzer, func(s *Snapshot) { s.Analyzers, s.RegionsError = nil, "AccessDeniedException" }, ResultManual,
			"account:ListRegions", "", "", ""},
		{"no security contact", CheckSecurityContact, func(s *Snapshot) { s.SecurityContact = nil }, ResultFail,
			"no security contact", "", "--security-contact-name", ""},
		{"security contact unreadable", CheckSecurityContact, func(s *Snapshot) { s.SecurityContact, s.SecurityContactError = nil, "AccessDeniedException" },
			ResultManual, "could not be read", "", "", ""},
		{"root without credentials, standalone", CheckRootAccessKeys, func(s *Snapshot) {
			s.Root, s.RootAccess = RootFacts{}, baseline.RootAccessFeatures{}
		}, ResultNotApplicable, "as in a member account created by AWS Organizations", "", "", ""},
		{"root without credentials, centralized", CheckRootMFA, func(s *Snapshot) { s.Root = RootFacts{} },
			ResultNotApplicable, "centralized root access manages", "", "", ""},
		{"root session failed: keys", CheckRootAccessKeys, func(s *Snapshot) { s.Root = RootFacts{Unreadable: "AccessDenied: an SCP"} },
			ResultManual, "through a root session (sts:AssumeRoot): AccessDenied: an SCP", "", "", ""},
		{"root session failed: mfa", CheckRootMFA, func(s *Snapshot) { s.Root = RootFacts{Unreadable: "AccessDenied: an SCP"} },
			ResultManual, "AccessDenied: an SCP", "", "", ""},
		{"root session failed: hardware mfa", CheckRootHardwareMFA, func(s *Snapshot) { s.Root = RootFacts{Unreadable: "AccessDenied: an SCP"} },
			ResultManual, "AccessDenied: an SCP", "", "", ""},
		{"root without credentials, report without a root row", CheckRootHardwareMFA, func(s *Snapshot) {
			s.Root, s.CredentialReport.Root = RootFacts{}, nil
		}, ResultManual, "root's credentials could not be read", "", "", ""},
		{"short passwords", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy.MinimumLength = 13 }, ResultFail,
			"minimum length is 13", "", "minimum length 14", ""},
		{"length without policy", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy = nil }, ResultFail,
			"default minimum is 8", "", "password policy", ""},
		{"longer passwords pass", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy.MinimumLength = 30 }, ResultPass,
			"minimum length is 30", "", "", ""},
		{"reuse 23", CheckPasswordReuse, func(s *Snapshot) { s.PasswordPolicy.ReusePrevention = 23 }, ResultFail,
			"remembers 23", "", "reuse prevention 24", ""},
		{"reuse without policy", CheckPasswordReuse, func(s *Snapshot) { s.PasswordPolicy = nil }, ResultFail,
			"may be reused", "", "password policy", ""},
		{"console user without mfa", CheckConsoleUsersMFA, func(s *Snapshot) {
			u := user(s, "ci")
			u.PasswordEnabled, u.PasswordLastUsed, u.MFAActive = FlagTrue, daysAgo(1), false
		}, ResultFail, "1 user(s)", "ci: console password without MFA", "", "Assign MFA device"},
		{"key-only user without mfa passes", CheckConsoleUsersMFA, func(s *Snapshot) { user(s, "ci").MFAActive = false },
			ResultPass, "has MFA", "", "", ""},
		{"no credential report", CheckConsoleUsersMFA, func(s *Snapshot) {
			s.CredentialReport, s.CredentialReportError = nil, "AccessDenied"
		}, ResultManual, "AccessDenied", "", "", ""},
		{"password unused 45 days", CheckUnusedCredentials, func(s *Snapshot) { user(s, "administrator").PasswordLastUsed = daysAgo(45) },
			ResultFail, "1 user(s)", "administrator: password unused for 45 days", "", "remove the unused console password"},
		{"password unused 44 days passes", CheckUnusedCredentials, func(s *Snapshot) { user(s, "administrator").PasswordLastUsed = daysAgo(44) },
			ResultPass, "within 45 days", "", "", ""},
		{"password never used, set 50 days ago", CheckUnusedCredentials, func(s *Snapshot) {
			u := user(s, "administrator")
			u.PasswordLastUsed, u.PasswordLastChanged = Stamp{Missing: ValueNoInformation}, daysAgo(50)
		}, ResultFail, "1 user(s)", "password unused for 50 days", "", ""},
		{"password never used, set 3 days ago", CheckUnusedCredentials, func(s *Snapshot) {
			u := user(s, "administrator")
			u.PasswordLastUsed, u.PasswordLastChanged = Stamp{Missing: ValueNoInformation}, daysAgo(3)
		}, ResultPass, "within 45 days", "", "", ""},
		{"key unused 60 days", CheckUnusedCredentials, func(s *Snapshot) { user(s, "ci").AccessKeys[0].LastUsed = daysAgo(60) },
			ResultFail, "1 user(s)", "ci: access key 1 unused for 60 days", "", "deactivate the unused access keys"},
		{"key never used, created 46 days ago", CheckUnusedCredentials, func(s *Snapshot) {
			user(s, "ci").AccessKeys[0] = AccessKeyInfo{Active: true, LastRotated: daysAgo(46), LastUsed: na}
		}, ResultFail, "1 user(s)", "access key 1 unused for 46 days", "", ""},
		{"inactive old key ignored", CheckUnusedCredentials, func(s *Snapshot) {
			user(s, "ci").AccessKeys[1] = AccessKeyInfo{Active: false, LastRotated: daysAgo(400), LastUsed: daysAgo(300)}
		}, ResultPass, "within 45 days", "", "", ""},
		{"key 91 days old", CheckAccessKeyRotation, func(s *Snapshot) { user(s, "ci").AccessKeys[0].LastRotated = daysAgo(91) },
			ResultFail, "1 user(s)", "ci: access key 1 is 91 days old", "", "create a new access key"},
		{"key 89 days old passes", CheckAccessKeyRotation, func(s *Snapshot) { user(s, "ci").AccessKeys[0].LastRotated = daysAgo(89) },
			ResultPass, "younger than 90 days", "", "", ""},
		{"two active keys", CheckOneActiveAccessKey, func(s *Snapshot) {
			user(s, "ci").AccessKeys[1] = AccessKeyInfo{Active: true, LastRotated: daysAgo(1), LastUsed: na}
		}, ResultFail, "1 user(s)", "ci: two active access keys", "", "deactivate the access key"},
		{"no admin group", CheckBaselineGroup, func(s *Snapshot) { s.Groups = s.Groups[1:] }, ResultFail,
			`group "admin" does not exist`, "", `creates group "admin" and attaches ` + adminPolicy, ""},
		{"admin group without policy", CheckBaselineGroup, func(s *Snapshot) { s.Groups[0].AttachedPolicies = nil }, ResultFail,
			"does not have", "", "attaches " + adminPolicy, ""},
		{"admin group name differs in case", CheckBaselineGroup, func(s *Snapshot) { s.Groups[0].Name = "Admin" }, ResultPass,
			`group "Admin" has`, "", "", ""},
		{"no admin user", CheckBaselineUser, func(s *Snapshot) { s.Users = s.Users[1:] }, ResultFail,
			"does not exist", "", `creates user "administrator"`, ""},
		{"admin user without login profile", CheckBaselineUser, func(s *Snapshot) { s.Baseline.LoginProfile = false }, ResultFail,
			"no console password", "", "must be changed at first sign-in", ""},
		{"admin user unreadable", CheckBaselineUser, func(s *Snapshot) { s.Baseline.LoginProfileError = "AccessDenied" }, ResultManual,
			"AccessDenied", "", "", ""},
		{"admin not in group", CheckBaselineMembership, func(s *Snapshot) { s.Users[0].Groups = nil }, ResultFail,
			`is not in group "admin"`, "", `adds user "administrator" to group "admin"`, ""},
		{"admin user missing: not in group", CheckBaselineMembership, func(s *Snapshot) { s.Users = s.Users[1:] }, ResultFail,
			"is not in group", "", "adds user", ""},
		{"admin mfa unreadable", CheckBaselineUserMFA, func(s *Snapshot) { s.Baseline.MFAError = "AccessDenied" }, ResultManual,
			"AccessDenied", "", "", ""},
		{"admin without mfa", CheckBaselineUserMFA, func(s *Snapshot) { s.Baseline.MFADevices = 0 }, ResultFail,
			"no MFA device", "", "enrolls a virtual MFA device", ""},
		{"admin user missing: no mfa", CheckBaselineUserMFA, func(s *Snapshot) { s.Users = s.Users[1:] }, ResultFail,
			"no MFA device", "", "enrolls", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := goodSnapshot()
			tc.change(&s)
			f := findingOf(t, Evaluate(s), tc.id)
			if f.Result != tc.want {
				t.Fatalf("result %s (%s), want %s", f.Result, f.Detail, tc.want)
			}
			if !strings.Contains(f.Detail.String(), tc.detail) {
				t.Errorf("detail %q does not contain %q", f.Detail, tc.detail)
			}
			if tc.offender != "" && !containsSubstring(locale.English.Msgs(f.Offenders), tc.offender) {
				t.Errorf("offenders %q do not contain %q", f.Offenders, tc.offender)
			}
			if tc.want == ResultFail && f.Fix == nil {
				t.Fatal("a failure without a fix")
			}
			if tc.want != ResultFail && f.Fix != nil {
				t.Errorf("fix %+v on a %s", f.Fix, f.Result)
			}
			if f.Fix != nil && (!strings.Contains(f.Fix.Apply.String(), tc.fixApply) || !strings.Contains(f.Fix.Console.String(), tc.fixConsole)) {
				t.Errorf("fix %+v, want apply containing %q and console containing %q", f.Fix, tc.fixApply, tc.fixConsole)
			}
		})
	}
}

func containsSubstring(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestInformationalFailureDoesNotFailTheAudit(t *testing.T) {
	s := goodSnapshot()
	s.Root.VirtualMFA = true
	r := Evaluate(s)
	if f := findingOf(t, r, CheckRootHardwareMFA); f.Result != ResultFail {
		t.Fatalf("IAM.6 = %s", f.Result)
	}
	if r.Failed() || r.Summary.Fail != 1 || r.Summary.Failing != 0 {
		t.Errorf("summary %+v: an informational failure must not fail the audit", r.Summary)
	}
	s.Root.MFAEnabled = false
	if r := Evaluate(s); !r.Failed() || r.Summary.Failing != 1 {
		t.Errorf("summary %+v: root without MFA must fail the audit", r.Summary)
	}
}

func TestCentralizedRootAccessFailsNothing(t *testing.T) {
	s := goodSnapshot()
	s.Root = RootFacts{}
	r := Evaluate(s)
	if r.Failed() || r.Summary.NotApplicable != 4 || !r.Account.RootCredentialsRemoved {
		t.Errorf("summary %+v, account %+v", r.Summary, r.Account)
	}
}

// TestCISChecksSpeakKorean: the CIS checks' failures are worded from the
// catalog, holders and uses included; only names, flags and API actions
// stay as they are.
func TestCISChecksSpeakKorean(t *testing.T) {
	s := goodSnapshot()
	s.Roles = nil
	s.Users[1].AttachedPolicies = []string{cloudShellPolicy}
	s.Groups[1].AttachedPolicies = []string{cloudShellPolicy}
	s.RootAccess.RootSessions = false
	s.SecurityContact = nil
	s.Analyzers[1].Active = nil
	s.CredentialReport.Root.PasswordLastUsed = Stamp{Time: checkNow.Add(-time.Hour)}
	ko := locale.New(language.Korean)
	want := map[string][]string{
		CheckRootUsage:         {"일상 작업에 루트 사용자를 사용하지 않음", "최근 하루 안에 루트 사용자를 사용했습니다: 비밀번호 마지막 사용", "관리자 사용자로 로그인"},
		CheckSupportRole:       {"AWS Support에서 인시던트를", "AWSSupportAccess 정책이 어떤 사용자, 그룹, 역할에도", "--support-role NAME 옵션을 주면"},
		CheckCloudShellAccess:  {"AWSCloudShellFullAccess 정책을 가진 보안 주체 없음", "보안 주체 2개에 연결", "deployers 그룹", "ci 사용자", "> 정책 > AWSCloudShellFullAccess > 연결된 엔터티"},
		CheckCentralRootAccess: {"루트 세션이 활성화되어 있지 않습니다", "루트 액세스 관리 > 활성화"},
		CheckSecurityContact:   {"보안 연락처 등록", "계정에 보안 연락처가 없습니다", "--security-contact-name, -title, -email, -phone 옵션을 주면"},
		CheckAccessAnalyzer:    {"활성화된 리전 2개 중 1개에", "--access-analyzer 옵션을 주면", "us-east-1"},
	}
	r := Evaluate(s)
	for id, parts := range want {
		f := findingOf(t, r, id)
		text := strings.Join(append([]string{ko.Msg(f.Title), ko.Msg(f.Detail), ko.Msg(f.Fix.Apply), ko.Msg(f.Fix.Console)}, ko.Msgs(f.Offenders)...), "\n")
		for _, p := range parts {
			if !strings.Contains(text, p) {
				t.Errorf("%s in Korean lacks %q:\n%s", id, p, text)
			}
		}
	}
}

// A root session's listing gives the facts the account summary gives; the
// device type comes from the serial: a virtual device's ARN has mfa/, a
// hardware token's serial is no ARN, a security key's ARN has u2f/.
func TestRootHoldingsFacts(t *testing.T) {
	cases := []struct {
		name string
		h    RootHoldings
		want RootFacts
	}{
		{"nothing", RootHoldings{}, RootFacts{}},
		{"inactive key, certificate, password", RootHoldings{AccessKeys: []baseline.RootAccessKey{{ID: "AKIAEXAMPLE"}},
			Certificates: []string{"CERT"}, Password: true},
			RootFacts{AccessKeysPresent: true, CertificatePresent: true, PasswordPresent: true}},
		{"virtual device", RootHoldings{MFADevices: []baseline.MFADevice{{SerialNumber: "arn:aws-cn:iam::123456789012:mfa/root-account-mfa-device"}}},
			RootFacts{MFAEnabled: true, VirtualMFA: true}},
		{"hardware token", RootHoldings{MFADevices: []baseline.MFADevice{{SerialNumber: "GAHT12345678"}}}, RootFacts{MFAEnabled: true}},
		{"security key", RootHoldings{MFADevices: []baseline.MFADevice{{SerialNumber: "arn:aws:iam::123456789012:u2f/root-account-mfa-device/ABC"}}},
			RootFacts{MFAEnabled: true}},
	}
	for _, c := range cases {
		if got := c.h.Facts(); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}
