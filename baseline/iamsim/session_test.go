package iamsim_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// mfaUser makes a user with an access key, a login profile and an enabled
// device, and moves the clock past the enrollment's codes.
func mfaUser(t *testing.T, f *fixture, clk *clock, name string) (keyID, serial, seed string) {
	t.Helper()
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)})).AccessKey
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name),
		Password: aws.String("Temp-Passw0rd-1!"), PasswordResetRequired: true}))
	serial, seed = createDevice(t, f.iam, name)
	now := clk.Now()
	if err := enable(f.iam, name, serial, code(t, seed, now.Add(-30*time.Second)), code(t, seed, now)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	return *key.AccessKeyId, serial, seed
}

// requireMFAWithin attaches to the user a policy that allows everything only
// with MFA younger than seconds.
func requireMFAWithin(t *testing.T, f *fixture, user string, seconds string) {
	t.Helper()
	doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*",
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"},"NumericLessThan":{"aws:MultiFactorAuthAge":"` + seconds + `"}}}}`
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String(user),
		PolicyName: aws.String("mfa"), PolicyDocument: aws.String(doc)}))
}

// GetSessionToken checks the code with the simulator's own TOTP, refuses
// what STS refuses, and its credentials carry MFA context and its age.
func TestGetSessionToken(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	keyID, serial, seed := mfaUser(t, f, clk, "ops")
	_, otherSerial, _ := mfaUser(t, f, clk, "other")
	requireMFAWithin(t, f, "ops", "600")
	userIAM, userSTS := f.clients(keyID)
	in := func(serial, token string) *sts.GetSessionTokenInput {
		return &sts.GetSessionTokenInput{SerialNumber: aws.String(serial), TokenCode: aws.String(token)}
	}

	_, err := userIAM.GetUser(ctx, &iam.GetUserInput{})
	wantError(t, err, "AccessDenied", 403, "no identity-based policy allows")

	_, err = userSTS.GetSessionToken(ctx, in(serial, "000000"))
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed")
	_, err = userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{SerialNumber: aws.String(serial)})
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed")
	_, err = userSTS.GetSessionToken(ctx, in(serial, "12a456"))
	wantError(t, err, "ValidationError", 400, "tokenCode")
	_, err = userSTS.GetSessionToken(ctx, in(otherSerial, code(t, seed, clk.Now())))
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed")
	_, err = userSTS.GetSessionToken(ctx, in("arn:aws:iam::123456789012:mfa/nobody", "123456"))
	wantError(t, err, "AccessDenied", 403, "unable to validate")
	_, err = userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(899)})
	wantError(t, err, "ValidationError", 400, "durationSeconds")
	_, err = userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(129601)})
	wantError(t, err, "ValidationError", 400, "durationSeconds")

	token := code(t, seed, clk.Now())
	out, err := userSTS.GetSessionToken(ctx, in(serial, token))
	if err != nil {
		t.Fatal(err)
	}
	creds := out.Credentials
	if !strings.HasPrefix(aws.ToString(creds.AccessKeyId), "ASIA") || aws.ToString(creds.SessionToken) == "" {
		t.Errorf("credentials %s", aws.ToString(creds.AccessKeyId))
	}
	if want := clk.Now().Add(12 * time.Hour).Truncate(time.Second); !aws.ToTime(creds.Expiration).Equal(want) {
		t.Errorf("expiration %v, want %v (the 12-hour default)", aws.ToTime(creds.Expiration), want)
	}
	// A code is accepted once.
	_, err = userSTS.GetSessionToken(ctx, in(serial, token))
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed")

	sessIAM, sessSTS := f.clients(aws.ToString(creds.AccessKeyId))
	who := must[*sts.GetCallerIdentityOutput](t)(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if aws.ToString(who.Arn) != "arn:aws:iam::123456789012:user/ops" {
		t.Errorf("session principal %s", aws.ToString(who.Arn))
	}
	must[*iam.GetUserOutput](t)(sessIAM.GetUser(ctx, &iam.GetUserInput{}))
	_, err = sessSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{})
	wantError(t, err, "AccessDenied", 403, "session credentials")

	// aws:MultiFactorAuthAge grows with the clock.
	clk.Advance(11 * time.Minute)
	_, err = sessIAM.GetUser(ctx, &iam.GetUserInput{})
	wantError(t, err, "AccessDenied", 403, "no identity-based policy allows")

	clk.Advance(12 * time.Hour)
	_, err = sessIAM.GetUser(ctx, &iam.GetUserInput{})
	wantError(t, err, "ExpiredToken", 403)

	var mfaSeen bool
	for _, e := range f.sim.Log() {
		if e.Params["TokenCode"] != "" && e.Params["TokenCode"] != "[redacted]" {
			t.Errorf("%s logged the token code", e.Action)
		}
		mfaSeen = mfaSeen || (e.MFA && e.Action == "GetUser")
		if e.MFA && e.Principal != "arn:aws:iam::123456789012:user/ops" {
			t.Errorf("MFA context on %s by %s", e.Action, e.Principal)
		}
	}
	if !mfaSeen {
		t.Error("no logged request carries MFA context")
	}
}

// Without MFA, a session token cannot call IAM; root's sessions last an
// hour at most.
func TestGetSessionTokenWithoutMFAAndRoot(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	keyID, _, _ := mfaUser(t, f, clk, "ops")
	_, userSTS := f.clients(keyID)
	out := must[*sts.GetSessionTokenOutput](t)(userSTS.GetSessionToken(ctx, &sts.GetSessionTokenInput{}))
	sessIAM, sessSTS := f.clients(aws.ToString(out.Credentials.AccessKeyId))
	_, err := sessIAM.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
	must[*sts.GetCallerIdentityOutput](t)(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))

	root := must[*sts.GetSessionTokenOutput](t)(f.sts.GetSessionToken(ctx, &sts.GetSessionTokenInput{DurationSeconds: aws.Int32(7200)}))
	if want := clk.Now().Add(time.Hour).Truncate(time.Second); !aws.ToTime(root.Credentials.Expiration).Equal(want) {
		t.Errorf("root session expires %v, want an hour", aws.ToTime(root.Credentials.Expiration))
	}
}

// AssumeRole with a verified code carries MFA into the role session; with a
// device the simulator cannot check, or none, it does not.
func TestAssumeRoleCarriesMFA(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	keyID, serial, seed := mfaUser(t, f, clk, "ops")
	must[*iam.AttachUserPolicyOutput](t)(f.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	must[*iam.CreateRoleOutput](t)(f.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}}`)}))
	must[*iam.AttachRolePolicyOutput](t)(f.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	_, userSTS := f.clients(keyID)
	assume := func(in *sts.AssumeRoleInput) bool {
		t.Helper()
		in.RoleArn, in.RoleSessionName = aws.String("arn:aws:iam::123456789012:role/admin"), aws.String("s1")
		out := must[*sts.AssumeRoleOutput](t)(userSTS.AssumeRole(ctx, in))
		c, _ := f.clients(aws.ToString(out.Credentials.AccessKeyId))
		f.sim.ResetLog()
		must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{}))
		return f.sim.Log()[0].MFA
	}
	if !assume(&sts.AssumeRoleInput{SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, clk.Now()))}) {
		t.Error("role session assumed with MFA has no MFA context")
	}
	if assume(&sts.AssumeRoleInput{}) {
		t.Error("role session assumed without MFA has MFA context")
	}
	if assume(&sts.AssumeRoleInput{SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("123456")}) {
		t.Error("an unchecked hardware token gave MFA context")
	}
}

// ChangePassword: only an IAM user, with the right old password, a new one
// the policy accepts; it clears the forced reset.
func TestChangePassword(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	keyID, _, _ := mfaUser(t, f, clk, "ops")
	userIAM, _ := f.clients(keyID)
	change := func(c *iam.Client, old, pw string) error {
		_, err := c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String(old), NewPassword: aws.String(pw)})
		return err
	}

	wantError(t, change(f.iam, "x", "Another-Passw0rd!"), "InvalidUserType", 400)
	// No identity policy and no password policy: not allowed.
	wantError(t, change(userIAM, "Temp-Passw0rd-1!", "Another-Passw0rd!"), "AccessDenied", 403, "iam:ChangePassword")
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(f.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), AllowUsersToChangePassword: true, PasswordReusePrevention: aws.Int32(3)}))
	// The password policy lets users change their own password.
	wantError(t, change(userIAM, "wrong-old-password", "Another-Passw0rd!"), "AccessDenied", 403, "old password")
	wantError(t, change(userIAM, "Temp-Passw0rd-1!", "Sh0rt!"), "PasswordPolicyViolation", 400, "minimum length of 14")
	wantError(t, change(userIAM, "Temp-Passw0rd-1!", "Temp-Passw0rd-1!"), "PasswordPolicyViolation", 400, "previous 3")
	if err := change(userIAM, "Temp-Passw0rd-1!", "Another-Passw0rd!"); err != nil {
		t.Fatal(err)
	}
	if ok, reset := f.sim.CheckConsolePassword(iamsim.DefaultAccountID, "ops", "Another-Passw0rd!"); !ok || reset {
		t.Errorf("new password ok=%v reset=%v", ok, reset)
	}
	if ok, _ := f.sim.CheckConsolePassword(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!"); ok {
		t.Error("the old password still works")
	}
	// A user without a console password has none to change.
	must[*iam.DeleteLoginProfileOutput](t)(f.iam.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("ops")}))
	wantError(t, change(userIAM, "Another-Passw0rd!", "Third-Passw0rd-3!"), "NoSuchEntity", 404)
	for _, e := range f.sim.Log() {
		if e.Action == "ChangePassword" && (e.Params["OldPassword"] != "[redacted]" || e.Params["NewPassword"] != "[redacted]") {
			t.Errorf("ChangePassword logged %v", e.Params)
		}
	}
}

// The console sign-in follows AWS's order: password, then the MFA code if
// the user has a device, then the forced reset, during which the session can
// only change the password.
func TestConsoleSignIn(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	_, _, seed := mfaUser(t, f, clk, "ops")
	must[*iam.AttachUserPolicyOutput](t)(f.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	sim := f.sim
	for _, tc := range []struct {
		user, pw, code string
		want           error
	}{
		{"ops", "wrong", code(t, seed, clk.Now()), iamsim.ErrSignInFailed},
		{"nobody", "Temp-Passw0rd-1!", "", iamsim.ErrSignInFailed},
		{"ops", "Temp-Passw0rd-1!", "", iamsim.ErrMFACodeRequired},
		{"ops", "Temp-Passw0rd-1!", "000000", iamsim.ErrMFACodeInvalid},
	} {
		if _, err := sim.ConsoleSignIn(iamsim.DefaultAccountID, tc.user, tc.pw, tc.code); !errors.Is(err, tc.want) {
			t.Errorf("%s/%s/%q: got %v, want %v", tc.user, tc.pw, tc.code, err, tc.want)
		}
	}
	sess, err := sim.ConsoleSignIn(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!", code(t, seed, clk.Now()))
	if err != nil || !sess.MFA || !sess.PasswordResetRequired {
		t.Fatalf("sign-in: %+v, %v", sess, err)
	}
	c, _ := f.clients(sess.AccessKeyID)
	_, err = c.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", 403, "must change the password")
	must[*iam.ChangePasswordOutput](t)(c.ChangePassword(ctx, &iam.ChangePasswordInput{OldPassword: aws.String("Temp-Passw0rd-1!"), NewPassword: aws.String("Another-Passw0rd!")}))
	f.sim.ResetLog()
	must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{}))
	if !f.sim.Log()[0].MFA {
		t.Error("the console session's request carries no MFA context")
	}

	// A user without a device: no code is asked, and giving one is a
	// test's mistake, said plainly.
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("new")}))
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("new"), Password: aws.String("Temp-Passw0rd-1!")}))
	if _, err := sim.ConsoleSignIn(iamsim.DefaultAccountID, "new", "Temp-Passw0rd-1!", "123456"); !errors.Is(err, iamsim.ErrNoMFADevice) {
		t.Errorf("code for a user without a device: %v", err)
	}
	plain, err := sim.ConsoleSignIn(iamsim.DefaultAccountID, "new", "Temp-Passw0rd-1!", "")
	if err != nil || plain.MFA || plain.PasswordResetRequired {
		t.Fatalf("plain sign-in: %+v, %v", plain, err)
	}
}

// A password older than the policy's MaxPasswordAge must be changed at
// sign-in; with HardExpiry, only an administrator can reset it.
func TestConsoleSignInExpiredPassword(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("ops"), Password: aws.String("Temp-Passw0rd-1!")}))
	policy := func(hard bool) {
		must[*iam.UpdateAccountPasswordPolicyOutput](t)(f.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{MaxPasswordAge: aws.Int32(1), HardExpiry: aws.Bool(hard)}))
	}
	policy(false)
	if s, err := f.sim.ConsoleSignIn(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!", ""); err != nil || s.PasswordResetRequired {
		t.Fatalf("fresh password: %+v, %v", s, err)
	}
	clk.Advance(25 * time.Hour)
	if s, err := f.sim.ConsoleSignIn(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!", ""); err != nil || !s.PasswordResetRequired {
		t.Fatalf("expired password: %+v, %v", s, err)
	}
	policy(true)
	if _, err := f.sim.ConsoleSignIn(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!", ""); !errors.Is(err, iamsim.ErrPasswordExpired) {
		t.Fatalf("hard expiry: %v", err)
	}
}
