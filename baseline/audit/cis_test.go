package audit_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"golang.org/x/text/language"

	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

const trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`

func (e *env) roleWith(name, policy string) {
	e.t.Helper()
	e.must(e.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trustAccount)}))
	e.must(e.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/" + policy)}))
}

func TestSupportRoleAndCloudShellAgainstIAMSim(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	r := e.status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckSupportRole:      audit.ResultFail,
		audit.CheckCloudShellAccess: audit.ResultPass,
	})
	e.roleWith("support", "AWSSupportAccess")
	e.roleWith("shell", "AWSCloudShellFullAccess")
	r = e.status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckSupportRole:      audit.ResultPass,
		audit.CheckCloudShellAccess: audit.ResultFail,
	})
	if d := finding(t, r, audit.CheckSupportRole).Detail; !strings.Contains(d.String(), "role support") {
		t.Errorf("support detail %q does not name the role", d)
	}
	if o := finding(t, r, audit.CheckCloudShellAccess).Offenders; strings.Join(locale.English.Msgs(o), "|") != "role shell" {
		t.Errorf("cloudshell offenders %q, want the role", o)
	}
}

func TestSetupAccessKeysAgainstIAMSim(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.createUser("ci", false)
	e.createAccessKey("ci")
	if f := finding(t, e.status(), audit.CheckSetupAccessKeys); f.Result != audit.ResultPass {
		t.Fatalf("a key-only user: %s (%s)", f.Result, f.Detail)
	}
	e.createUser("alice", true)
	e.createAccessKey("alice")
	e.clock.Advance(ReportMaxAgePlus)
	f := finding(t, e.status(), audit.CheckSetupAccessKeys)
	if f.Result != audit.ResultFail || !strings.HasPrefix(strings.Join(locale.English.Msgs(f.Offenders), "|"), "alice: access key 1 was never used") {
		t.Fatalf("%s %q", f.Result, f.Offenders)
	}
}

func TestRootUsageAgainstIAMSim(t *testing.T) {
	e := newEnv(t)
	// Root signs every request of the test: its key was used just now.
	f := finding(t, e.status(), audit.CheckRootUsage)
	if f.Result != audit.ResultFail || !f.Informational || !strings.Contains(f.Detail.String(), "access key 1 last used") {
		t.Fatalf("%s informational=%v %q", f.Result, f.Informational, f.Detail)
	}
}

// noRootRow is an endpoint whose credential report leaves out the
// <root_account> row, which AWS always writes.
type noRootRow struct{ *iam.Client }

func (c noRootRow) GetCredentialReport(ctx context.Context, in *iam.GetCredentialReportInput, opts ...func(*iam.Options)) (*iam.GetCredentialReportOutput, error) {
	out, err := c.Client.GetCredentialReport(ctx, in, opts...)
	if err != nil {
		return out, err
	}
	var kept [][]byte
	for _, line := range bytes.Split(out.Content, []byte("\n")) {
		if !bytes.HasPrefix(line, []byte(audit.RootAccountRow+",")) {
			kept = append(kept, line)
		}
	}
	out.Content = bytes.Join(kept, []byte("\n"))
	return out, nil
}

func TestRootWithoutCredentials(t *testing.T) {
	e := rootlessEnv(t)
	r := e.status()
	f := finding(t, r, audit.CheckRootMFA)
	if f.Result != audit.ResultNotApplicable || strings.Contains(f.Detail.String(), "centralized") || !strings.Contains(f.Detail.String(), "as in a member account created by AWS Organizations") {
		t.Errorf("standalone account: %s %q", f.Result, f.Detail)
	}

	deps := e.deps()
	deps.IAM = noRootRow{e.iam}
	snap, err := audit.Collect(ctx, deps, target)
	if err != nil {
		t.Fatal(err)
	}
	r = audit.Evaluate(snap)
	for _, id := range []string{audit.CheckRootAccessKeys, audit.CheckRootMFA, audit.CheckRootHardwareMFA, audit.CheckRootUsage} {
		if f := finding(t, r, id); f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "could not be read") {
			t.Errorf("report without a root row: %s = %s %q, want manual", id, f.Result, f.Detail)
		}
	}
	if r.Account.RootCredentialsRemoved {
		t.Error("a report without a root row must not say root's credentials were removed")
	}
}

func TestCentralizedRootAccessAgainstIAMSim(t *testing.T) {
	clock := newFakeClock()
	srv := iamsim.NewServer(iamsim.Options{MemberAccounts: 2, Seed: 1, Now: clock.Now})
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, sim: srv.Sim, clock: clock}
	e.iam, e.sts = e.clients(iamsim.DefaultRootAccessKeyID)
	e.account = account.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	e.aa = accessanalyzer.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	e.baseline("aws")

	f := finding(t, e.status(), audit.CheckCentralRootAccess)
	if f.Result != audit.ResultFail || !strings.Contains(f.Detail.String(), "trusted access for IAM") {
		t.Fatalf("trusted access off: %s %q", f.Result, f.Detail)
	}
	org := organizations.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	e.must(org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}))
	e.must(e.iam.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}))
	f = finding(t, e.status(), audit.CheckCentralRootAccess)
	if f.Result != audit.ResultFail || f.Detail.String() != "root sessions not enabled" {
		t.Fatalf("sessions off: %s %q", f.Result, f.Detail)
	}
	e.must(e.iam.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}))
	if f = finding(t, e.status(), audit.CheckCentralRootAccess); f.Result != audit.ResultPass {
		t.Fatalf("both on: %s %q", f.Result, f.Detail)
	}

	standalone := newEnv(t)
	if f := finding(t, standalone.status(), audit.CheckCentralRootAccess); f.Result != audit.ResultNotApplicable {
		t.Errorf("standalone: %s %q", f.Result, f.Detail)
	}
}

func TestStaleReportYieldsToLiveReads(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	if f := finding(t, e.status(), audit.CheckConsoleUsersMFA); f.Result != audit.ResultFail {
		t.Fatalf("before MFA: %s", f.Result)
	}
	// Within the report's four hours status reuses it: it still lists
	// the administrator without MFA.
	e.enableMFA("administrator")
	f := finding(t, e.status(), audit.CheckConsoleUsersMFA)
	if f.Result != audit.ResultPass || !strings.Contains(f.Detail.String(), "a live read finds its MFA device: the live read wins") {
		t.Fatalf("after MFA: %s %q", f.Result, f.Detail)
	}
}

func TestSecurityContactAgainstIAMSim(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	if f := finding(t, e.status(), audit.CheckSecurityContact); f.Result != audit.ResultFail || f.Fix == nil {
		t.Fatalf("no contact: %s %q", f.Result, f.Detail)
	}
	e.must(e.account.PutAlternateContact(ctx, &account.PutAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity,
		Name: aws.String("Sec Team"), Title: aws.String("Security"), EmailAddress: aws.String("security@example.com"), PhoneNumber: aws.String("+1 555 0100")}))
	if f := finding(t, e.status(), audit.CheckSecurityContact); f.Result != audit.ResultPass || !strings.Contains(f.Detail.String(), "security@example.com") {
		t.Fatalf("contact set: %s %q", f.Result, f.Detail)
	}
	// A caller that may not read it gets MANUAL, and the audit goes on.
	e.sim.AddFault(iamsim.Fault{Action: "GetAlternateContact", Code: "AccessDeniedException", Message: "not allowed", Status: 403})
	snap, err := audit.Collect(ctx, e.deps(), target)
	if err != nil {
		t.Fatal(err)
	}
	if f := finding(t, audit.Evaluate(snap), audit.CheckSecurityContact); f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "AccessDenied") {
		t.Fatalf("denied: %s %q", f.Result, f.Detail)
	}
	if errs := snap.CarriedErrors(); len(errs) != 1 || !strings.Contains(errs[0], "GetAlternateContact") {
		t.Errorf("carried errors %q", errs)
	}
}

// enabledRegions are the account's regions as ListRegions gives them.
func (e *env) enabledRegions() []string {
	e.t.Helper()
	regions, err := baseline.ReadEnabledRegions(ctx, e.account)
	if err != nil || len(regions) == 0 {
		e.t.Fatalf("regions %v, %v", regions, err)
	}
	return regions
}

func (e *env) createAnalyzer(region, kind string) {
	e.t.Helper()
	e.must(e.aa.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("account-analyzer"), Type: aatypes.Type(kind)},
		func(o *accessanalyzer.Options) { o.Region = region }))
}

func TestAccessAnalyzerAgainstIAMSim(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	regions := e.enabledRegions()
	f := finding(t, e.status(), audit.CheckAccessAnalyzer)
	if f.Result != audit.ResultFail || len(f.Offenders) != len(regions) {
		t.Fatalf("no analyzers: %s %q, want every one of %d regions", f.Result, f.Offenders, len(regions))
	}
	// An unused-access analyzer is not the external-access one CIS asks for.
	e.createAnalyzer(regions[0], "ACCOUNT_UNUSED_ACCESS")
	for _, r := range regions[1:] {
		e.createAnalyzer(r, "ACCOUNT")
	}
	f = finding(t, e.status(), audit.CheckAccessAnalyzer)
	if f.Result != audit.ResultFail || strings.Join(locale.English.Msgs(f.Offenders), "|") != regions[0] {
		t.Fatalf("one region left: %s %q, want %s", f.Result, f.Offenders, regions[0])
	}
	e.must(e.aa.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("external"), Type: aatypes.TypeAccount},
		func(o *accessanalyzer.Options) { o.Region = regions[0] }))
	if f = finding(t, e.status(), audit.CheckAccessAnalyzer); f.Result != audit.ResultPass {
		t.Fatalf("every region: %s %q", f.Result, f.Detail)
	}
	// The regions are read concurrently: one ListAnalyzers per region, no
	// more.
	e.sim.ResetLog()
	e.status()
	if n := e.count("ListAnalyzers"); n != len(regions) {
		t.Errorf("%d ListAnalyzers for %d regions", n, len(regions))
	}

	e.sim.AddFault(iamsim.Fault{Action: "ListAnalyzers", Nth: 2, Code: "AccessDeniedException", Message: "not allowed", Status: 403})
	if f = finding(t, e.status(), audit.CheckAccessAnalyzer); f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "could not be listed") {
		t.Fatalf("a region denied: %s %q", f.Result, f.Detail)
	}
	e.sim.ClearFaults()
	e.sim.AddFault(iamsim.Fault{Action: "ListRegions", Code: "AccessDeniedException", Message: "not allowed", Status: 403})
	if f = finding(t, e.status(), audit.CheckAccessAnalyzer); f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "account:ListRegions") {
		t.Fatalf("regions denied: %s %q", f.Result, f.Detail)
	}
}

func TestCollectNeedsEveryClient(t *testing.T) {
	e := newEnv(t)
	deps := e.deps()
	deps.AccessAnalyzer = nil
	if _, err := audit.Collect(ctx, deps, target); err == nil || !strings.Contains(err.Error(), "no Account or Access Analyzer client") {
		t.Fatalf("err %v", err)
	}
	if n := len(e.sim.Log()); n != 0 {
		t.Errorf("%d requests before the error", n)
	}
}

// TestUnreadPartsInKorean: a finding that says why a part could not be read
// words the read's context in the reader's language, and keeps the English
// as it was in JSON and in the plain text.
func TestUnreadPartsInKorean(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.sim.AddFault(iamsim.Fault{Action: "GetLoginProfile", Code: "AccessDenied", Message: "not allowed", Status: 403})
	f := finding(t, e.status(), audit.CheckBaselineUser)
	en := f.Detail.String()
	if f.Result != audit.ResultManual || !strings.HasPrefix(en, `reading the login profile of "`+target.UserName+`": `) {
		t.Fatalf("login profile denied: %s %q", f.Result, en)
	}
	ko := locale.New(language.Korean).Msg(f.Detail)
	if !strings.HasPrefix(ko, `"`+target.UserName+`"의 로그인 프로필 읽기: `) || strings.Contains(ko, "reading") {
		t.Errorf("in Korean: %q", ko)
	}
}
