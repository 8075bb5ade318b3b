package audit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/pquerna/otp/totp"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

const day = 24 * time.Hour

// enableMFA gives a user a virtual MFA device, with codes from the seed the
// simulator handed out.
func (e *env) enableMFA(user string) {
	e.t.Helper()
	out, err := e.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(user)})
	if err != nil {
		e.t.Fatal(err)
	}
	serial := aws.ToString(out.VirtualMFADevice.SerialNumber)
	seed := string(out.VirtualMFADevice.Base32StringSeed)
	now := e.clock.Now()
	code1, err1 := totp.GenerateCode(seed, now.Add(-30*time.Second))
	code2, err2 := totp.GenerateCode(seed, now)
	if err1 != nil || err2 != nil {
		e.t.Fatal(err1, err2)
	}
	e.must(e.iam.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code1), AuthenticationCode2: aws.String(code2)}))
}

func (e *env) createUser(name string, password bool) {
	e.t.Helper()
	e.must(e.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	if password {
		e.must(e.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name),
			Password: aws.String("Correct-Horse-Battery-9")}))
	}
}

func (e *env) createAccessKey(user string) string {
	e.t.Helper()
	out, err := e.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		e.t.Fatal(err)
	}
	return aws.ToString(out.AccessKey.AccessKeyId)
}

func (e *env) count(action string) int {
	n := 0
	for _, l := range e.sim.Log() {
		if l.Action == action {
			n++
		}
	}
	return n
}

func TestConsoleUsersWithoutMFA(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.createUser("alice", true)
	e.createUser("ci", false)
	r := e.status()
	f := finding(t, r, audit.CheckConsoleUsersMFA)
	want := "administrator: console password without MFA|alice: console password without MFA"
	if f.Result != audit.ResultFail || strings.Join(locale.English.Msgs(f.Offenders), "|") != want {
		t.Fatalf("%s %q, want fail with %q", f.Result, f.Offenders, want)
	}
	if r.CredentialReport == nil || r.CredentialReport.Users != 3 {
		t.Fatalf("credential report %+v", r.CredentialReport)
	}

	e.enableMFA("administrator")
	e.enableMFA("alice")
	e.clock.Advance(ReportMaxAgePlus)
	r = e.status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckConsoleUsersMFA: audit.ResultPass,
		audit.CheckBaselineUserMFA: audit.ResultPass,
	})
}

// ReportMaxAgePlus moves past the age at which status asks for a new report.
const ReportMaxAgePlus = audit.ReportMaxAge + time.Minute

func TestAccessKeyChecks(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.createUser("ci", false)
	e.createUser("old", false)
	e.createUser("two", false)
	e.createAccessKey("ci")
	e.createAccessKey("old")
	e.createAccessKey("two")
	e.createAccessKey("two")
	r := e.status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckUnusedCredentials:  audit.ResultPass,
		audit.CheckAccessKeyRotation:  audit.ResultPass,
		audit.CheckOneActiveAccessKey: audit.ResultFail,
	})
	if o := finding(t, r, audit.CheckOneActiveAccessKey).Offenders; strings.Join(locale.English.Msgs(o), "|") != "two: two active access keys" {
		t.Errorf("offenders %q", o)
	}

	// 46 days on: ci used its key on day 40; the others never did, and
	// nobody signed in with administrator's password.
	e.clock.Advance(40 * day)
	// GetCallerIdentity needs no permission, and ci has none.
	_, ci := e.clients(e.keyOf(t, "ci"))
	if _, err := ci.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(6 * day)
	f := finding(t, e.status(), audit.CheckUnusedCredentials)
	want := "administrator: password unused for 46 days|old: access key 1 unused for 46 days|two: access key 1 unused for 46 days; access key 2 unused for 46 days"
	if f.Result != audit.ResultFail || strings.Join(locale.English.Msgs(f.Offenders), "|") != want {
		t.Errorf("IAM.22 %s %q, want fail with %q", f.Result, f.Offenders, want)
	}

	// 91 days: every key is due for rotation.
	e.clock.Advance(45 * day)
	f = finding(t, e.status(), audit.CheckAccessKeyRotation)
	if f.Result != audit.ResultFail || len(f.Offenders) != 3 || !strings.Contains(f.Offenders[0].String(), "ci: access key 1 is 91 days old") {
		t.Errorf("IAM.3 %s %q", f.Result, f.Offenders)
	}
}

// keyOf finds a user's first access key ID.
func (e *env) keyOf(t *testing.T, user string) string {
	t.Helper()
	out, err := e.iam.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String(user)})
	if err != nil || len(out.AccessKeyMetadata) == 0 {
		t.Fatalf("access keys of %s: %v", user, err)
	}
	return aws.ToString(out.AccessKeyMetadata[0].AccessKeyId)
}

func TestCredentialReportIsReusedForFourHours(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	first := e.status()
	if e.count("GenerateCredentialReport") == 0 {
		t.Fatal("no report was generated for a fresh account")
	}
	e.createUser("late", true)
	e.clock.Advance(3*time.Hour + 59*time.Minute)
	e.sim.ResetLog()
	second := e.status()
	if n := e.count("GenerateCredentialReport"); n != 0 {
		t.Errorf("a report younger than 4 hours was regenerated (%d GenerateCredentialReport)", n)
	}
	if n := e.count("GetCredentialReport"); n != 1 {
		t.Errorf("%d GetCredentialReport, want 1", n)
	}
	if !second.CredentialReport.GeneratedTime.Equal(first.CredentialReport.GeneratedTime) || second.CredentialReport.Users != 1 {
		t.Errorf("second audit read report %+v, want the first one %+v", second.CredentialReport, first.CredentialReport)
	}

	e.clock.Advance(2 * time.Minute)
	e.sim.ResetLog()
	third := e.status()
	if e.count("GenerateCredentialReport") == 0 {
		t.Error("a report older than 4 hours was not regenerated")
	}
	if third.CredentialReport.Users != 2 || !third.CredentialReport.GeneratedTime.After(first.CredentialReport.GeneratedTime) {
		t.Errorf("third audit read report %+v", third.CredentialReport)
	}
}

func TestCredentialReportErrorsByCode(t *testing.T) {
	t.Run("expired", func(t *testing.T) {
		e := newEnv(t)
		e.status()
		e.sim.AddFault(iamsim.Fault{Action: "GetCredentialReport", Nth: 1, Code: "ReportExpired"})
		e.sim.ResetLog()
		r := e.status()
		if r.CredentialReport == nil || e.count("GenerateCredentialReport") == 0 {
			t.Errorf("ReportExpired did not lead to a new report: %+v", r.CredentialReport)
		}
	})
	t.Run("in progress", func(t *testing.T) {
		e := newEnv(t)
		e.sim.AddFault(iamsim.Fault{Action: "GetCredentialReport", Nth: 2, Code: "ReportInProgress"})
		r := e.status()
		if r.CredentialReport == nil {
			t.Fatal("no report after ReportInProgress")
		}
		if n := e.count("GenerateCredentialReport"); n < 3 {
			t.Errorf("%d GenerateCredentialReport: ReportInProgress was not waited for", n)
		}
	})
	t.Run("access denied", func(t *testing.T) {
		e := newEnv(t)
		e.sim.AddFault(iamsim.Fault{Action: "GetCredentialReport", Code: "AccessDenied"})
		r := e.status()
		f := finding(t, r, audit.CheckUnusedCredentials)
		if f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "AccessDenied") {
			t.Errorf("%s %q, want manual naming AccessDenied", f.Result, f.Detail)
		}
	})
	t.Run("still generating", func(t *testing.T) {
		e := newEnv(t)
		e.sim.SetCredentialReportDelay(time.Hour)
		deps := e.deps()
		deps.ReportWait = time.Minute
		snap, err := audit.Collect(ctx, deps, target)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(snap.CredentialReportError, "still being generated after 1m0s") {
			t.Errorf("error %q", snap.CredentialReportError)
		}
		// At least a second between polls: at most 61 polls for a minute.
		if n := e.count("GenerateCredentialReport"); n < 2 || n > 61 {
			t.Errorf("%d GenerateCredentialReport polls for a one-minute wait", n)
		}
	})
}
