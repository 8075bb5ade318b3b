package audit

import (
	"slices"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

func TestCheckAdminGroupRequiresMFA(t *testing.T) {
	older := strings.Replace(mfapolicy.Document("aws").JSON(), `"iam:ResyncMFADevice",`, "", 1)
	tests := []struct {
		name   string
		group  *GroupGrants // nil: no admin group
		result Result
	}{
		{name: "the baseline's policy, reformatted", group: &GroupGrants{Name: "Admin",
			InlinePolicies: map[string]string{mfapolicy.Name: strings.ReplaceAll(mfapolicy.Document("aws").JSON(), ",", ", ")}}, result: ResultPass},
		{name: "no policy", group: &GroupGrants{Name: "admin", InlinePolicies: map[string]string{"other": "{}"}}, result: ResultFail},
		{name: "an older policy", group: &GroupGrants{Name: "admin", InlinePolicies: map[string]string{mfapolicy.Name: older}}, result: ResultFail},
		{name: "another partition's policy", group: &GroupGrants{Name: "admin",
			InlinePolicies: map[string]string{mfapolicy.Name: mfapolicy.Document("aws-cn").JSON()}}, result: ResultFail},
		{name: "no group", result: ResultFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := goodSnapshot()
			s.Groups = nil
			if tt.group != nil {
				s.Groups = []GroupGrants{*tt.group}
			}
			f := findingOf(t, Evaluate(s), CheckAdminGroupRequiresMFA)
			if f.Result != tt.result || (f.Result == ResultFail) != (f.Fix != nil && f.Fix.Apply != "") {
				t.Errorf("result %s (%s), fix %+v; want %s with a fix by apply when it fails", f.Result, f.Detail, f.Fix, tt.result)
			}
		})
	}
}

// Prowler's iam_administrator_access_with_mfa: a user holding
// AdministratorAccess directly or through any group must have MFA; other
// users are not its business.
func TestCheckAdministratorsMFA(t *testing.T) {
	s := goodSnapshot()
	s.Groups = append(s.Groups, GroupGrants{Name: "ops", AttachedPolicies: []string{adminPolicy}})
	s.Users = append(s.Users,
		UserGrants{Name: "direct", AttachedPolicies: []string{adminPolicy}},
		UserGrants{Name: "via-ops", Groups: []string{"deployers", "ops"}},
		UserGrants{Name: "reader", Groups: []string{"deployers"}},
		UserGrants{Name: "direct-with-mfa", AttachedPolicies: []string{adminPolicy}},
	)
	for _, u := range []string{"direct", "via-ops", "reader"} {
		s.CredentialReport.Users = append(s.CredentialReport.Users, CredentialUser{User: u, PasswordEnabled: FlagFalse})
	}
	s.CredentialReport.Users = append(s.CredentialReport.Users, CredentialUser{User: "direct-with-mfa", MFAActive: true})
	f := findingOf(t, Evaluate(s), CheckAdministratorsMFA)
	want := []string{"direct: holds AdministratorAccess without MFA", "via-ops: holds AdministratorAccess without MFA"}
	if f.Result != ResultFail || !slices.Equal(f.Offenders, want) {
		t.Errorf("%s %q, want fail with %q", f.Result, f.Offenders, want)
	}

	s.CredentialReport = nil
	s.CredentialReportError = "AccessDenied"
	if f := findingOf(t, Evaluate(s), CheckAdministratorsMFA); f.Result != ResultManual {
		t.Errorf("without a credential report: %s, want manual", f.Result)
	}
}
