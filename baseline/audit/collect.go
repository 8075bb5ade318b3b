package audit

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
)

// IAMAPI is the part of the IAM client status reads with. Every call is a
// read except GenerateCredentialReport, which only asks AWS to build the
// report.
type IAMAPI interface {
	CredentialReportAPI
	iam.GetAccountAuthorizationDetailsAPIClient
	iam.ListVirtualMFADevicesAPIClient
	GetAccountSummary(ctx context.Context, in *iam.GetAccountSummaryInput, opts ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
	GetAccountPasswordPolicy(ctx context.Context, in *iam.GetAccountPasswordPolicyInput, opts ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error)
	GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput, opts ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error)
	ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, opts ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
}

// STSAPI tells who is calling.
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, opts ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// Deps are status's side effects.
type Deps struct {
	IAM   IAMAPI
	STS   STSAPI
	Clock Clock
	// ReportWait bounds the wait for a credential report being generated;
	// zero means DefaultReportWait.
	ReportWait time.Duration
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
// 1,000 users. The reads run on baseline's one concurrency runner; each
// keeps its own answer, and the Snapshot is assembled once all have
// answered.
func Collect(ctx context.Context, deps Deps, target Target) (Snapshot, error) {
	if deps.Clock == nil {
		deps.Clock = SystemClock{}
	}
	c := &collector{deps: deps, target: target}
	err := baseline.ReadConcurrently(ctx, 0, []baseline.Read{
		{Fn: c.readCaller}, {Fn: c.readSummary}, {Fn: c.readPasswordPolicy}, {Fn: c.readGrants},
		{Fn: c.readCredentialReport}, {Fn: c.readLoginProfile}, {Fn: c.readMFADevices}, {Fn: c.readVirtualMFAs},
	})
	if err != nil {
		return Snapshot{}, err
	}
	return c.snapshot(), nil
}

// collector holds each read's answer until all have answered. Reads whose
// failure the report can carry (the credential report, the baseline user's
// login profile and devices, root's virtual MFA) record it instead of
// failing.
type collector struct {
	deps   Deps
	target Target
	// snap's fields are each written by one read only.
	snap          Snapshot
	caller        baseline.Caller
	summary       map[string]int32
	virtualMFAs   []types.VirtualMFADevice
	virtualMFAErr error
}

func (c *collector) readCaller(ctx context.Context) error {
	out, err := c.deps.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err == nil {
		c.caller, err = baseline.ParseCallerARN(aws.ToString(out.Arn))
	}
	if err != nil {
		return fmt.Errorf("finding out who is calling (sts GetCallerIdentity): %w", err)
	}
	c.snap.Account.ID = aws.ToString(out.Account)
	return nil
}

func (c *collector) readSummary(ctx context.Context) error {
	out, err := c.deps.IAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return fmt.Errorf("reading the account summary: %w", err)
	}
	c.summary = out.SummaryMap
	return nil
}

func (c *collector) readPasswordPolicy(ctx context.Context) error {
	out, err := c.deps.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	switch {
	case baseline.IsNoSuchEntity(err):
	case err != nil:
		return fmt.Errorf("reading the account password policy: %w", err)
	default:
		p := out.PasswordPolicy
		c.snap.PasswordPolicy = &PasswordPolicy{
			MinimumPasswordLength:   aws.ToInt32(p.MinimumPasswordLength),
			PasswordReusePrevention: aws.ToInt32(p.PasswordReusePrevention),
		}
	}
	return nil
}

func (c *collector) readGrants(ctx context.Context) error {
	users, groups, err := readAuthorizationDetails(ctx, c.deps.IAM)
	c.snap.Users, c.snap.Groups = users, groups
	return err
}

func (c *collector) readCredentialReport(ctx context.Context) error {
	report, err := FetchCredentialReport(ctx, c.deps.IAM, c.deps.Clock, c.deps.ReportWait)
	switch {
	case err != nil && ctx.Err() != nil:
		return err
	case err != nil:
		c.snap.CredentialReportError = err.Error()
	default:
		c.snap.CredentialReport = &report
	}
	return nil
}

func (c *collector) readLoginProfile(ctx context.Context) error {
	_, err := c.deps.IAM.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(c.target.UserName)})
	switch {
	case baseline.IsNoSuchEntity(err):
	case err != nil:
		c.snap.Baseline.LoginProfileError = fmt.Sprintf("reading the login profile of %q: %v", c.target.UserName, err)
	default:
		c.snap.Baseline.LoginProfile = true
	}
	return nil
}

func (c *collector) readMFADevices(ctx context.Context) error {
	out, err := c.deps.IAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(c.target.UserName)})
	switch {
	case baseline.IsNoSuchEntity(err):
	case err != nil:
		c.snap.Baseline.MFAError = fmt.Sprintf("listing the MFA devices of %q: %v", c.target.UserName, err)
	default:
		c.snap.Baseline.MFADevices = len(out.MFADevices)
	}
	return nil
}

// readVirtualMFAs lists assigned virtual devices 1,000 a page: only the
// root user's device matters, but IAM cannot filter by user.
func (c *collector) readVirtualMFAs(ctx context.Context) error {
	p := iam.NewListVirtualMFADevicesPaginator(c.deps.IAM, &iam.ListVirtualMFADevicesInput{
		AssignmentStatus: types.AssignmentStatusTypeAssigned, MaxItems: aws.Int32(pageSize)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			c.virtualMFAErr = err
			return nil
		}
		c.virtualMFAs = append(c.virtualMFAs, page.VirtualMFADevices...)
	}
	return nil
}

// snapshot assembles the answers.
func (c *collector) snapshot() Snapshot {
	snap := c.snap
	snap.Now = c.deps.Clock.Now().UTC()
	snap.Account.CallerARN = c.caller.ARN
	snap.Account.Partition = c.caller.Partition
	snap.Account.IsRoot = c.caller.IsRoot
	summary := c.summary
	snap.Root = RootFacts{
		AccessKeysPresent:  summary[string(types.SummaryKeyTypeAccountAccessKeysPresent)] > 0,
		MFAEnabled:         summary[string(types.SummaryKeyTypeAccountMFAEnabled)] > 0,
		PasswordPresent:    summary[string(types.SummaryKeyTypeAccountPasswordPresent)] > 0,
		CertificatePresent: summary[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)] > 0,
		VirtualMFAUnknown:  c.virtualMFAErr != nil,
	}
	rootARN := fmt.Sprintf("arn:%s:iam::%s:root", snap.Account.Partition, snap.Account.ID)
	for _, d := range c.virtualMFAs {
		if d.User != nil && aws.ToString(d.User.Arn) == rootARN {
			snap.Root.VirtualMFA = true
		}
	}
	snap.Baseline.GroupName = c.target.GroupName
	snap.Baseline.UserName = c.target.UserName
	snap.Baseline.PolicyARN = baseline.AdminPolicyARN(snap.Account.Partition)
	return snap
}

// readAuthorizationDetails lists every user and group with what is attached
// to it, 1,000 entities a page: the only IAM call that tells whether users
// hold inline policies without one call per user.
func readAuthorizationDetails(ctx context.Context, api iam.GetAccountAuthorizationDetailsAPIClient) ([]UserGrants, []GroupGrants, error) {
	var users []UserGrants
	var groups []GroupGrants
	p := iam.NewGetAccountAuthorizationDetailsPaginator(api, &iam.GetAccountAuthorizationDetailsInput{
		Filter:   []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup},
		MaxItems: aws.Int32(pageSize),
	})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("listing users and groups with their policies (GetAccountAuthorizationDetails): %w", err)
		}
		for _, u := range page.UserDetailList {
			g := UserGrants{Name: aws.ToString(u.UserName), Groups: u.GroupList}
			for _, a := range u.AttachedManagedPolicies {
				g.AttachedPolicies = append(g.AttachedPolicies, aws.ToString(a.PolicyArn))
			}
			for _, i := range u.UserPolicyList {
				g.InlinePolicies = append(g.InlinePolicies, aws.ToString(i.PolicyName))
			}
			users = append(users, g)
		}
		for _, gd := range page.GroupDetailList {
			g := GroupGrants{Name: aws.ToString(gd.GroupName), InlinePolicies: map[string]string{}}
			for _, a := range gd.AttachedManagedPolicies {
				g.AttachedPolicies = append(g.AttachedPolicies, aws.ToString(a.PolicyArn))
			}
			for _, i := range gd.GroupPolicyList {
				// IAM returns documents URL-encoded; one that does not
				// decode is kept as it is and compares as different.
				doc, err := url.QueryUnescape(aws.ToString(i.PolicyDocument))
				if err != nil {
					doc = aws.ToString(i.PolicyDocument)
				}
				g.InlinePolicies[aws.ToString(i.PolicyName)] = doc
			}
			groups = append(groups, g)
		}
	}
	return users, groups, nil
}
