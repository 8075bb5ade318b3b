package main

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// The MFA requirement as the product leaves it: every account below is
// set up by the real CLI, then used the way its administrator would.

// mfaAccount is an iamsim account on a clock that the test moves on, so
// that no TOTP code is ever offered twice.
type mfaAccount struct {
	t   *testing.T
	srv *iamsim.Server
	dir string

	mu  sync.Mutex
	now time.Time
}

func newMFAAccount(t *testing.T) *mfaAccount {
	m := &mfaAccount{t: t, dir: t.TempDir(), now: time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)}
	m.srv = iamsim.NewServer(iamsim.Options{Now: m.clock})
	t.Cleanup(m.srv.Close)
	return m
}

func (m *mfaAccount) clock() time.Time { m.mu.Lock(); defer m.mu.Unlock(); return m.now }

func (m *mfaAccount) tick() { m.mu.Lock(); defer m.mu.Unlock(); m.now = m.now.Add(30 * time.Second) }

// cli runs iam-baseline signed with key.
func (m *mfaAccount) cli(key string, args ...string) result {
	m.t.Helper()
	var stdout, stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, simAccount(m.srv.URL, key))
	env.Now = m.clock
	code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
	m.tick()
	return result{code, stdout.String(), stderr.String()}
}

func (m *mfaAccount) clients(key string) (*iam.Client, *sts.Client) {
	cfg := iamsim.ClientConfig(m.srv.URL, key)
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func (m *mfaAccount) root() *iam.Client { c, _ := m.clients(iamsim.DefaultRootAccessKeyID); return c }

// code is a fresh code of the device with seed.
func (m *mfaAccount) code(seed string) string {
	m.t.Helper()
	m.tick()
	c, err := iamsim.TOTP(seed, m.clock())
	if err != nil {
		m.t.Fatal(err)
	}
	return c
}

// accessKey creates an access key for user, as root.
func (m *mfaAccount) accessKey(user string) string {
	m.t.Helper()
	out, err := m.root().CreateAccessKey(context.Background(), &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		m.t.Fatal(err)
	}
	return aws.ToString(out.AccessKey.AccessKeyId)
}

// applied runs apply as root with a password file and, unless skipMFA, a
// secret file; it returns the password and the seed ("" with --skip-mfa).
func (m *mfaAccount) applied(extra ...string) (password, seed string) {
	m.t.Helper()
	args := append([]string{"apply", "--non-interactive", "--yes", "--password-file", m.dir + "/pw"}, extra...)
	skip := false
	for _, a := range extra {
		skip = skip || a == "--"+flagSkipMFA
	}
	if !skip {
		args = append(args, "--mfa-secret-file", m.dir+"/mfa")
	}
	mustCode(m.t, m.cli(iamsim.DefaultRootAccessKeyID, args...), ExitOK)
	password = readPassword(m.t, m.dir+"/pw")
	if skip {
		return password, ""
	}
	b, err := os.ReadFile(m.dir + "/mfa")
	if err != nil {
		m.t.Fatal(err)
	}
	u, err := url.Parse(strings.TrimSpace(string(b)))
	if err != nil {
		m.t.Fatal(err)
	}
	return password, u.Query().Get("secret")
}

// adminCalls are administrator actions that need MFA under the policy.
func adminCalls(c *iam.Client, s *sts.Client, tag string) map[string]func() error {
	ctx := context.Background()
	return map[string]func() error{
		"CreateUser": func() error {
			_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("made-by-" + tag)})
			return err
		},
		"AttachGroupPolicy": func() error {
			_, err := c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/IAMReadOnlyAccess")})
			return err
		},
		"DeleteGroupPolicy (the MFA policy itself)": func() error {
			_, err := c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String("not-there")})
			if errorCodeOf(err) == "NoSuchEntity" {
				return nil
			}
			return err
		},
		"sts:AssumeRole": func() error {
			_, err := s.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + iamsim.DefaultAccountID + ":role/ops"), RoleSessionName: aws.String(tag)})
			return err
		},
	}
}

func errorCodeOf(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return ""
}

func (m *mfaAccount) mustAllAdmin(who string, calls map[string]func() error, wantDenied bool) {
	m.t.Helper()
	for name, call := range calls {
		err := call()
		denied := errorCodeOf(err) == "AccessDenied" && strings.Contains(err.Error(), "explicit deny")
		switch {
		case wantDenied && !denied:
			m.t.Errorf("%s: %s: want an explicit deny, got %v", who, name, err)
		case !wantDenied && err != nil:
			m.t.Errorf("%s: %s: want it to succeed, got %v", who, name, err)
		}
	}
}

// withRole gives the account the role the admin actions assume.
func (m *mfaAccount) withRole() {
	m.t.Helper()
	trust := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + iamsim.DefaultAccountID + `:root"},"Action":"sts:AssumeRole"}}`
	if _, err := m.root().CreateRole(context.Background(), &iam.CreateRoleInput{RoleName: aws.String("ops"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		m.t.Fatal(err)
	}
}

// After a default apply: the console wants the password and a code, then
// only the forced password change; after it, admin actions succeed. An
// access key of the same user can do no admin action without MFA, reach its
// own MFA device but not another user's; an MFA session from it can.
func TestRequireMFAAfterApply(t *testing.T) {
	m := newMFAAccount(t)
	m.withRole()
	password, seed := m.applied()
	ctx := context.Background()
	acct := iamsim.DefaultAccountID

	if _, err := m.srv.Sim.ConsoleSignIn(acct, "administrator", password, ""); !errors.Is(err, iamsim.ErrMFACodeRequired) {
		t.Fatalf("console sign-in without a code: %v", err)
	}
	sess, err := m.srv.Sim.ConsoleSignIn(acct, "administrator", password, m.code(seed))
	if err != nil || !sess.MFA || !sess.PasswordResetRequired {
		t.Fatalf("console sign-in with the delivered password and a code: %+v, %v", sess, err)
	}
	console, consoleSTS := m.clients(sess.AccessKeyID)
	if _, err := console.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("too-early")}); errorCodeOf(err) != "AccessDenied" {
		t.Errorf("before the forced password change: want AccessDenied, got %v", err)
	}
	const newPassword = "A-much-longer-Pa55word!"
	if _, err := console.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(password), NewPassword: aws.String(newPassword)}); err != nil {
		t.Fatalf("the forced ChangePassword: %v", err)
	}
	m.mustAllAdmin("console with MFA", adminCalls(console, consoleSTS, "console"), false)

	if _, err := m.root().CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	keyIAM, keySTS := m.clients(m.accessKey("administrator"))
	m.mustAllAdmin("access key without MFA", adminCalls(keyIAM, keySTS, "key"), true)
	own := func(user string) error {
		_, err := keyIAM.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(user)})
		return err
	}
	if err := own("administrator"); err != nil {
		t.Errorf("access key, its own MFA devices: %v", err)
	}
	if err := own("alice"); errorCodeOf(err) != "AccessDenied" {
		t.Errorf("access key, another user's MFA devices: want AccessDenied, got %v", err)
	}
	if _, err := keyIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}); errorCodeOf(err) != "AccessDenied" {
		t.Errorf("access key, another user: want AccessDenied, got %v", err)
	}

	tok, err := keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{
		SerialNumber: aws.String("arn:aws:iam::" + acct + ":mfa/administrator"), TokenCode: aws.String(m.code(seed))})
	if err != nil {
		t.Fatal(err)
	}
	mfaIAM, mfaSTS := m.clients(aws.ToString(tok.Credentials.AccessKeyId))
	m.mustAllAdmin("MFA session from the access key", adminCalls(mfaIAM, mfaSTS, "session"), false)
}

// --skip-mfa: the administrator signs in without MFA, changes the password,
// enrolls their own device (and can do nothing else), signs in again with
// MFA and is an administrator.
func TestRequireMFAWithSkipMFA(t *testing.T) {
	m := newMFAAccount(t)
	m.withRole()
	password, _ := m.applied("--" + flagSkipMFA)
	ctx := context.Background()
	acct := iamsim.DefaultAccountID

	sess, err := m.srv.Sim.ConsoleSignIn(acct, "administrator", password, "")
	if err != nil || sess.MFA || !sess.PasswordResetRequired {
		t.Fatalf("first sign-in: %+v, %v", sess, err)
	}
	c, s := m.clients(sess.AccessKeyID)
	const newPassword = "A-much-longer-Pa55word!"
	if _, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(password), NewPassword: aws.String(newPassword)}); err != nil {
		t.Fatalf("ChangePassword without MFA: %v", err)
	}
	m.mustAllAdmin("console without MFA", adminCalls(c, s, "nomfa"), true)
	dev, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		t.Fatalf("creating own device: %v", err)
	}
	seed := string(dev.VirtualMFADevice.Base32StringSeed)
	first := m.code(seed)
	if _, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(first), AuthenticationCode2: aws.String(m.code(seed))}); err != nil {
		t.Fatalf("enabling own device: %v", err)
	}
	again, err := m.srv.Sim.ConsoleSignIn(acct, "administrator", newPassword, m.code(seed))
	if err != nil || !again.MFA || again.PasswordResetRequired {
		t.Fatalf("sign-in with MFA: %+v, %v", again, err)
	}
	c, s = m.clients(again.AccessKeyID)
	m.mustAllAdmin("console with MFA", adminCalls(c, s, "mfa"), false)
}

// The operator-lockout guard: the administrator's own access key (no MFA)
// applying the requirement to its own group is refused before any change,
// with the flag to confirm named; confirmed, it applies, and the key is then
// locked out indeed.
func TestRequireMFALockoutGuard(t *testing.T) {
	m := newMFAAccount(t)
	m.applied("--"+flagSkipMFA, "--"+flagRequireMFA+"=false")
	key := m.accessKey("administrator")
	args := []string{"apply", "--non-interactive", "--yes", "--" + flagSkipMFA}

	plan := m.cli(key, "plan")
	mustCode(t, plan, ExitOK)
	if !strings.Contains(plan.stdout, `WARNING: this run signs as IAM user "administrator", in group "admin", with an access key`) {
		t.Errorf("the plan does not warn the operator:\n%s", plan.stdout)
	}
	m.srv.Sim.ResetLog()
	refused := m.cli(key, args...)
	mustCode(t, refused, ExitUsage)
	if !strings.Contains(refused.stderr, "--"+flagConfirmRequireMFA) || !strings.Contains(refused.stderr, "nothing was changed") {
		t.Errorf("the refusal does not name the flag:\n%s", refused.stderr)
	}
	if got := m.srv.Sim.MutatingRequests(); len(got) != 0 {
		t.Fatalf("refused, yet %d mutating requests, first %s", len(got), got[0].Action)
	}

	mustCode(t, m.cli(key, append(args, "--"+flagConfirmRequireMFA)...), ExitOK)
	got, err := m.root().GetGroupPolicy(context.Background(), &iam.GetGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String(mfapolicy.Name)})
	if err != nil || got.PolicyDocument == nil {
		t.Fatalf("confirmed, the policy was not put: %v", err)
	}
	// The warning was true: the key alone can no longer even read.
	after := m.cli(key, "plan")
	if after.code == ExitOK || !strings.Contains(after.stderr, "AccessDenied") {
		t.Errorf("the key still plans after the policy:\nexit %d\n%s", after.code, after.stderr)
	}
}

// A failing read of the MFA policy stops the plan, named, before any change.
func TestRequireMFAReadFailure(t *testing.T) {
	h := newHarness(t)
	h.srv.Sim.AddFault(iamsim.Fault{Action: "GetGroupPolicy", Code: "ServiceFailure", Message: "injected"})
	r := h.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", h.path("pw"))
	mustCode(t, r, ExitError)
	if !strings.Contains(r.stderr, "iam:GetGroupPolicy") {
		t.Errorf("the failing read is not named:\n%s", r.stderr)
	}
	if m := h.mutations(); len(m) != 0 {
		t.Errorf("mutating requests after a failed read: %v", m)
	}
}
