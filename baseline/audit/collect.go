package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
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
// 1,000 users.
func Collect(ctx context.Context, deps Deps, target Target) (Snapshot, error) {
	if deps.Clock == nil {
		deps.Clock = SystemClock{}
	}
	var (
		snap Snapshot
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	run := func(f func()) {
		wg.Add(1)
		go func() { defer wg.Done(); f() }()
	}
	var callerARN string
	var summary map[string]int32
	var virtualMFAs []types.VirtualMFADevice
	var virtualMFAErr error

	run(func() {
		out, err := deps.STS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			fail(fmt.Errorf("finding out who is calling (sts GetCallerIdentity): %w", err))
			return
		}
		callerARN = aws.ToString(out.Arn)
		snap.Account.ID = aws.ToString(out.Account)
	})
	run(func() {
		out, err := deps.IAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
		if err != nil {
			fail(fmt.Errorf("reading the account summary: %w", err))
			return
		}
		summary = out.SummaryMap
	})
	run(func() {
		out, err := deps.IAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
		var none *types.NoSuchEntityException
		switch {
		case errors.As(err, &none):
		case err != nil:
			fail(fmt.Errorf("reading the account password policy: %w", err))
		default:
			p := out.PasswordPolicy
			snap.PasswordPolicy = &PasswordPolicy{
				MinimumPasswordLength:   aws.ToInt32(p.MinimumPasswordLength),
				PasswordReusePrevention: aws.ToInt32(p.PasswordReusePrevention),
			}
		}
	})
	run(func() {
		users, groups, err := readAuthorizationDetails(ctx, deps.IAM)
		if err != nil {
			fail(err)
			return
		}
		snap.Users, snap.Groups = users, groups
	})
	run(func() {
		report, err := FetchCredentialReport(ctx, deps.IAM, deps.Clock, deps.ReportWait)
		if err != nil {
			if ctx.Err() != nil {
				fail(err)
				return
			}
			snap.CredentialReportError = err.Error()
			return
		}
		snap.CredentialReport = &report
	})
	run(func() {
		_, err := deps.IAM.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(target.UserName)})
		var none *types.NoSuchEntityException
		switch {
		case errors.As(err, &none):
		case err != nil:
			snap.Baseline.LoginProfileError = fmt.Sprintf("reading the login profile of %q: %v", target.UserName, err)
		default:
			snap.Baseline.LoginProfile = true
		}
	})
	run(func() {
		out, err := deps.IAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(target.UserName)})
		var none *types.NoSuchEntityException
		switch {
		case errors.As(err, &none):
		case err != nil:
			snap.Baseline.MFAError = fmt.Sprintf("listing the MFA devices of %q: %v", target.UserName, err)
		default:
			snap.Baseline.MFADevices = len(out.MFADevices)
		}
	})
	run(func() {
		// Only the root user's device matters, but IAM cannot filter by
		// user: this lists assigned virtual devices 1,000 a page.
		p := iam.NewListVirtualMFADevicesPaginator(deps.IAM, &iam.ListVirtualMFADevicesInput{
			AssignmentStatus: types.AssignmentStatusTypeAssigned, MaxItems: aws.Int32(pageSize)})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				virtualMFAErr = err
				return
			}
			virtualMFAs = append(virtualMFAs, page.VirtualMFADevices...)
		}
	})
	wg.Wait()
	if len(errs) > 0 {
		return Snapshot{}, errors.Join(errs...)
	}

	snap.Now = deps.Clock.Now().UTC()
	snap.Account.CallerARN = callerARN
	snap.Account.Partition = partitionOf(callerARN)
	snap.Account.IsRoot = strings.HasSuffix(callerARN, ":root")
	snap.Root = RootFacts{
		AccessKeysPresent:  summary[string(types.SummaryKeyTypeAccountAccessKeysPresent)] > 0,
		MFAEnabled:         summary[string(types.SummaryKeyTypeAccountMFAEnabled)] > 0,
		PasswordPresent:    summary[string(types.SummaryKeyTypeAccountPasswordPresent)] > 0,
		CertificatePresent: summary[string(types.SummaryKeyTypeAccountSigningCertificatesPresent)] > 0,
		VirtualMFAUnknown:  virtualMFAErr != nil,
	}
	rootARN := fmt.Sprintf("arn:%s:iam::%s:root", snap.Account.Partition, snap.Account.ID)
	for _, d := range virtualMFAs {
		if d.User != nil && aws.ToString(d.User.Arn) == rootARN {
			snap.Root.VirtualMFA = true
		}
	}
	snap.Baseline.GroupName = target.GroupName
	snap.Baseline.UserName = target.UserName
	snap.Baseline.PolicyARN = AdministratorAccessARN(snap.Account.Partition)
	return snap, nil
}

// AdministratorAccessARN is the AWS-managed AdministratorAccess policy in the
// partition.
func AdministratorAccessARN(partition string) string {
	return "arn:" + partition + ":iam::aws:policy/AdministratorAccess"
}

// partitionOf reads the partition from an ARN ("arn:aws-us-gov:iam::...").
func partitionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 3)
	if len(parts) < 3 || parts[1] == "" {
		return "aws"
	}
	return parts[1]
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
			g := GroupGrants{Name: aws.ToString(gd.GroupName)}
			for _, a := range gd.AttachedManagedPolicies {
				g.AttachedPolicies = append(g.AttachedPolicies, aws.ToString(a.PolicyArn))
			}
			groups = append(groups, g)
		}
	}
	return users, groups, nil
}
