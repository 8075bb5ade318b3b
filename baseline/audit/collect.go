package audit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// IAMAPI is the part of the IAM client status reads with. Every call is a
// read except GenerateCredentialReport, which only asks AWS to build the
// report.
type IAMAPI interface {
	CredentialReportAPI
	iam.GetAccountAuthorizationDetailsAPIClient
	iam.ListVirtualMFADevicesAPIClient
	iam.ListMFADevicesAPIClient
	baseline.SummaryAPI
	baseline.PasswordPolicyAPI
	baseline.LoginProfileAPI
	baseline.OrganizationsFeaturesAPI
}

// AccountAPI reads the account's security contact and enabled regions (the
// Account service).
type AccountAPI interface {
	baseline.AlternateContactAPI
	baseline.RegionsAPI
}

// AccessAnalyzerAPI lists each region's analyzers.
type AccessAnalyzerAPI interface {
	baseline.AnalyzersAPI
}

// STSAPI tells who is calling.
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, opts ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// Deps are status's side effects.
type Deps struct {
	IAM     IAMAPI
	STS     STSAPI
	Account AccountAPI
	// AccessAnalyzer is asked region by region (a per-call option).
	AccessAnalyzer AccessAnalyzerAPI
	Clock          Clock
	// ReportWait bounds the wait for a credential report being generated;
	// zero means DefaultReportWait.
	ReportWait time.Duration
	// RootSession, when set, opens a root session in the account: root's
	// credentials are then read through it (as centralized root access
	// lets an organization's management account), not from
	// GetAccountSummary and the virtual MFA listing.
	RootSession OpenRootSession
}

// Target names the baseline's group and user to look for.
type Target struct {
	GroupName string
	UserName  string
}

// pageSize is the largest page IAM's list calls return.
const pageSize = 1000

// Collect reads a Snapshot. All reads start at once (the round-trip depth is
// that of the longest single chain: a paginated listing or the credential
// report's generation), and none is made per user: per-user facts come from
// the credential report and from GetAccountAuthorizationDetails pages of
// 1,000 users. The reads are baseline's typed account reads (the plan's
// reader) run on its one concurrency runner; each keeps its own answer, and
// the Snapshot is assembled once all have answered.
func Collect(ctx context.Context, deps Deps, target Target) (Snapshot, error) {
	if deps.Clock == nil {
		deps.Clock = SystemClock{}
	}
	if deps.Account == nil || deps.AccessAnalyzer == nil {
		return Snapshot{}, errors.New("auditing the account: no Account or Access Analyzer client")
	}
	var (
		r   reads
		api = deps.IAM
	)
	// Reads whose failure the report can carry (the credential report,
	// the baseline user's login profile and devices, root's virtual MFA,
	// the policy holders, the organization's features) keep their error
	// instead of failing the audit.
	err := baseline.ReadConcurrently(ctx, 0, append(r.rootReads(deps), []baseline.Read{
		{Name: "sts:GetCallerIdentity", Fn: func(ctx context.Context) (err error) { r.caller, err = baseline.ReadCaller(ctx, deps.STS); return }},
		{Name: "iam:GetAccountPasswordPolicy", Fn: func(ctx context.Context) (err error) {
			r.policy, err = baseline.ReadPasswordPolicy(ctx, api)
			return
		}},
		{Fn: func(ctx context.Context) (err error) { r.grants, err = readAuthorizationDetails(ctx, api); return }},
		{Fn: func(ctx context.Context) error {
			report, err := FetchCredentialReport(ctx, api, deps.Clock, deps.ReportWait)
			r.report, r.reportErr = &report, err
			return cancelled(ctx, err)
		}},
		{Fn: func(ctx context.Context) (err error) {
			r.login, r.loginErr = baseline.ReadLoginProfile(ctx, api, target.UserName)
			return cancelled(ctx, r.loginErr)
		}},
		{Fn: func(ctx context.Context) (err error) {
			r.devices, r.devicesErr = baseline.ReadMFADevices(ctx, api, target.UserName)
			return cancelled(ctx, r.devicesErr)
		}},
		{Fn: func(ctx context.Context) error {
			r.rootAccess, r.rootAccessErr = baseline.ReadRootAccessFeatures(ctx, api)
			return cancelled(ctx, r.rootAccessErr)
		}},
		{Fn: func(ctx context.Context) error {
			r.contact, r.contactErr = baseline.ReadSecurityContact(ctx, deps.Account)
			return cancelled(ctx, r.contactErr)
		}},
		{Fn: func(ctx context.Context) error {
			// The regions first, then every region's analyzers at once.
			regions, err := baseline.ReadEnabledRegions(ctx, deps.Account)
			if err != nil {
				r.regionsErr = err
				return cancelled(ctx, err)
			}
			// One request per region, all in flight together.
			r.analyzers = baseline.ReadAnalyzers(ctx, deps.AccessAnalyzer, regions, len(regions))
			return ctx.Err()
		}},
	}...))
	if err != nil {
		return Snapshot{}, err
	}
	return r.snapshot(deps.Clock.Now(), target), nil
}

// rootReads read root's credentials: through a root session when deps has
// one (a failure is carried: the root checks say why), else from
// GetAccountSummary and the virtual MFA listing.
func (r *reads) rootReads(deps Deps) []baseline.Read {
	if deps.RootSession != nil {
		r.rootSession = true
		return []baseline.Read{{Fn: func(ctx context.Context) error {
			api, err := deps.RootSession(ctx)
			if err == nil {
				r.root, err = ReadRootHoldings(ctx, api)
			}
			r.rootErr = err
			return cancelled(ctx, err)
		}}}
	}
	return []baseline.Read{
		{Name: "iam:GetAccountSummary", Fn: func(ctx context.Context) (err error) { r.summary, err = baseline.ReadSummary(ctx, deps.IAM); return }},
		{Fn: func(ctx context.Context) (err error) {
			r.virtualMFAs, r.virtualMFAErr = baseline.ReadVirtualMFADevices(ctx, deps.IAM, types.AssignmentStatusTypeAssigned)
			return cancelled(ctx, r.virtualMFAErr)
		}},
	}
}

// reads holds each read's answer (and the error of those the report can
// carry) until all have answered; each field is written by one read only.
type reads struct {
	caller        baseline.Caller
	summary       baseline.AccountSummary
	policy        *baseline.PasswordPolicy
	grants        grants
	report        *CredentialReport
	reportErr     error
	login         *baseline.LoginProfileState
	loginErr      error
	devices       []baseline.MFADevice
	devicesErr    error
	virtualMFAs   []baseline.VirtualMFADevice
	virtualMFAErr error
	rootSession   bool
	root          RootHoldings
	rootErr       error
	rootAccess    baseline.RootAccessFeatures
	rootAccessErr error
	contact       *baseline.SecurityContact
	contactErr    error
	analyzers     []baseline.RegionAnalyzers
	regionsErr    error
}

// cancelled passes on err only when the audit itself was cancelled: any
// other failure is carried in the report.
func cancelled(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return err
	}
	return nil
}

// snapshot assembles the answers.
func (r *reads) snapshot(now time.Time, target Target) Snapshot {
	snap := Snapshot{Now: now.UTC(), PasswordPolicy: r.policy, Users: r.grants.users, Groups: r.grants.groups, Roles: r.grants.roles}
	snap.Account = Account{ID: r.caller.AccountID, Partition: r.caller.Partition, CallerARN: r.caller.ARN, IsRoot: r.caller.IsRoot}
	snap.Root = r.rootFacts(snap.Account)
	if r.reportErr != nil {
		snap.CredentialReportError, snap.credentialReportErr = r.reportErr.Error(), r.reportErr
	} else {
		snap.CredentialReport = r.report
	}
	snap.RootAccess = r.rootAccess
	if r.rootAccessErr != nil {
		snap.RootAccess.Unreadable = r.rootAccessErr.Error()
	}
	snap.Analyzers = r.analyzers
	if r.regionsErr != nil {
		snap.RegionsError, snap.regionsErr = r.regionsErr.Error(), r.regionsErr
	}
	snap.SecurityContact = r.contact
	if r.contactErr != nil {
		snap.SecurityContactError, snap.securityContactErr = r.contactErr.Error(), r.contactErr
	}
	b := BaselineFacts{GroupName: target.GroupName, UserName: target.UserName,
		PolicyARN: baseline.AdminPolicyARN(snap.Account.Partition), LoginProfile: r.login != nil, MFADevices: len(r.devices)}
	if r.loginErr != nil {
		b.loginProfileErr = locale.Wrap(locale.M("reading the login profile of %q: %v", target.UserName, r.loginErr), r.loginErr)
		b.LoginProfileError = b.loginProfileErr.Error()
	}
	if r.devicesErr != nil {
		b.mfaErr = locale.Wrap(locale.M("listing the MFA devices of %q: %v", target.UserName, r.devicesErr), r.devicesErr)
		b.MFAError = b.mfaErr.Error()
	}
	snap.Baseline = b
	return snap
}

// rootFacts are root's credentials as read, from the root session or the
// account summary.
func (r *reads) rootFacts(a Account) RootFacts {
	if r.rootSession {
		if r.rootErr != nil {
			return RootFacts{Unreadable: r.rootErr.Error(), unreadableErr: r.rootErr}
		}
		return r.root.Facts()
	}
	f := RootFacts{
		AccessKeysPresent:  r.summary.RootAccessKeysPresent,
		MFAEnabled:         r.summary.RootMFAEnabled,
		PasswordPresent:    r.summary.RootPasswordPresent,
		CertificatePresent: r.summary.RootCertificatesPresent,
		VirtualMFAUnknown:  r.virtualMFAErr != nil,
	}
	rootARN := fmt.Sprintf("arn:%s:iam::%s:root", a.Partition, a.ID)
	for _, d := range r.virtualMFAs {
		if d.UserARN == rootARN {
			f.VirtualMFA = true
		}
	}
	return f
}

// grants are the account's principals with what is attached to them.
type grants struct {
	users  []UserGrants
	groups []GroupGrants
	roles  []RoleGrants
}

// readAuthorizationDetails lists every user, group and role with what is
// attached to it, 1,000 entities a page: the only IAM call that tells
// whether users hold inline policies, and who holds a managed policy, without
// one call per user.
func readAuthorizationDetails(ctx context.Context, api iam.GetAccountAuthorizationDetailsAPIClient) (grants, error) {
	var g grants
	p := iam.NewGetAccountAuthorizationDetailsPaginator(api, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup, types.EntityTypeRole},
		MaxItems: aws.Int32(pageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return grants{}, locale.Wrap(locale.M("listing users, groups and roles with their policies (GetAccountAuthorizationDetails): %v", err), err)
		}
		for _, u := range page.UserDetailList {
			ug := UserGrants{Name: aws.ToString(u.UserName), Groups: u.GroupList, AttachedPolicies: policyARNs(u.AttachedManagedPolicies)}
			for _, i := range u.UserPolicyList {
				ug.InlinePolicies = append(ug.InlinePolicies, aws.ToString(i.PolicyName))
			}
			g.users = append(g.users, ug)
		}
		for _, gd := range page.GroupDetailList {
			gg := GroupGrants{Name: aws.ToString(gd.GroupName), AttachedPolicies: policyARNs(gd.AttachedManagedPolicies), InlinePolicies: map[string]string{}}
			for _, i := range gd.GroupPolicyList {
				// IAM returns documents URL-encoded; one that does not
				// decode is kept as it is and compares as different.
				doc, err := url.QueryUnescape(aws.ToString(i.PolicyDocument))
				if err != nil {
					doc = aws.ToString(i.PolicyDocument)
				}
				gg.InlinePolicies[aws.ToString(i.PolicyName)] = doc
			}
			g.groups = append(g.groups, gg)
		}
		for _, rd := range page.RoleDetailList {
			g.roles = append(g.roles, RoleGrants{Name: aws.ToString(rd.RoleName), AttachedPolicies: policyARNs(rd.AttachedManagedPolicies)})
		}
	}
	return g, nil
}

func policyARNs(attached []types.AttachedPolicy) []string {
	var out []string
	for _, a := range attached {
		out = append(out, aws.ToString(a.PolicyArn))
	}
	return out
}
