package audit

import (
	"fmt"
	"sort"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// rootCredentials is what is known of the root user's credentials.
type rootCredentials int

const (
	rootHasSome rootCredentials = iota
	// rootNone: GetAccountSummary shows no key, MFA, password or
	// certificate, and the credential report (when read) agrees.
	rootNone
	// rootUnknown: the summary shows none, but the credential report has
	// no <root_account> row, which AWS always writes: nothing true can be
	// said of root.
	rootUnknown
)

func (s Snapshot) rootWithoutCredentials() rootCredentials {
	switch {
	case !s.Root.CredentialsRemoved():
		return rootHasSome
	case s.CredentialReport != nil && s.CredentialReport.Root == nil:
		return rootUnknown
	}
	return rootNone
}

// rootNotApplicable settles a root check when root has no credential to
// check (N/A) or its credentials could not be read (MANUAL); false
// otherwise.
func rootNotApplicable(s Snapshot, f *Finding) bool {
	switch s.rootWithoutCredentials() {
	case rootUnknown:
		f.Result = ResultManual
		f.Detail = "root's credentials could not be read: the credential report has no " + RootAccountRow + " row; check the root user's security credentials in the console"
	case rootNone:
		f.Result = ResultNotApplicable
		f.Detail = "the root user has no password, key, MFA device or certificate (as in a member account created by AWS Organizations)"
		if s.RootAccess.CredentialsManagement {
			f.Detail = "the root user has no password, key, MFA device or certificate: AWS Organizations' centralized root access manages its credentials"
		}
	default:
		return false
	}
	return true
}

// checkRootUsage reports when root last signed in or used a key. CIS
// makes it a manual recommendation and the first day's setup is done as
// root, so a recent use is informational.
func checkRootUsage(s Snapshot) Finding {
	f := Finding{ID: CheckRootUsage, Title: "The root user is not used for everyday tasks", Informational: true, Resource: "root user"}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.CredentialReport == nil:
		f.Result, f.Detail = ResultManual, "the credential report could not be read: "+s.CredentialReportError
		return f
	case s.CredentialReport.Root == nil:
		f.Result, f.Detail = ResultManual, "the credential report has no "+RootAccountRow+" row: root's last use could not be read"
		return f
	}
	root := s.CredentialReport.Root
	uses := []struct {
		what  string
		stamp Stamp
	}{{"password", root.PasswordLastUsed}, {"access key 1", root.AccessKeys[0].LastUsed}, {"access key 2", root.AccessKeys[1].LastUsed}}
	var used []string
	recent := false
	for _, u := range uses {
		if !u.stamp.Valid() {
			continue
		}
		used = append(used, fmt.Sprintf("%s last used %s", u.what, u.stamp.Time.UTC().Format("2006-01-02 15:04 MST")))
		recent = recent || s.Now.Sub(u.stamp.Time) < rootRecentUse
	}
	switch {
	case len(used) == 0:
		f.Result, f.Detail = ResultPass, "the credential report shows no use of the root user's password or keys"
	case recent:
		f.Result, f.Detail = ResultFail, "the root user was used within the last day: "+strings.Join(used, "; ")
		f.Fix = &Fix{Console: "sign in as the administrator user for everyday work; keep root for the tasks only root can do"}
	default:
		f.Result, f.Detail = ResultPass, "the root user was not used within the last day: "+strings.Join(used, "; ")
	}
	return f
}

// checkSetupAccessKeys finds access keys made along with a console user
// (CIS: do not create keys at a console user's setup): an active key never
// used, or created within seconds of its user.
func checkSetupAccessKeys(s Snapshot) Finding {
	f := Finding{ID: CheckSetupAccessKeys, Title: "No access key created at a console user's setup", Resource: "IAM users"}
	fix := &Fix{Console: consoleURL(s.Account.Partition) +
		" > Users > the user > Security credentials: delete the access key the user does not use"}
	return perUser(s, f, func(u CredentialUser) string {
		if !u.PasswordEnabled.IsTrue() {
			return ""
		}
		var reasons []string
		for i, k := range u.AccessKeys {
			switch {
			case !k.Active:
			case !k.LastUsed.Valid():
				reasons = append(reasons, fmt.Sprintf("access key %d was never used", i+1))
			case u.CreationTime.Valid() && k.LastRotated.Valid() && k.LastRotated.Time.Sub(u.CreationTime.Time) <= setupKeyWindow:
				reasons = append(reasons, fmt.Sprintf("access key %d was created with the user", i+1))
			}
		}
		return strings.Join(reasons, "; ")
	}, "no console user holds an access key made at its setup", "%d console user(s) hold access keys made at setup or never used", fix)
}

// holders lists the users, groups and roles with the managed policy
// attached, from the authorization details already read.
func holders(s Snapshot, policyName string) []string {
	arn := awsfacts.ManagedPolicyARN(s.Account.Partition, policyName)
	var out []string
	for _, u := range s.Users {
		if contains(u.AttachedPolicies, arn) {
			out = append(out, "user "+u.Name)
		}
	}
	for _, g := range s.Groups {
		if contains(g.AttachedPolicies, arn) {
			out = append(out, "group "+g.Name)
		}
	}
	for _, r := range s.Roles {
		if contains(r.AttachedPolicies, arn) {
			out = append(out, "role "+r.Name)
		}
	}
	sort.Strings(out)
	return out
}

func checkSupportRole(s Snapshot) Finding {
	f := Finding{ID: CheckSupportRole, Title: "A principal may manage incidents with AWS Support (AWSSupportAccess)",
		Controls: []string{"IAM.18"}, Resource: awsfacts.SupportAccess}
	if h := holders(s, awsfacts.SupportAccess); len(h) > 0 {
		f.Result, f.Detail = ResultPass, awsfacts.SupportAccess+" is attached to "+strings.Join(h, ", ")
		return f
	}
	f.Result, f.Detail = ResultFail, awsfacts.SupportAccess+" is attached to no user, group or role"
	f.Fix = &Fix{Apply: "with --support-role NAME, creates role NAME with " + awsfacts.SupportAccess + ", assumable with MFA by the account's administrators"}
	return f
}

func checkCloudShellAccess(s Snapshot) Finding {
	f := Finding{ID: CheckCloudShellAccess, Title: "No principal holds AWSCloudShellFullAccess",
		Controls: []string{"IAM.27"}, Resource: awsfacts.CloudShellFullAccess}
	h := holders(s, awsfacts.CloudShellFullAccess)
	if len(h) == 0 {
		f.Result, f.Detail = ResultPass, awsfacts.CloudShellFullAccess+" is attached to no user, group or role"
		return f
	}
	f.Result, f.Offenders = ResultFail, h
	f.Detail = fmt.Sprintf("%s is attached to %d principal(s): its file upload and download can move data out of the account", awsfacts.CloudShellFullAccess, len(h))
	f.Fix = &Fix{Console: consoleURL(s.Account.Partition) + " > Policies > " + awsfacts.CloudShellFullAccess +
		" > Entities attached: detach it; grant a narrower CloudShell policy where needed"}
	return f
}

// The ListOrganizationsFeatures errors the centralized root access check
// tells apart.
const (
	errNotManagementAccount = "AccountNotManagementOrDelegatedAdministratorException"
	errServiceAccessOff     = "ServiceAccessNotEnabledException"
	errNotAllFeatures       = "OrganizationNotInAllFeaturesModeException"
)

func checkCentralRootAccess(s Snapshot) Finding {
	f := Finding{ID: CheckCentralRootAccess, Title: "Centralized root access for the organization's member accounts", Resource: "AWS Organizations"}
	ra := s.RootAccess
	fix := &Fix{Console: consoleURL(s.Account.Partition) + " > Root access management > Enable: root credentials management and privileged root actions in member accounts"}
	switch {
	case !ra.Organization:
		f.Result, f.Detail = ResultNotApplicable, "a standalone account: it belongs to no organization"
	case ra.Unreadable == errNotManagementAccount:
		f.Result, f.Detail = ResultNotApplicable, "a member account: centralized root access is set in the organization's management account"
	case ra.Unreadable == errServiceAccessOff:
		f.Result, f.Detail, f.Fix = ResultFail, "trusted access for IAM is not enabled in AWS Organizations, so centralized root access is off", fix
	case ra.Unreadable == errNotAllFeatures:
		f.Result, f.Detail = ResultFail, "the organization does not have all features enabled, which centralized root access needs"
		f.Fix = &Fix{Console: "AWS Organizations console > Settings > enable all features, then " + fix.Console}
	case ra.Unreadable != "":
		f.Result, f.Detail = ResultManual, "centralized root access could not be read (iam:ListOrganizationsFeatures): "+ra.Unreadable
	case ra.CredentialsManagement && ra.RootSessions:
		f.Result, f.Detail = ResultPass, "root credentials management and root sessions are enabled"
	default:
		var off []string
		if !ra.CredentialsManagement {
			off = append(off, "root credentials management")
		}
		if !ra.RootSessions {
			off = append(off, "root sessions")
		}
		f.Result, f.Detail, f.Fix = ResultFail, strings.Join(off, " and ")+" not enabled", fix
	}
	return f
}

func checkSecurityContact(s Snapshot) Finding {
	f := Finding{ID: CheckSecurityContact, Title: "A security contact is registered", Controls: []string{"Account.1"}, Resource: "alternate contacts"}
	c := s.SecurityContact
	switch {
	case s.SecurityContactError != "":
		f.Result, f.Detail = ResultManual, "the security contact could not be read (account:GetAlternateContact): "+s.SecurityContactError
	case c == nil:
		f.Result, f.Detail = ResultFail, "the account has no security contact: AWS's security notices go to the root user's e-mail only"
		f.Fix = &Fix{Apply: "with --security-contact-name, -title, -email and -phone, registers the security contact"}
	default:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("the security contact is %s <%s>", c.Name, c.Email)
	}
	return f
}

func checkAccessAnalyzer(s Snapshot) Finding {
	f := Finding{ID: CheckAccessAnalyzer, Title: "An active IAM Access Analyzer in every enabled region", Controls: []string{"IAM.28"}, Resource: "IAM Access Analyzer"}
	if s.RegionsError != "" {
		f.Result, f.Detail = ResultManual, "the enabled regions could not be listed (account:ListRegions): "+s.RegionsError
		return f
	}
	var unread []string
	for _, a := range s.Analyzers {
		switch {
		case a.Err != nil:
			unread = append(unread, a.Region+": "+a.Err.Error())
		case len(a.Active) == 0:
			f.Offenders = append(f.Offenders, a.Region)
		}
	}
	switch {
	case len(unread) > 0:
		f.Result, f.Detail = ResultManual, "the analyzers of some regions could not be listed (access-analyzer:ListAnalyzers): "+strings.Join(unread, "; ")
		f.Offenders = nil
	case len(f.Offenders) > 0:
		f.Result = ResultFail
		f.Detail = fmt.Sprintf("%d of %d enabled region(s) have no active account or organization analyzer", len(f.Offenders), len(s.Analyzers))
		f.Fix = &Fix{Apply: "with --access-analyzer, creates the account's external-access analyzer (free) in each listed region, all at once"}
	default:
		f.Result, f.Detail = ResultPass, fmt.Sprintf("each of the %d enabled region(s) has an active analyzer", len(s.Analyzers))
	}
	return f
}
