package mfapolicy_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

var ctx = context.Background()

const (
	account  = iamsim.DefaultAccountID
	tempPass = "Temp-Passw0rd-1!"
	newPass  = "Chosen-Passw0rd-2!"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Tick moves to the next 30-second TOTP step, so a fresh code is valid.
func (c *clock) Tick() { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(30 * time.Second) }

// world is an account taken to the baseline by hand: group admin with
// AdministratorAccess and the MFA policy, user administrator with a password
// to reset and an enabled device, and a second admin, alice, with a device.
type world struct {
	t         *testing.T
	partition string
	clk       *clock
	srv       *iamsim.Server
	root      *iam.Client
	seeds     map[string]string // user -> seed of their device
}

func newWorld(t *testing.T) *world { return newWorldIn(t, "aws") }

func newWorldIn(t *testing.T, partition string) *world {
	t.Helper()
	w := &world{t: t, partition: partition, clk: &clock{t: time.Date(2026, 3, 1, 12, 0, 10, 0, time.UTC)}, seeds: map[string]string{}}
	acct := iamsim.DefaultAccount()
	acct.Partition = partition
	w.srv = iamsim.NewServer(iamsim.Options{Now: w.clk.Now, Accounts: []iamsim.AccountConfig{acct}})
	t.Cleanup(w.srv.Close)
	w.root, _ = w.clients(iamsim.DefaultRootAccessKeyID)
	w.ok(w.root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	w.ok(w.root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(w.arn("aws:policy/AdministratorAccess"))}))
	w.ok(w.root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("admin"),
		PolicyName: aws.String(mfapolicy.Name), PolicyDocument: aws.String(mfapolicy.Document(partition).JSON())}))
	w.ok(w.root.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MinimumPasswordLength: aws.Int32(14)}))
	// The role the probes assume: its trust names the account, so the
	// caller's own policies, the MFA policy among them, decide.
	w.ok(w.root.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("ops"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"` + w.arn(account+":root") + `"},"Action":"sts:AssumeRole"}}`)}))
	for _, u := range []string{"administrator", "alice"} {
		w.addAdmin(u)
		if err := w.enroll(w.root, u, u); err != nil {
			t.Fatalf("enrolling %s: %v", u, err)
		}
	}
	return w
}

func (w *world) addAdmin(name string) {
	w.ok(w.root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	w.ok(w.root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String(name)}))
	w.ok(w.root.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name),
		Password: aws.String(tempPass), PasswordResetRequired: true}))
}

// enroll creates a device named after user and enables it, signed by c.
func (w *world) enroll(c *iam.Client, user, deviceName string) error {
	out, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(deviceName)})
	if err != nil {
		return err
	}
	seed := string(out.VirtualMFADevice.Base32StringSeed)
	w.clk.Tick()
	first := w.code(seed)
	w.clk.Tick()
	_, err = c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user),
		SerialNumber: out.VirtualMFADevice.SerialNumber, AuthenticationCode1: aws.String(first), AuthenticationCode2: aws.String(w.code(seed))})
	if err == nil {
		w.seeds[user] = seed
	}
	w.clk.Tick()
	return err
}

func (w *world) code(seed string) string {
	w.t.Helper()
	c, err := iamsim.TOTP(seed, w.clk.Now())
	if err != nil {
		w.t.Fatal(err)
	}
	return c
}

// codeFor is a fresh code of the user's device (the clock moves on, so the
// simulator never sees a code twice).
func (w *world) codeFor(user string) string {
	w.clk.Tick()
	return w.code(w.seeds[user])
}

// arn is an IAM ARN in the world's partition.
func (w *world) arn(resource string) string { return "arn:" + w.partition + ":iam::" + resource }

func (w *world) serial(user string) string { return w.arn(account + ":mfa/" + user) }

func (w *world) clients(keyID string) (*iam.Client, *sts.Client) {
	cfg := iamsim.ClientConfig(w.srv.URL, keyID)
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func (w *world) accessKey(user string) (*iam.Client, *sts.Client) {
	out, err := w.root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(user)})
	if err != nil {
		w.t.Fatal(err)
	}
	return w.clients(aws.ToString(out.AccessKey.AccessKeyId))
}

func (w *world) ok(_ any, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// call is one API call named for the test's messages.
type call struct {
	name string
	do   func() error
}

func denied(t *testing.T, who string, calls []call) {
	t.Helper()
	for _, c := range calls {
		err := c.do()
		if errorCode(err) != "AccessDenied" {
			t.Errorf("%s: %s: want AccessDenied, got %v", who, c.name, err)
		} else if !strings.Contains(err.Error(), "explicit deny") {
			t.Errorf("%s: %s: denied, but not by the policy: %v", who, c.name, err)
		}
	}
}

// authorized: the call passed authorization (it may still fail for another
// reason, which is named).
func authorized(t *testing.T, who string, calls []call, otherwise ...string) {
	t.Helper()
	for _, c := range calls {
		err := c.do()
		if err != nil && !containsCode(otherwise, errorCode(err)) {
			t.Errorf("%s: %s: want it authorized, got %v", who, c.name, err)
		}
	}
}

func containsCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func ignore[T any](_ T, err error) error { return err }

// adminActions are what the policy must keep from a request without MFA.
func (w *world) adminActions(c *iam.Client, s *sts.Client, tag string) []call {
	return []call{
		{"CreateUser", func() error {
			return ignore(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("new-" + tag)}))
		}},
		{"AttachGroupPolicy", func() error {
			return ignore(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(w.arn("aws:policy/IAMReadOnlyAccess"))}))
		}},
		{"DeleteAccountPasswordPolicy", func() error {
			return ignore(c.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))
		}},
		{"DeleteGroupPolicy (remove the MFA policy)", func() error {
			return ignore(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String(mfapolicy.Name)}))
		}},
		{"CreateAccessKey for self", func() error {
			return ignore(c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{}))
		}},
		{"ListUsers", func() error { return ignore(c.ListUsers(ctx, &iam.ListUsersInput{})) }},
		{"sts:AssumeRole", func() error {
			return ignore(s.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(w.arn(account + ":role/ops")), RoleSessionName: aws.String("s-" + tag)}))
		}},
	}
}

// selfServiceOn are the self-service actions aimed at user (and a device
// named deviceName) by the caller c.
func (w *world) selfServiceOn(c *iam.Client, user, deviceName string) []call {
	return []call{
		{"GetUser " + user, func() error { return ignore(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(user)})) }},
		{"ListMFADevices " + user, func() error {
			return ignore(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String(user)}))
		}},
		{"ResyncMFADevice " + user, func() error {
			return ignore(c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(w.serial(user)),
				AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}))
		}},
		{"CreateVirtualMFADevice " + deviceName, func() error {
			return ignore(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(deviceName)}))
		}},
		{"DeleteVirtualMFADevice " + deviceName, func() error {
			return ignore(c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(w.serial(deviceName))}))
		}},
	}
}

func (w *world) enableOn(c *iam.Client, user string) call {
	return call{"EnableMFADevice " + user, func() error {
		return ignore(c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String(user), SerialNumber: aws.String(w.serial("spare")),
			AuthenticationCode1: aws.String("123456"), AuthenticationCode2: aws.String("654321")}))
	}}
}

// An access key of the administrator, used without MFA, can do nothing an
// administrator does; it can see and resync its own device but not enroll a
// new one or change the password; nothing of another user's is reachable.
// With an MFA session token from the same key, everything works.
func TestAccessKeyNeedsMFA(t *testing.T) {
	w := newWorld(t)
	keyIAM, keySTS := w.accessKey("administrator")

	denied(t, "access key without MFA", w.adminActions(keyIAM, keySTS, "key"))

	// Its own device: reads and resync pass authorization (the resync then
	// fails on the made-up codes, the create on the name being taken, the
	// delete on the device being in use).
	authorized(t, "access key, own device", w.selfServiceOn(keyIAM, "administrator", "administrator"),
		"InvalidAuthenticationCode", "EntityAlreadyExists", "DeleteConflict")
	authorized(t, "access key, password policy", []call{
		{"GetAccountPasswordPolicy", func() error {
			return ignore(keyIAM.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{}))
		}},
		{"ListVirtualMFADevices", func() error { return ignore(keyIAM.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})) }},
	})
	// A leaked key alone must not enroll the attacker's device, nor change
	// the password and sign in to the console.
	denied(t, "access key, enrollment", []call{
		w.enableOn(keyIAM, "administrator"),
		{"ChangePassword", func() error {
			return ignore(keyIAM.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(tempPass), NewPassword: aws.String(newPass)}))
		}},
	})
	// The same self-service against another user.
	denied(t, "access key, alice's", append(w.selfServiceOn(keyIAM, "alice", "alice"), w.enableOn(keyIAM, "alice"),
		call{"CreateVirtualMFADevice at another path", func() error {
			return ignore(keyIAM.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator"), Path: aws.String("/x/")}))
		}}))

	// GetSessionToken without MFA: the session cannot call IAM at all.
	plain, err := keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	if err != nil {
		t.Fatal(err)
	}
	plainIAM, _ := w.clients(aws.ToString(plain.Credentials.AccessKeyId))
	if _, err := plainIAM.GetUser(ctx, &iam.GetUserInput{}); errorCode(err) != "InvalidClientTokenId" {
		t.Errorf("IAM with a session token without MFA: want InvalidClientTokenId, got %v", err)
	}

	// With a valid code, the admin actions succeed.
	out, err := keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.serial("administrator")), TokenCode: aws.String(w.codeFor("administrator"))})
	if err != nil {
		t.Fatal(err)
	}
	mfaIAM, mfaSTS := w.clients(aws.ToString(out.Credentials.AccessKeyId))
	authorized(t, "MFA session", w.adminActions(mfaIAM, mfaSTS, "mfa"))
	if _, err := w.root.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("new-mfa")}); err != nil {
		t.Errorf("the MFA session's CreateUser did not happen: %v", err)
	}
}

// The console lifecycle: the delivered password and an MFA code sign in;
// only the forced ChangePassword works until it is done; then admin actions
// succeed.
func TestConsoleLifecycleWithMFA(t *testing.T) {
	w := newWorld(t)
	if _, err := w.srv.Sim.ConsoleSignIn(account, "administrator", tempPass, ""); !errors.Is(err, iamsim.ErrMFACodeRequired) {
		t.Fatalf("sign-in without the code: %v", err)
	}
	if _, err := w.srv.Sim.ConsoleSignIn(account, "administrator", "wrong-password", w.codeFor("administrator")); !errors.Is(err, iamsim.ErrSignInFailed) {
		t.Fatalf("sign-in with a wrong password: %v", err)
	}
	sess, err := w.srv.Sim.ConsoleSignIn(account, "administrator", tempPass, w.codeFor("administrator"))
	if err != nil {
		t.Fatal(err)
	}
	if !sess.MFA || !sess.PasswordResetRequired {
		t.Fatalf("session %+v: want MFA and a pending reset", sess)
	}
	c, s := w.clients(sess.AccessKeyID)
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("early")}); errorCode(err) != "AccessDenied" {
		t.Errorf("before the reset: want AccessDenied, got %v", err)
	}
	w.ok(c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(tempPass), NewPassword: aws.String(newPass)}))
	authorized(t, "console with MFA", w.adminActions(c, s, "console"))
	if ok, reset := w.srv.Sim.CheckConsolePassword(account, "administrator", newPass); !ok || reset {
		t.Errorf("after the reset: new password ok=%v, reset still required=%v", ok, reset)
	}
}

// --skip-mfa: a user with no device signs in without MFA, changes the
// password, enrolls their own device; nothing else, and nothing of anyone
// else's; signed in again with MFA, the admin actions work.
func TestSkipMFAPathEnrollsOwnDevice(t *testing.T) {
	w := newWorld(t)
	w.addAdmin("bob")
	sess, err := w.srv.Sim.ConsoleSignIn(account, "bob", tempPass, "")
	if err != nil {
		t.Fatal(err)
	}
	if sess.MFA || !sess.PasswordResetRequired {
		t.Fatalf("session %+v: want no MFA and a pending reset", sess)
	}
	c, s := w.clients(sess.AccessKeyID)
	w.ok(c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(tempPass), NewPassword: aws.String(newPass)}))
	denied(t, "console without MFA", w.adminActions(c, s, "nomfa"))
	// A spare unassigned device, as if an administrator had created it:
	// bob must not enable it on alice.
	w.ok(w.root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("spare")}))
	denied(t, "console without MFA, alice's", append(w.selfServiceOn(c, "alice", "alice"), w.enableOn(c, "alice")))

	if err := w.enroll(c, "bob", "bob"); err != nil {
		t.Fatalf("enrolling own device without MFA: %v", err)
	}
	if _, err := w.srv.Sim.ConsoleSignIn(account, "bob", newPass, ""); !errors.Is(err, iamsim.ErrMFACodeRequired) {
		t.Fatalf("after enrolling, sign-in without a code: %v", err)
	}
	again, err := w.srv.Sim.ConsoleSignIn(account, "bob", newPass, w.codeFor("bob"))
	if err != nil {
		t.Fatal(err)
	}
	if !again.MFA || again.PasswordResetRequired {
		t.Fatalf("second session %+v: want MFA, no reset", again)
	}
	c2, s2 := w.clients(again.AccessKeyID)
	authorized(t, "console with MFA after enrolling", w.adminActions(c2, s2, "bob"))
}

// A device named after another user, created with MFA by an administrator
// and enabled on a user without MFA, authenticates only the user it is
// enabled on: the name does not matter.
func TestDeviceNameIsOnlyALabel(t *testing.T) {
	w := newWorld(t)
	w.addAdmin("bob")
	if err := w.enroll(w.root, "bob", "alice-spare"); err != nil {
		t.Fatal(err)
	}
	_, keySTS := w.accessKey("bob")
	// bob's device named alice-spare works for bob...
	out, err := keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.serial("alice-spare")), TokenCode: aws.String(w.codeFor("bob"))})
	if err != nil {
		t.Fatalf("bob's session with his own device: %v", err)
	}
	who, err := sts.NewFromConfig(iamsim.ClientConfig(w.srv.URL, aws.ToString(out.Credentials.AccessKeyId))).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil || !strings.HasSuffix(aws.ToString(who.Arn), ":user/bob") {
		t.Fatalf("session is %v (%v), want bob", who, err)
	}
	// ...and alice's device cannot authenticate bob.
	_, err = keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.serial("alice")), TokenCode: aws.String(w.codeFor("alice"))})
	if errorCode(err) != "AccessDenied" {
		t.Fatalf("bob with alice's device: want AccessDenied, got %v", err)
	}
}

// The policy works in the other partitions: its own-resource ARNs carry the
// partition, so self-service still reaches the caller and no one else.
func TestOtherPartitions(t *testing.T) {
	for _, p := range []string{"aws-cn", "aws-us-gov"} {
		t.Run(p, func(t *testing.T) {
			w := newWorldIn(t, p)
			keyIAM, keySTS := w.accessKey("administrator")
			denied(t, p+" access key", w.adminActions(keyIAM, keySTS, "key"))
			authorized(t, p+" own device", w.selfServiceOn(keyIAM, "administrator", "administrator"),
				"InvalidAuthenticationCode", "EntityAlreadyExists", "DeleteConflict")
			denied(t, p+" alice's", w.selfServiceOn(keyIAM, "alice", "alice"))
			out, err := keySTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(w.serial("administrator")), TokenCode: aws.String(w.codeFor("administrator"))})
			if err != nil {
				t.Fatal(err)
			}
			mfaIAM, mfaSTS := w.clients(aws.ToString(out.Credentials.AccessKeyId))
			authorized(t, p+" MFA session", w.adminActions(mfaIAM, mfaSTS, "mfa"))
		})
	}
}
