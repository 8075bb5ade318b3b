package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp/totp"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// statusHarness runs the real command line in-process against a simulator,
// signing with key.
type statusHarness struct {
	t   *testing.T
	srv *iamsim.Server
	key string
	iam *iam.Client
}

func newStatusHarness(t *testing.T, accounts ...iamsim.AccountConfig) *statusHarness {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{Accounts: accounts})
	t.Cleanup(srv.Close)
	h := &statusHarness{t: t, srv: srv, key: iamsim.DefaultRootAccessKeyID}
	h.iam = iam.NewFromConfig(iamsim.ClientConfig(srv.URL, h.key))
	return h
}

func (h *statusHarness) run(args ...string) (code int, stdout, stderr string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	env := newTestEnv(&out, &errOut, simAccount(h.srv.URL, h.key))
	code = run(context.Background(), env, append([]string{"iam-baseline"}, args...))
	return code, out.String(), errOut.String()
}

func (h *statusHarness) must(_ any, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatal(err)
	}
}

// fullBaseline sets up everything status checks for, root included, and
// switches the harness to sign as an auditor in the admin group: a
// key-only user, as a key made at the administrator's setup fails CIS.
func (h *statusHarness) fullBaseline() {
	h.t.Helper()
	c := h.iam
	h.must(c.CreateGroup(ctx(), &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	h.must(c.AttachGroupPolicy(ctx(), &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	h.must(c.CreateUser(ctx(), &iam.CreateUserInput{UserName: aws.String("administrator")}))
	h.must(c.CreateLoginProfile(ctx(), &iam.CreateLoginProfileInput{UserName: aws.String("administrator"), Password: aws.String("Correct-Horse-Battery-9x"), PasswordResetRequired: true}))
	h.must(c.AddUserToGroup(ctx(), &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	h.must(c.UpdateAccountPasswordPolicy(ctx(), &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14), PasswordReusePrevention: aws.Int32(24),
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, RequireNumbers: true, RequireSymbols: true}))
	h.must(c.CreateRole(ctx(), &iam.CreateRoleInput{RoleName: aws.String("support"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}))
	h.must(c.AttachRolePolicy(ctx(), &iam.AttachRolePolicyInput{RoleName: aws.String("support"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess")}))
	h.must(account.NewFromConfig(iamsim.ClientConfig(h.srv.URL, h.key)).PutAlternateContact(ctx(), &account.PutAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactTypeSecurity, Name: aws.String("Sec Team"), Title: aws.String("Security"),
		EmailAddress: aws.String("security@example.com"), PhoneNumber: aws.String("+1 555 0100")}))
	h.analyzeEveryRegion()
	dev, err := c.CreateVirtualMFADevice(ctx(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		h.t.Fatal(err)
	}
	seed := string(dev.VirtualMFADevice.Base32StringSeed)
	code1, _ := totp.GenerateCode(seed, time.Now().Add(-30*time.Second))
	code2, _ := totp.GenerateCode(seed, time.Now())
	h.must(c.EnableMFADevice(ctx(), &iam.EnableMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)}))
	h.must(c.PutGroupPolicy(ctx(), &iam.PutGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String(mfapolicy.Name),
		PolicyDocument: aws.String(mfapolicy.Document("aws").JSON())}))
	h.must(c.CreateUser(ctx(), &iam.CreateUserInput{UserName: aws.String("auditor")}))
	h.must(c.AddUserToGroup(ctx(), &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("auditor")}))
	key, err := c.CreateAccessKey(ctx(), &iam.CreateAccessKeyInput{UserName: aws.String("auditor")})
	if err != nil {
		h.t.Fatal(err)
	}
	auditDev, err := c.CreateVirtualMFADevice(ctx(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("auditor")})
	if err != nil {
		h.t.Fatal(err)
	}
	auditSeed := string(auditDev.VirtualMFADevice.Base32StringSeed)
	a1, _ := totp.GenerateCode(auditSeed, time.Now().Add(-30*time.Second))
	a2, _ := totp.GenerateCode(auditSeed, time.Now())
	h.must(c.EnableMFADevice(ctx(), &iam.EnableMFADeviceInput{UserName: aws.String("auditor"), SerialNumber: auditDev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(a1), AuthenticationCode2: aws.String(a2)}))
	// The group requires MFA: the auditor audits with an MFA session.
	code3, _ := totp.GenerateCode(auditSeed, time.Now().Add(30*time.Second))
	tok, err := sts.NewFromConfig(iamsim.ClientConfig(h.srv.URL, aws.ToString(key.AccessKey.AccessKeyId))).GetSessionToken(ctx(),
		&sts.GetSessionTokenInput{SerialNumber: auditDev.VirtualMFADevice.SerialNumber, TokenCode: aws.String(code3)})
	if err != nil {
		h.t.Fatal(err)
	}
	h.key = aws.ToString(tok.Credentials.AccessKeyId)
	h.srv.Sim.SetRoot(iamsim.DefaultAccountID, nil, true)
}

// analyzeEveryRegion creates an account analyzer in each enabled region.
func (h *statusHarness) analyzeEveryRegion() {
	h.t.Helper()
	cfg := iamsim.ClientConfig(h.srv.URL, h.key)
	regions, err := baseline.ReadEnabledRegions(ctx(), account.NewFromConfig(cfg))
	if err != nil {
		h.t.Fatal(err)
	}
	aa := accessanalyzer.NewFromConfig(cfg)
	for _, r := range regions {
		h.must(aa.CreateAnalyzer(ctx(), &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("account"), Type: aatypes.TypeAccount},
			func(o *accessanalyzer.Options) { o.Region = r }))
	}
}

func ctx() context.Context { return context.Background() }

// textResults reads the RESULT/CHECK table of the text view.
func textResults(t *testing.T, text string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	in := false
	for _, l := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(l, "RESULT"):
			in = true
		case in && l == "":
			return rows
		case in:
			f := strings.Fields(l)
			rows[f[1]] = f[0]
		}
	}
	t.Fatalf("no result table in:\n%s", text)
	return nil
}

func TestStatusFreshAccountFails(t *testing.T) {
	h := newStatusHarness(t)
	code, text, stderr := h.run("status")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitFindings, text, stderr)
	}
	rows := textResults(t, text)
	for _, id := range []string{audit.CheckRootAccessKeys, audit.CheckRootMFA, audit.CheckPasswordPolicy, audit.CheckBaselineGroup} {
		if rows[id] != "FAIL" {
			t.Errorf("%s: %q, want FAIL", id, rows[id])
		}
	}
	if !strings.Contains(text, "apply: with --delete-root-access-keys, deletes the root access keys") {
		t.Errorf("the root caller is not offered apply's key deletion:\n%s", text)
	}
	if n := len(h.srv.Sim.MutatingRequests()); n != 0 {
		t.Errorf("status made %d mutating requests", n)
	}

	// The JSON view says the same.
	code, js, _ := h.run("status", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("json: exit %d", code)
	}
	var report audit.Report
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, js)
	}
	if report.FormatVersion != audit.ReportFormatVersion || len(report.Findings) != len(rows) {
		t.Fatalf("format %d, %d findings, text has %d", report.FormatVersion, len(report.Findings), len(rows))
	}
	for _, f := range report.Findings {
		if want := f.Label(); rows[f.ID] != want {
			t.Errorf("%s: text %q, JSON %q", f.ID, rows[f.ID], f.Result)
		}
	}
	if !report.Failed() {
		t.Error("JSON summary does not fail")
	}
}

func TestStatusBaselinePasses(t *testing.T) {
	h := newStatusHarness(t)
	h.fullBaseline()
	code, text, stderr := h.run("status")
	if code != ExitOK {
		t.Fatalf("exit %d, want 0\n%s\n%s", code, text, stderr)
	}
	// The simulator's root MFA is a virtual device: IAM.6 reports it, as
	// information, and the audit still passes.
	for id, result := range textResults(t, text) {
		want := "PASS"
		switch id {
		case audit.CheckRootHardwareMFA:
			want = "INFO"
		case audit.CheckCentralRootAccess: // a standalone account
			want = "N/A"
		}
		if result != want {
			t.Errorf("%s: %s, want %s", id, result, want)
		}
	}
	if !strings.Contains(text, "as IAM identity arn:aws:iam::123456789012:user/auditor") {
		t.Errorf("caller not shown:\n%s", text)
	}
}

func TestStatusCentralizedRootAccess(t *testing.T) {
	acct := iamsim.DefaultAccount()
	acct.RootAccessKeyIDs = nil
	acct.RootCredentialsRemoved = true
	h := newStatusHarness(t, acct)
	code, js, _ := h.run("status", "--output=json")
	if code != ExitFindings { // the baseline is missing
		t.Fatalf("exit %d", code)
	}
	var report audit.Report
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatal(err)
	}
	for _, f := range report.Findings {
		if strings.HasPrefix(f.ID, "root-") && f.Result != audit.ResultNotApplicable {
			t.Errorf("%s = %s, want not_applicable", f.ID, f.Result)
		}
	}
}

func TestStatusUsageErrorsSendNothing(t *testing.T) {
	h := newStatusHarness(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"status", "--output", "yaml"}, "--output"},
		{[]string{"status", "--user", "bad name"}, "--user"},
		{[]string{"status", "--group", strings.Repeat("g", 129)}, "--group"},
		{[]string{"status", "--report-wait", "0s"}, "--report-wait"},
		{[]string{"status", "--no-such-flag"}, "no-such-flag"},
		{[]string{"status", "extra"}, "extra"},
	} {
		code, _, stderr := h.run(tc.args...)
		if code != ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming %s", tc.args, code, stderr, ExitUsage, tc.want)
		}
	}
	if n := len(h.srv.Sim.Log()); n != 0 {
		t.Errorf("usage errors sent %d requests", n)
	}
}

func TestStatusAWSErrorExitsOne(t *testing.T) {
	h := newStatusHarness(t)
	h.srv.Sim.AddFault(iamsim.Fault{Action: "GetAccountSummary", Code: "AccessDenied", Message: "not allowed"})
	code, stdout, stderr := h.run("status")
	if code != ExitError || stdout != "" || !strings.Contains(stderr, "reading the account (iam:GetAccountSummary)") || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestStatusGovCloud(t *testing.T) {
	acct := iamsim.DefaultAccount()
	acct.Partition = "aws-us-gov"
	h := newStatusHarness(t, acct)
	code, js, _ := h.run("status", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d", code)
	}
	var report audit.Report
	if err := json.Unmarshal([]byte(js), &report); err != nil {
		t.Fatal(err)
	}
	want := map[string]audit.Result{
		audit.CheckRootAccessKeys:  audit.ResultFail,
		audit.CheckRootMFA:         audit.ResultNotApplicable,
		audit.CheckRootHardwareMFA: audit.ResultNotApplicable,
	}
	for _, f := range report.Findings {
		if w, ok := want[f.ID]; ok && f.Result != w {
			t.Errorf("%s = %s, want %s", f.ID, f.Result, w)
		}
		if f.ID == audit.CheckBaselineGroup && !strings.Contains(f.Fix.Apply, "arn:aws-us-gov:iam::aws:policy/AdministratorAccess") {
			t.Errorf("group fix %q lacks the GovCloud policy ARN", f.Fix.Apply)
		}
	}
	if report.Account.Partition != "aws-us-gov" {
		t.Errorf("partition %q", report.Account.Partition)
	}
}
