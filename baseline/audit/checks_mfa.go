package audit

import (
	"github.com/iam-baseline/iam-baseline/baseline/locale"
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
	f := Finding{ID: CheckAdminGroupRequiresMFA, Title: locale.M("Admin group requires MFA"), Baseline: true, Resource: locale.M("group %s", b.GroupName)}
	fix := &Fix{Apply: locale.M("puts inline policy %s on group %q: its users are denied everything without MFA but getting MFA", mfapolicy.Name, b.GroupName)}
	g, ok := s.group(b.GroupName)
	doc, has := g.InlinePolicies[mfapolicy.Name]
	switch {
	case !ok:
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("group %q does not exist", b.GroupName), fix
	case !has:
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("nothing requires MFA of group %q's users: policy %s is missing", g.Name, mfapolicy.Name), fix
	case !mfapolicy.Document(s.Account.Partition).Same(doc):
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("group %q's policy %s differs from the baseline's", g.Name, mfapolicy.Name), fix
	default:
		f.Result, f.Detail = ResultPass, locale.M("group %q requires MFA (policy %s)", g.Name, mfapolicy.Name)
	}
	return f
}

func checkAdministratorsMFA(s Snapshot) Finding {
	f := Finding{ID: CheckAdministratorsMFA, Title: locale.M("MFA for every user with AdministratorAccess"), Resource: locale.M("IAM users")}
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
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials > Assign MFA device", consoleURL(s.Account.Partition))}
	return perUser(s, f, func(u CredentialUser) []locale.Msg {
		if holds[u.User] && !u.MFAActive {
			return []locale.Msg{locale.M("holds AdministratorAccess without MFA")}
		}
		return nil
	}, locale.M("every user holding AdministratorAccess has MFA"),
		func(n int) locale.Msg { return locale.M("%d user(s) hold AdministratorAccess without MFA", n) }, fix)
}
