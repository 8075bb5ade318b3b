package iamsim_test

// Tests for issue 14: places where iamsim used to be kinder than AWS.

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// A deleted access key is refused with InvalidClientTokenId, even in the
// default setup where a never-seen key signs as root.
func TestDeletedAccessKeyIsRefused(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	k := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})).AccessKey
	_, bob := f.clients(*k.AccessKeyId)
	must[*sts.GetCallerIdentityOutput](t)(bob.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	must[*iam.DeleteAccessKeyOutput](t)(f.iam.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: k.AccessKeyId}))
	_, err := bob.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
	// A key never seen still becomes the default account's root key.
	other, _ := f.clients("AKIANEVERSEENBEFORE1")
	must[*iam.GetUserOutput](t)(other.GetUser(ctx, &iam.GetUserInput{}))
}

// CreateAccountAlias replaces an existing alias; aliases are unique within
// a partition only.
func TestAccountAliasReplacedAndUniquePerPartition(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{
		{ID: "111111111111", RootAccessKeyIDs: []string{"AKIAONE"}, Alias: "first"},
		{ID: "222222222222", RootAccessKeyIDs: []string{"AKIATWO"}, Alias: "taken"},
		{ID: "333333333333", Partition: "aws-cn", RootAccessKeyIDs: []string{"AKIACN"}},
	}})
	one, _ := f.clients("AKIAONE")
	must[*iam.CreateAccountAliasOutput](t)(one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("second")}))
	got := must[*iam.ListAccountAliasesOutput](t)(one.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})).AccountAliases
	if strings.Join(got, ",") != "second" {
		t.Fatalf("aliases after replacing: %v", got)
	}
	cn, _ := f.clients("AKIACN")
	must[*iam.CreateAccountAliasOutput](t)(cn.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("taken")}))
	_, err := one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("taken")})
	wantError(t, err, "EntityAlreadyExists", 409)
	// The freed alias can be taken by another account.
	two, _ := f.clients("AKIATWO")
	must[*iam.CreateAccountAliasOutput](t)(one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("third")}))
	must[*iam.CreateAccountAliasOutput](t)(two.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("second")}))
}

// GetCredentialReport alone sees the report complete once its build time
// has passed: no second GenerateCredentialReport is needed.
func TestCredentialReportCompletesByTime(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	f.sim.SetCredentialReportDelay(5 * time.Second)
	must[*iam.GenerateCredentialReportOutput](t)(f.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	_, err := f.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantError(t, err, "ReportInProgress", 404)
	clk.Advance(5 * time.Second)
	must[*iam.GetCredentialReportOutput](t)(f.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
}

// Passwords follow the model's pattern [\u0009\u000A\u000D\u0020-\u00FF]+
// and its length in characters.
func TestPasswordCharacterRanges(t *testing.T) {
	f := start(t, iamsim.Options{})
	for i, pw := range []string{"Abcdefg1!\nxyz", "Abcdefg1!\rxyz", "Abcdefg1!é", "Ab1!" + strings.Repeat("ÿ", 124)} {
		name := "user" + string(rune('a'+i))
		must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
		if _, err := f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(name), Password: aws.String(pw)}); err != nil {
			t.Errorf("password %q: %v", pw, err)
		}
	}
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bad")}))
	for _, pw := range []string{"Abcdefg1!\x01", "Abcdefg1!Ā", "Abcdefg1!€", "Ab1!" + strings.Repeat("ÿ", 125)} {
		_, err := f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bad"), Password: aws.String(pw)})
		wantError(t, err, "ValidationError", 400)
	}
}

// ListPolicies leaves out Description; GetPolicy carries it.
func TestListPoliciesWithoutDescription(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreatePolicyOutput](t)(f.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"),
		Description: aws.String("mine"), PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}`)}))
	list := must[*iam.ListPoliciesOutput](t)(f.iam.ListPolicies(ctx, &iam.ListPoliciesInput{}))
	if len(list.Policies) < 2 {
		t.Fatalf("policies %v", list.Policies)
	}
	for _, p := range list.Policies {
		if p.Description != nil {
			t.Errorf("%s listed with description %q", aws.ToString(p.PolicyName), aws.ToString(p.Description))
		}
	}
	got := must[*iam.GetPolicyOutput](t)(f.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::123456789012:policy/p")}))
	if aws.ToString(got.Policy.Description) != "mine" {
		t.Errorf("GetPolicy description %q", aws.ToString(got.Policy.Description))
	}
}

// access_key_N_last_rotated is N/A when the key is inactive (AWS's
// credential report documentation).
func TestCredentialReportInactiveKeyNotRotated(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	k1 := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")})).AccessKey
	must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("bob")}))
	must[*iam.UpdateAccessKeyOutput](t)(f.iam.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("bob"), AccessKeyId: k1.AccessKeyId, Status: types.StatusTypeInactive}))
	must[*iam.GenerateCredentialReportOutput](t)(f.iam.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	out := must[*iam.GetCredentialReportOutput](t)(f.iam.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	bob := rows[2]
	if bob[col["access_key_1_active"]] != "false" || bob[col["access_key_1_last_rotated"]] != "N/A" {
		t.Errorf("inactive key: active %s, last rotated %s", bob[col["access_key_1_active"]], bob[col["access_key_1_last_rotated"]])
	}
	if bob[col["access_key_2_active"]] != "true" || bob[col["access_key_2_last_rotated"]] == "N/A" {
		t.Errorf("active key: active %s, last rotated %s", bob[col["access_key_2_active"]], bob[col["access_key_2_last_rotated"]])
	}
}

// EnableMFADevice with codes that are valid but late associates the device,
// out of sync: its codes are refused (here by AssumeRole) until
// ResyncMFADevice with two fresh codes.
func TestEnableWithLateCodesIsOutOfSync(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	_, opsSTS := userClient(t, f, "ops")
	createRole(t, f.iam, "admin", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ops"},"Action":"sts:AssumeRole"}}`)
	serial, seed := createDevice(t, f.iam, "ops")
	then := clk.Now()
	clk.Advance(3 * time.Minute)
	if err := enable(f.iam, "ops", serial, code(t, seed, then.Add(-30*time.Second)), code(t, seed, then)); err != nil {
		t.Fatalf("late codes: %v", err)
	}
	if assigned, inSync := f.sim.MFADeviceInSync(iamsim.DefaultAccountID, serial); !assigned || inSync {
		t.Fatalf("assigned %v, in sync %v", assigned, inSync)
	}
	assume := func() error {
		_, err := opsSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/admin"), RoleSessionName: aws.String("s1"),
			SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, clk.Now()))})
		return err
	}
	wantError(t, assume(), "AccessDenied", 403, "MultiFactorAuthentication failed")
	now := clk.Now()
	must[*iam.ResyncMFADeviceOutput](t)(f.iam.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("ops"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code(t, seed, now.Add(-30*time.Second))), AuthenticationCode2: aws.String(code(t, seed, now))}))
	clk.Advance(30 * time.Second)
	if err := assume(); err != nil {
		t.Fatalf("after resync: %v", err)
	}
}

// The virtual MFA device quota: devices, assigned or not, per account.
func TestVirtualMFADeviceQuota(t *testing.T) {
	f := start(t, iamsim.Options{VirtualMFADeviceQuota: 2})
	createDevice(t, f.iam, "one")
	createDevice(t, f.iam, "two")
	_, err := f.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("three")})
	wantError(t, err, "LimitExceeded", 409, "VirtualMFADevices")
}

// A user deleted and recreated within IAM's consistency window cannot have
// its password or MFA changed for a while: EntityTemporarilyUnmodifiable.
func TestRecreatedUserTemporarilyUnmodifiable(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now, ConsistencyDelay: 10 * time.Second})
	create := func() {
		must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
		clk.Advance(10 * time.Second)
	}
	create()
	must[*iam.DeleteUserOutput](t)(f.iam.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")}))
	create()
	must[*iam.GetUserOutput](t)(f.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}))
	_, err := f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1!")})
	wantError(t, err, "EntityTemporarilyUnmodifiable", 409)
	clk.Advance(10 * time.Second)
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1!")}))
}

// ConcurrentModification, which AWS documents for these actions (and newer
// models than ours for CreateAccountAlias too), is a fault mode: a simulator
// that serialises requests never produces it alone.
func TestConcurrentModificationFault(t *testing.T) {
	f := start(t, iamsim.Options{})
	for _, action := range []string{"CreateUser", "DeleteUser", "CreateVirtualMFADevice", "CreatePolicy"} {
		if !strings.Contains(strings.Join(iamsim.DocumentedErrors(action), ","), "ConcurrentModification") {
			t.Errorf("%s does not document ConcurrentModification", action)
		}
	}
	for _, action := range []string{"CreateVirtualMFADevice", "CreateAccountAlias"} {
		f.sim.AddFault(iamsim.Fault{Action: action, Nth: 1, Code: "ConcurrentModification"})
	}
	_, err := f.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bob")})
	wantError(t, err, "ConcurrentModification", 409)
	_, err = f.iam.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("bobs")})
	wantError(t, err, "ConcurrentModification", 409)
	must[*iam.CreateVirtualMFADeviceOutput](t)(f.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bob")}))
}

// Argument checks follow the model: VersionId's pattern, policy paths,
// document characters, and 128-character names where they name an
// existing user.
func TestArgumentChecksFollowTheModel(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	adminARN := aws.String("arn:aws:iam::aws:policy/AdministratorAccess")
	_, err := c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: adminARN, VersionId: aws.String("1")})
	wantError(t, err, "ValidationError", 400, "versionId")
	_, err = c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: adminARN, VersionId: aws.String("v9")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("p"), Path: aws.String("/a~b/"), PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}`)})
	wantError(t, err, "ValidationError", 400, "path")
	_, err = c.ListPolicies(ctx, &iam.ListPoliciesInput{PathPrefix: aws.String("/a~b/")})
	wantError(t, err, "ValidationError", 400, "pathPrefix")
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"*","Sid":"Ā"}`)})
	wantError(t, err, "ValidationError", 400, "policyDocument")
	long := strings.Repeat("a", 100)
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(long)})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(long)})
	wantError(t, err, "ValidationError", 400, "userName")
}

// Validation messages never echo a secret: the model marks only passwords
// sensitive, but MFA codes are secrets too.
func TestValidationNeverEchoesSecrets(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	serial, _ := createDevice(t, f.iam, "bob")
	err := enable(f.iam, "bob", serial, "12345a", "98765b")
	wantError(t, err, "ValidationError", 400, "authenticationCode1")
	if strings.Contains(err.Error(), "12345a") || strings.Contains(err.Error(), "98765b") {
		t.Errorf("a code is echoed: %v", err)
	}
	_, err = f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1!Ā")})
	wantError(t, err, "ValidationError", 400, "password")
	if strings.Contains(err.Error(), "Abcdefg1") {
		t.Errorf("the password is echoed: %v", err)
	}
}

// The errors AWS documents per action, for fault matrices: each injected
// as a fault reaches the SDK with AWS's status.
func TestDocumentedErrorsInjectable(t *testing.T) {
	errs := iamsim.DocumentedErrors("CreateUser")
	if strings.Join(errs, ",") != "ConcurrentModification,EntityAlreadyExists,InvalidInput,LimitExceeded,NoSuchEntity,ServiceFailure" {
		t.Fatalf("CreateUser documents %v", errs)
	}
	if iamsim.DocumentedErrors("NoSuchAction") != nil {
		t.Fatal("errors for an unknown action")
	}
	f := start(t, iamsim.Options{})
	status := map[string]int{"ConcurrentModification": 409, "EntityAlreadyExists": 409, "InvalidInput": 400, "LimitExceeded": 409, "NoSuchEntity": 404, "ServiceFailure": 500}
	for _, code := range errs {
		f.sim.AddFault(iamsim.Fault{Action: "CreateUser", Nth: 1, Code: code})
		_, err := f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
		wantError(t, err, code, status[code])
		f.sim.ClearFaults()
	}
}
