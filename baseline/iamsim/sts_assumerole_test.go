package iamsim_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// TestAssumeRoleWithMFA: an IAM user of one account with a virtual MFA device
// assumes a role in another account; the token code is checked against the
// device, and the session's credentials act in the role's account.
func TestAssumeRoleWithMFA(t *testing.T) {
	clk := newClock()
	source := iamsim.DefaultAccount()
	target := iamsim.AccountConfig{ID: "210987654321", Partition: "aws", Roles: []iamsim.RoleConfig{{Name: "admin",
		TrustPolicy: `{"Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole"}}`}}}
	f := start(t, iamsim.Options{Now: clk.Now, Accounts: []iamsim.AccountConfig{source, target}})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("assume"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`)}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})).AccessKey
	// An IAM user needs sts:AssumeRole in an identity policy.
	must[*iam.AttachUserPolicyOutput](t)(f.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	serial, seed := createDevice(t, f.iam, "ops")
	now := clk.Now()
	if err := enable(f.iam, "ops", serial, code(t, seed, now.Add(-30*time.Second)), code(t, seed, now)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Second)
	_, userSTS := f.clients(*key.AccessKeyId)
	role := "arn:aws:iam::210987654321:role/admin"
	in := func(serial, token string) *sts.AssumeRoleInput {
		return &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("iam-baseline"),
			SerialNumber: aws.String(serial), TokenCode: aws.String(token)}
	}

	_, err := userSTS.AssumeRole(ctx, in(serial, "000000"))
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication failed")
	_, err = userSTS.AssumeRole(ctx, in(serial, "12345"))
	wantError(t, err, "ValidationError", 400, "tokenCode")
	_, err = userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1"), SerialNumber: aws.String(serial)})
	wantError(t, err, "AccessDenied", 403, "MultiFactorAuthentication")
	_, err = userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::999999999999:role/admin"), RoleSessionName: aws.String("s1")})
	wantError(t, err, "AccessDenied", 403, "not authorized to perform: sts:AssumeRole")
	_, err = userSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("bad name")})
	wantError(t, err, "ValidationError", 400, "roleSessionName")

	out, err := userSTS.AssumeRole(ctx, in(serial, code(t, seed, clk.Now())))
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.AssumedRoleUser.Arn); got != "arn:aws:sts::210987654321:assumed-role/admin/iam-baseline" {
		t.Errorf("assumed role ARN %s", got)
	}
	creds := out.Credentials
	if !strings.HasPrefix(aws.ToString(creds.AccessKeyId), "ASIA") || aws.ToString(creds.SessionToken) == "" {
		t.Errorf("credentials %s / token %q", aws.ToString(creds.AccessKeyId), aws.ToString(creds.SessionToken))
	}
	if want := clk.Now().Add(time.Hour); !aws.ToTime(creds.Expiration).Equal(want.Truncate(time.Second)) {
		t.Errorf("expiration %v, want %v", aws.ToTime(creds.Expiration), want)
	}

	_, sessionSTS := f.clients(aws.ToString(creds.AccessKeyId))
	who := must[*sts.GetCallerIdentityOutput](t)(sessionSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if aws.ToString(who.Account) != "210987654321" {
		t.Errorf("session acts in account %s, want the role's", aws.ToString(who.Account))
	}

	for _, e := range f.sim.Log() {
		if e.Action == "AssumeRole" && e.Params["TokenCode"] != "" && e.Params["TokenCode"] != "[redacted]" {
			t.Errorf("token code logged: %q", e.Params["TokenCode"])
		}
	}
}

// A device the simulator does not hold (a hardware token) is checked for
// shape only; without MFA the trust policy alone decides.
func TestAssumeRoleUnknownDeviceAndNoMFA(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreateRoleOutput](t)(f.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("admin"),
		AssumeRolePolicyDocument: aws.String(`{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}))
	_, bob := userClient(t, f, "bob")
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("assume"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::123456789012:role/admin"}`)}))
	role := "arn:aws:iam::123456789012:role/admin"
	_, err := bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1"),
		SerialNumber: aws.String("GAHT12345678"), TokenCode: aws.String("123456")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(role), RoleSessionName: aws.String("s1")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws-cn:iam::123456789012:role/admin"), RoleSessionName: aws.String("s1")})
	wantError(t, err, "AccessDenied", 403, "sts:AssumeRole")
}
