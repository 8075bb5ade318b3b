package baseline_test

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

type stepClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *stepClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *stepClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func planApply(t *testing.T, deps baseline.Deps, spec baseline.Spec) baseline.Plan {
	t.Helper()
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	plan := baseline.MakePlan(spec, st)
	if _, err := baseline.Apply(ctx, plan, deps); err != nil {
		t.Fatal(err)
	}
	return plan
}

// The support role: created with AWSSupportAccess, then nothing to do; a
// role left without the policy gets it; the administrator assumes it only
// with MFA.
func TestApplySupportRole(t *testing.T) {
	ctx := context.Background()
	clock := &stepClock{now: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)}
	srv := iamsim.NewServer(iamsim.Options{Now: clock.Now})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	client := iam.NewFromConfig(cfg)
	deps := baseline.Deps{IAM: client, STS: sts.NewFromConfig(cfg), Rand: rand.Reader}
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	spec.SupportRole = "support"

	if c := stepOf(t, planApply(t, deps, spec), baseline.StepSupportRole); c.Action != baseline.ActionCreate {
		t.Fatalf("first run: %s", c.Action)
	}
	role, err := client.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("support")})
	if err != nil {
		t.Fatal(err)
	}
	if doc := aws.ToString(role.Role.AssumeRolePolicyDocument); !strings.Contains(doc, "arn:aws:iam::123456789012:root") && !strings.Contains(doc, "arn%3Aaws%3Aiam%3A%3A123456789012%3Aroot") {
		t.Errorf("trust policy %s does not name the account", doc)
	}
	srv.Sim.ResetLog()
	if c := stepOf(t, planApply(t, deps, spec), baseline.StepSupportRole); c.Action != baseline.ActionNone {
		t.Fatalf("second run: %s", c.Action)
	}
	if n := len(srv.Sim.MutatingRequests()); n != 0 {
		t.Errorf("the second run made %d changes", n)
	}

	// An interrupted run left the role without its policy.
	if _, err := client.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("support"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess")}); err != nil {
		t.Fatal(err)
	}
	if c := stepOf(t, planApply(t, deps, spec), baseline.StepSupportRole); c.Action != baseline.ActionUpdate {
		t.Fatalf("after detaching: %s", c.Action)
	}
	attached, err := client.ListAttachedRolePolicies(ctx, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String("support")})
	if err != nil || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "AWSSupportAccess" {
		t.Fatalf("attached %+v, %v", attached, err)
	}

	// The administrator (AdministratorAccess through the group) assumes it
	// with MFA, and not without.
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("administrator")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		t.Fatal(err)
	}
	seed := string(dev.VirtualMFADevice.Base32StringSeed)
	code := func(at time.Time) string {
		c, err := iamsim.TOTP(seed, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := clock.Now()
	if _, err := client.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(code(now.Add(-30 * time.Second))), AuthenticationCode2: aws.String(code(now))}); err != nil {
		t.Fatal(err)
	}
	clock.advance(30 * time.Second)
	adminSTS := sts.NewFromConfig(iamsim.ClientConfig(srv.URL, aws.ToString(key.AccessKey.AccessKeyId)))
	assume := &sts.AssumeRoleInput{RoleArn: role.Role.Arn, RoleSessionName: aws.String("support-case")}
	if _, err := adminSTS.AssumeRole(ctx, assume); err == nil {
		t.Fatal("the administrator assumed the support role without MFA")
	}
	sess, err := adminSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: dev.VirtualMFADevice.SerialNumber, TokenCode: aws.String(code(clock.Now()))})
	if err != nil {
		t.Fatal(err)
	}
	mfaSTS := sts.NewFromConfig(iamsim.ClientConfig(srv.URL, aws.ToString(sess.Credentials.AccessKeyId)))
	if _, err := mfaSTS.AssumeRole(ctx, assume); err != nil {
		t.Fatalf("the administrator with MFA cannot assume the support role: %v", err)
	}
}

// The security contact: registered, then nothing to do, then replaced when
// another is asked for.
func TestApplySecurityContact(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	acct := account.NewFromConfig(cfg)
	deps := baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Account: acct, Rand: rand.Reader}
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	spec.SecurityContact = &baseline.SecurityContact{Name: "Sec Team", Title: "Security", Email: "security@example.com", Phone: "+1 555 0100"}
	if a := stepOf(t, planApply(t, deps, spec), baseline.StepSecurityContact).Action; a != baseline.ActionCreate {
		t.Fatalf("first run: %s", a)
	}
	got, err := baseline.ReadSecurityContact(context.Background(), acct)
	if err != nil || got == nil || *got != *spec.SecurityContact {
		t.Fatalf("contact %+v, %v", got, err)
	}
	srv.Sim.ResetLog()
	if a := stepOf(t, planApply(t, deps, spec), baseline.StepSecurityContact).Action; a != baseline.ActionNone {
		t.Fatalf("second run: %s", a)
	}
	if n := len(srv.Sim.MutatingRequests()); n != 0 {
		t.Errorf("the second run made %d changes", n)
	}
	spec.SecurityContact.Email = "secops@example.com"
	if a := stepOf(t, planApply(t, deps, spec), baseline.StepSecurityContact).Action; a != baseline.ActionUpdate {
		t.Fatalf("another contact: %s", a)
	}
	if got, _ := baseline.ReadSecurityContact(context.Background(), acct); got == nil || got.Email != "secops@example.com" {
		t.Fatalf("contact %+v", got)
	}
}

// The analyzers: created in every enabled region lacking one, at once; one
// left by an interrupted run (same name) counts as made; then nothing to do.
func TestApplyAccessAnalyzer(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	aa := accessanalyzer.NewFromConfig(cfg)
	deps := baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Account: account.NewFromConfig(cfg), AccessAnalyzer: aa, Rand: rand.Reader}
	ctx := context.Background()
	regions, err := baseline.ReadEnabledRegions(ctx, deps.Account)
	if err != nil || len(regions) < 3 {
		t.Fatalf("regions %v, %v", regions, err)
	}
	// An interrupted run made the analyzer in one region but did not see
	// the answer: the plan still lists it (read before), and the create
	// meets a ConflictException.
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	spec.AccessAnalyzer = true
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	plan := baseline.MakePlan(spec, st)
	if _, err := aa.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String(baseline.AnalyzerName), Type: aatypes.TypeAccount},
		func(o *accessanalyzer.Options) { o.Region = regions[1] }); err != nil {
		t.Fatal(err)
	}
	srv.Sim.ResetLog()
	if _, err := baseline.Apply(ctx, plan, deps); err != nil {
		t.Fatal(err)
	}
	creates := 0
	for _, e := range srv.Sim.Log() {
		if e.Action == "CreateAnalyzer" {
			creates++
		}
	}
	if creates != len(regions) {
		t.Errorf("%d CreateAnalyzer for %d regions", creates, len(regions))
	}
	for _, ra := range baseline.ReadAnalyzers(ctx, aa, regions, len(regions)) {
		if ra.Err != nil || len(ra.Active) != 1 {
			t.Errorf("%s: analyzers %v, %v", ra.Region, ra.Active, ra.Err)
		}
	}
	srv.Sim.ResetLog()
	if c := stepOf(t, planApply(t, deps, spec), baseline.StepAccessAnalyzer); c.Action != baseline.ActionNone {
		t.Fatalf("second run: %s", c.Action)
	}
	if n := len(srv.Sim.MutatingRequests()); n != 0 {
		t.Errorf("the second run made %d changes", n)
	}
}
