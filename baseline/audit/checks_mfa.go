package audit

import (
	"fmt"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// The checks of MFA that is required, not just present (issue 16).
const (
	// CheckAdminGroupRequiresMFA: the admin group carries the baseline's
	// MFA policy (baseline/mfapolicy), as apply puts it.
	CheckAdminGroupRequiresMFA = "baseline-admin-group-requires-mfa"
	// CheckAdministratorsMFA follows Prowler's
	// iam_administrator_access_with_mfa: every user holding
	// AdministratorAccess, directly or through a group, has MFA.
	CheckAdministratorsMFA = "administrator-access-with-mfa"
)

func checkAdminGroupRequiresMFA(s Snapshot) Finding {
	b := s.Baseline
	f := Finding{ID: CheckAdminGroupRequiresMFA, Title: "Admin group requires MFA", Baseline: true, Resource: "group " + b.GroupName}
	fix := &Fix{Apply: fmt.Sprintf("puts inline policy %s on group %q: its users are denied everything without MFA but getting MFA", mfapolicy.Name, b.GroupName)}
	g, ok := s.group(b.GroupName)
	doc, has := g.InlinePolicies[mfapolicy.Name]
	switch {
	case !ok:
		f.Result, f.Detail, f.Fix = ResultFail, fmt.Sprintf("group %q does not exist", b.GroupName), fix
	case !has:
		f.Result, f.Detail, f.Fix = ResultFail, fmt.Sprintf("nothing requires MFA of group %q's users: policy %s is missing", g.Name, mfapolicy.Name), fix
	case !mfapolicy.Document(s.Account.Partition).Same(doc):
		f.Result, f.Detail, f.Fix = ResultFail, fmt.Sprintf("group %q's policy %s differs from the baseline's", g.Name, mfapolicy.Name), fix
	default:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("group %q requires MFA (policy %s)", g.Name, mfapolicy.Name)
	}
	return f
}

func checkAdministratorsMFA(s Snapshot) Finding {
	f := Finding{ID: CheckAdministratorsMFA, Title: "MFA for every user with AdministratorAccess", Resource: "IAM users"}
	admin := s.Baseline.PolicyARN
	adminGroups := map[string]bool{}
	for _, g := range s.Groups {
		if contains(g.AttachedPolicies, admin) {
			adminGroups[g.Name] = true
		}
	}
	holds := map[string]bool{}
	for _, u := range s.Users {
		held := contains(u.AttachedPolicies, admin)
		for _, g := range u.Groups {
			held = held || adminGroups[g]
		}
		holds[u.Name] = held
	}
	fix := &Fix{Console: consoleURL(s.Account.Partition) + " > Users > the user > Security credentials > Assign MFA device"}
	return perUser(s, f, func(u CredentialUser) string {
		if holds[u.User] && !u.MFAActive {
			return "holds AdministratorAccess without MFA"
		}
		return ""
	}, "every user holding AdministratorAccess has MFA", "%d user(s) hold AdministratorAccess without MFA", fix)
}
