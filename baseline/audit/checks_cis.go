package audit

import (
	"sort"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
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
	// rootUnreadable: the root session (sts:AssumeRoot) failed.
	rootUnreadable
)

func (s Snapshot) rootWithoutCredentials() rootCredentials {
	switch {
	case s.Root.Unreadable != "":
		return rootUnreadable
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
	case rootUnreadable:
		f.Result = ResultManual
		f.Detail = locale.M("root's credentials could not be read through a root session (sts:AssumeRoot): %s", readFailure(s.Root.unreadableErr, s.Root.Unreadable))
	case rootUnknown:
		f.Result = ResultManual
		f.Detail = locale.M("root's credentials could not be read: the credential report has no %s row; check the root user's security credentials in the console", RootAccountRow)
	case rootNone:
		f.Result = ResultNotApplicable
		f.Detail = locale.M("the root user has no password, key, MFA device or certificate (as in a member account created by AWS Organizations)")
		if s.RootAccess.CredentialsManagement {
			f.Detail = locale.M("the root user has no password, key, MFA device or certificate: AWS Organizations' centralized root access manages its credentials")
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
	f := Finding{ID: CheckRootUsage, Title: locale.M("The root user is not used for everyday tasks"), Informational: true, Resource: locale.M("root user")}
	if rootNotApplicable(s, &f) {
		return f
	}
	switch {
	case s.CredentialReport == nil:
		f.Result, f.Detail = ResultManual, locale.M("the credential report could not be read: %s", readFailure(s.credentialReportErr, s.CredentialReportError))
		return f
	case s.CredentialReport.Root == nil:
		f.Result, f.Detail = ResultManual, locale.M("the credential report has no %s row: root's last use could not be read", RootAccountRow)
		return f
	}
	root := s.CredentialReport.Root
	uses := []struct {
		what  locale.Msg
		stamp Stamp
	}{{locale.M("password"), root.PasswordLastUsed}, {locale.M("access key %d", 1), root.AccessKeys[0].LastUsed}, {locale.M("access key %d", 2), root.AccessKeys[1].LastUsed}}
	var used locale.List
	recent := false
	for _, u := range uses {
		if !u.stamp.Valid() {
			continue
		}
		used = append(used, locale.M("%s last used %s", u.what, u.stamp.Time.UTC().Format("2006-01-02 15:04 MST")))
		recent = recent || s.Now.Sub(u.stamp.Time) < rootRecentUse
	}
	switch {
	case len(used) == 0:
		f.Result, f.Detail = ResultPass, locale.M("the credential report shows no use of the root user's password or keys")
	case recent:
		f.Result, f.Detail = ResultFail, locale.M("the root user was used within the last day: %s", used)
		f.Fix = &Fix{Console: locale.M("sign in as the administrator user for everyday work; keep root for the tasks only root can do")}
	default:
		f.Result, f.Detail = ResultPass, locale.M("the root user was not used within the last day: %s", used)
	}
	return f
}

// checkSetupAccessKeys finds access keys made along with a console user
// (CIS: do not create keys at a console user's setup): an active key never
// used, or created within seconds of its user.
func checkSetupAccessKeys(s Snapshot) Finding {
	f := Finding{ID: CheckSetupAccessKeys, Title: locale.M("No access key created at a console user's setup"), Resource: locale.M("IAM users")}
	fix := &Fix{Console: locale.M("%s > Users > the user > Security credentials: delete the access key the user does not use", consoleURL(s.Account.Partition))}
	return perUser(s, f, func(u CredentialUser) []locale.Msg {
		if !u.PasswordEnabled.IsTrue() {
			return nil
		}
		var reasons []locale.Msg
		for i, k := range u.AccessKeys {
			switch {
			case !k.Active:
			case !k.LastUsed.Valid():
				reasons = append(reasons, locale.M("access key %d was never used", i+1))
			case u.CreationTime.Valid() && k.LastRotated.Valid() && k.LastRotated.Time.Sub(u.CreationTime.Time) <= setupKeyWindow:
				reasons = append(reasons, locale.M("access key %d was created with the user", i+1))
			}
		}
		return reasons
	}, locale.M("no console user holds an access key made at its setup"),
		func(n int) locale.Msg {
			return locale.M("%d console user(s) hold access keys made at setup or never used", n)
		}, fix)
}

// holders lists the users, groups and roles with the managed policy
// attached, from the authorization details already read, ordered as
// "group", "role", "user" and then by name.
func holders(s Snapshot, policyName string) locale.Series {
	arn := awsfacts.ManagedPolicyARN(s.Account.Partition, policyName)
	type holder struct{ kind, name string }
	var found []holder
	for _, u := range s.Users {
		if contains(u.AttachedPolicies, arn) {
			found = append(found, holder{"user", u.Name})
		}
	}
	for _, g := range s.Groups {
		if contains(g.AttachedPolicies, arn) {
			found = append(found, holder{"group", g.Name})
		}
	}
	for _, r := range s.Roles {
		if contains(r.AttachedPolicies, arn) {
			found = append(found, holder{"role", r.Name})
		}
	}
	sort.Slice(found, func(i, j int) bool {
		return found[i].kind+" "+found[i].name < found[j].kind+" "+found[j].name
	})
	out := make(locale.Series, len(found))
	for i, h := range found {
		switch h.kind {
		case "user":
			out[i] = locale.M("user %s", h.name)
		case "group":
			out[i] = locale.M("group %s", h.name)
		default:
			out[i] = locale.M("role %s", h.name)
		}
	}
	return out
}

func checkSupportRole(s Snapshot) Finding {
	f := Finding{ID: CheckSupportRole, Title: locale.M("A principal may manage incidents with AWS Support (%s)", awsfacts.SupportAccess),
		Controls: []string{"IAM.18"}, Resource: locale.M("%s", awsfacts.SupportAccess)}
	if h := holders(s, awsfacts.SupportAccess); len(h) > 0 {
		f.Result, f.Detail = ResultPass, locale.M("%s is attached to %s", awsfacts.SupportAccess, h)
		return f
	}
	f.Result, f.Detail = ResultFail, locale.M("%s is attached to no user, group or role", awsfacts.SupportAccess)
	f.Fix = &Fix{Apply: locale.M("with %s NAME, creates role NAME with %s, assumable with MFA by the account's administrators", "--support-role", awsfacts.SupportAccess)}
	return f
}

func checkCloudShellAccess(s Snapshot) Finding {
	f := Finding{ID: CheckCloudShellAccess, Title: locale.M("No principal holds %s", awsfacts.CloudShellFullAccess),
		Controls: []string{"IAM.27"}, Resource: locale.M("%s", awsfacts.CloudShellFullAccess)}
	h := holders(s, awsfacts.CloudShellFullAccess)
	if len(h) == 0 {
		f.Result, f.Detail = ResultPass, locale.M("%s is attached to no user, group or role", awsfacts.CloudShellFullAccess)
		return f
	}
	f.Result, f.Offenders = ResultFail, []locale.Msg(h)
	f.Detail = locale.M("%s is attached to %d principal(s): its file upload and download can move data out of the account", awsfacts.CloudShellFullAccess, len(h))
	f.Fix = &Fix{Console: locale.M("%s > Policies > %s > Entities attached: detach it; grant a narrower CloudShell policy where needed",
		consoleURL(s.Account.Partition), awsfacts.CloudShellFullAccess)}
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
	f := Finding{ID: CheckCentralRootAccess, Title: locale.M("Centralized root access for the organization's member accounts"), Resource: locale.M("AWS Organizations")}
	ra := s.RootAccess
	fix := &Fix{Console: locale.M("%s > Root access management > Enable: root credentials management and privileged root actions in member accounts", consoleURL(s.Account.Partition))}
	switch {
	case !ra.Organization:
		f.Result, f.Detail = ResultNotApplicable, locale.M("a standalone account: it belongs to no organization")
	case ra.Unreadable == errNotManagementAccount:
		f.Result, f.Detail = ResultNotApplicable, locale.M("a member account: centralized root access is set in the organization's management account")
	case ra.Unreadable == errServiceAccessOff:
		f.Result, f.Detail, f.Fix = ResultFail, locale.M("trusted access for IAM is not enabled in AWS Organizations, so centralized root access is off"), fix
	case ra.Unreadable == errNotAllFeatures:
		f.Result, f.Detail = ResultFail, locale.M("the organization does not have all features enabled, which centralized root access needs")
		f.Fix = &Fix{Console: locale.M("AWS Organizations console > Settings > enable all features, then %s", fix.Console)}
	case ra.Unreadable != "":
		f.Result, f.Detail = ResultManual, locale.M("centralized root access could not be read (%s): %s", "iam:ListOrganizationsFeatures", ra.Unreadable)
	case ra.CredentialsManagement && ra.RootSessions:
		f.Result, f.Detail = ResultPass, locale.M("root credentials management and root sessions are enabled")
	default:
		f.Result, f.Detail, f.Fix = ResultFail, rootAccessOff(ra), fix
	}
	return f
}

func checkSecurityContact(s Snapshot) Finding {
	f := Finding{ID: CheckSecurityContact, Title: locale.M("A security contact is registered"), Controls: []string{"Account.1"}, Resource: locale.M("alternate contacts")}
	c := s.SecurityContact
	switch {
	case s.SecurityContactError != "":
		f.Result, f.Detail = ResultManual, locale.M("the security contact could not be read (%s): %s", "account:GetAlternateContact", readFailure(s.securityContactErr, s.SecurityContactError))
	case c == nil:
		f.Result, f.Detail = ResultFail, locale.M("the account has no security contact: AWS's security notices go to the root user's e-mail only")
		f.Fix = &Fix{Apply: locale.M("with %s, -title, -email and -phone, registers the security contact", "--security-contact-name")}
	default:
		f.Result, f.Detail = ResultPass, locale.M("the security contact is %s <%s>", c.Name, c.Email)
	}
	return f
}

func checkAccessAnalyzer(s Snapshot) Finding {
	f := Finding{ID: CheckAccessAnalyzer, Title: locale.M("An active IAM Access Analyzer in every enabled region"), Controls: []string{"IAM.28"}, Resource: locale.M("IAM Access Analyzer")}
	if s.RegionsError != "" {
		f.Result, f.Detail = ResultManual, locale.M("the enabled regions could not be listed (%s): %s", "account:ListRegions", readFailure(s.regionsErr, s.RegionsError))
		return f
	}
	var unread locale.List
	for _, a := range s.Analyzers {
		switch {
		case a.Err != nil:
			unread = append(unread, locale.M("%s: %v", a.Region, a.Err))
		case len(a.Active) == 0:
			f.Offenders = append(f.Offenders, locale.M("%s", a.Region))
		}
	}
	switch {
	case len(unread) > 0:
		f.Result, f.Detail = ResultManual, locale.M("the analyzers of some regions could not be listed (%s): %s", "access-analyzer:ListAnalyzers", unread)
		f.Offenders = nil
	case len(f.Offenders) > 0:
		f.Result = ResultFail
		f.Detail = locale.M("%d of %d enabled region(s) have no active account or organization analyzer", len(f.Offenders), len(s.Analyzers))
		f.Fix = &Fix{Apply: locale.M("with %s, creates the account's external-access analyzer (free) in each listed region, all at once", "--access-analyzer")}
	default:
		f.Result, f.Detail = ResultPass, locale.M("each of the %d enabled region(s) has an active analyzer", len(s.Analyzers))
	}
	return f
}

// rootAccessOff says which of centralized root access's two features
// are off.
func rootAccessOff(ra baseline.RootAccessFeatures) locale.Msg {
	switch {
	case !ra.CredentialsManagement && !ra.RootSessions:
		return locale.M("root credentials management and root sessions not enabled")
	case !ra.CredentialsManagement:
		return locale.M("root credentials management not enabled")
	}
	return locale.M("root sessions not enabled")
}
