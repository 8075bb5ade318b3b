package audit

import (
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

var checkNow = time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)

const adminPolicy = "arn:aws:iam::aws:policy/AdministratorAccess"

func daysAgo(n int) Stamp { return Stamp{Time: checkNow.Add(-time.Duration(n) * 24 * time.Hour)} }

var na = Stamp{Missing: ValueNotApplicable}

// goodSnapshot is an account at the baseline: every check passes.
func goodSnapshot() Snapshot {
	return Snapshot{
		Account: Account{ID: "123456789012", Partition: "aws", CallerARN: "arn:aws:iam::123456789012:user/administrator"},
		Now:     checkNow,
		Root:    RootFacts{MFAEnabled: true, PasswordPresent: true},
		PasswordPolicy: &PasswordPolicy{
			MinimumPasswordLength: 14, PasswordReusePrevention: 24,
		},
		CredentialReport: &CredentialReport{
			GeneratedTime: checkNow.Add(-time.Hour),
			Root:          &CredentialUser{User: RootAccountRow, PasswordEnabled: FlagNotSupported, MFAActive: true},
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
		{"short passwords", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy.MinimumPasswordLength = 13 }, ResultFail,
			"minimum length is 13", "", "minimum length 14", ""},
		{"length without policy", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy = nil }, ResultFail,
			"default minimum is 8", "", "password policy", ""},
		{"longer passwords pass", CheckPasswordLength, func(s *Snapshot) { s.PasswordPolicy.MinimumPasswordLength = 30 }, ResultPass,
			"minimum length is 30", "", "", ""},
		{"reuse 23", CheckPasswordReuse, func(s *Snapshot) { s.PasswordPolicy.PasswordReusePrevention = 23 }, ResultFail,
			"remembers 23", "", "reuse prevention 24", ""},
		{"reuse without policy", CheckPasswordReuse, func(s *Snapshot) { s.PasswordPolicy = nil }, ResultFail,
			"may be reused", "", "password policy", ""},
		{"console user without mfa", CheckConsoleUsersMFA, func(s *Snapshot) { user(s, "administrator").MFAActive = false },
			ResultFail, "1 user(s)", "administrator: console password without MFA", "", "Assign MFA device"},
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
			if !strings.Contains(f.Detail, tc.detail) {
				t.Errorf("detail %q does not contain %q", f.Detail, tc.detail)
			}
			if tc.offender != "" && !containsSubstring(f.Offenders, tc.offender) {
				t.Errorf("offenders %q do not contain %q", f.Offenders, tc.offender)
			}
			if tc.want == ResultFail && f.Fix == nil {
				t.Fatal("a failure without a fix")
			}
			if tc.want != ResultFail && f.Fix != nil {
				t.Errorf("fix %+v on a %s", f.Fix, f.Result)
			}
			if f.Fix != nil && (!strings.Contains(f.Fix.Apply, tc.fixApply) || !strings.Contains(f.Fix.Console, tc.fixConsole)) {
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
	if r.Failed() || r.Summary.NotApplicable != 3 || !r.Account.RootCredentialsRemoved {
		t.Errorf("summary %+v, account %+v", r.Summary, r.Account)
	}
}
