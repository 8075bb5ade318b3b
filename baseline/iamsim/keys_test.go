package iamsim_test

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

func TestAccessKeysAndUserCallers(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "444444444444", RootAccessKeyIDs: []string{"AKIAROOTKEY0000000001"}, RootSigningKeyIDs: []string{"ASIAROOTSESSION00001"}}}})
	root, _ := f.clients("AKIAROOTKEY0000000001")
	must[*iam.CreateUserOutput](t)(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))
	k := must[*iam.CreateAccessKeyOutput](t)(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})).AccessKey
	if !strings.HasPrefix(*k.AccessKeyId, "AKIA") || len(*k.SecretAccessKey) != 40 || k.Status != types.StatusTypeActive || *k.UserName != "alice" {
		t.Fatalf("key %+v", k)
	}
	for _, e := range f.sim.Log() {
		for _, v := range e.Params {
			if strings.Contains(v, *k.SecretAccessKey) {
				t.Fatal("secret key in the log")
			}
		}
	}
	must[*iam.CreateAccessKeyOutput](t)(root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")}))
	_, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("alice")})
	wantError(t, err, "LimitExceeded", 409, "AccessKeysPerUser: 2")

	// Alice's key signs as alice; she may read IAM and delete her own keys.
	must[*iam.AttachUserPolicyOutput](t)(root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"), PolicyArn: aws.String("arn:aws:iam::aws:policy/IAMReadOnlyAccess")}))
	must[*iam.PutUserPolicyOutput](t)(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("alice"), PolicyName: aws.String("own-keys"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:DeleteAccessKey","Resource":"arn:aws:iam::*:user/${aws:username}"}}`)}))
	alice, aliceSTS := f.clients(*k.AccessKeyId)
	id := must[*sts.GetCallerIdentityOutput](t)(aliceSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if *id.Arn != "arn:aws:iam::444444444444:user/alice" || !strings.HasPrefix(*id.UserId, "AIDA") {
		t.Fatalf("identity %s %s", *id.Arn, *id.UserId)
	}
	me := must[*iam.GetUserOutput](t)(alice.GetUser(ctx, &iam.GetUserInput{})).User
	if *me.UserName != "alice" {
		t.Fatalf("GetUser as alice: %+v", me)
	}
	mine := must[*iam.ListAccessKeysOutput](t)(alice.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	if len(mine.AccessKeyMetadata) != 2 {
		t.Fatalf("alice's keys %d", len(mine.AccessKeyMetadata))
	}

	// Root's keys: listed for root; deletable only when root signs.
	rootKeys := must[*iam.ListAccessKeysOutput](t)(root.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	if len(rootKeys.AccessKeyMetadata) != 1 || *rootKeys.AccessKeyMetadata[0].AccessKeyId != "AKIAROOTKEY0000000001" {
		t.Fatalf("root keys %+v", rootKeys.AccessKeyMetadata)
	}
	_, err = alice.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("AKIAROOTKEY0000000001")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("AKIANOSUCHKEY0000000")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("short")})
	wantError(t, err, "ValidationError", 400)

	_, err = root.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("alice")})
	wantError(t, err, "DeleteConflict", 409, "access keys")
	_, err = alice.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	wantError(t, err, "AccessDenied", 403, "iam:CreateAccessKey")

	// A deactivated key no longer signs.
	must[*iam.UpdateAccessKeyOutput](t)(root.UpdateAccessKey(ctx, &iam.UpdateAccessKeyInput{UserName: aws.String("alice"), AccessKeyId: k.AccessKeyId, Status: types.StatusTypeInactive}))
	_, err = aliceSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "InvalidClientTokenId", 403)

	must[*iam.DeleteAccessKeyOutput](t)(root.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String("AKIAROOTKEY0000000001")}))
	session, _ := f.clients("ASIAROOTSESSION00001")
	if s := summary(t, session); s["AccountAccessKeysPresent"] != 0 {
		t.Fatalf("root key still present: %v", s)
	}
	// The deleted key no longer signs at all.
	_, err = root.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
}

func TestCredentialReport(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	c := f.iam
	_, err := c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantError(t, err, "ReportNotPresent", 410)

	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	must[*iam.CreateLoginProfileOutput](t)(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1!")}))
	f.sim.SetCredentialReportDelay(10 * time.Second)

	gen := func() types.ReportStateType {
		return must[*iam.GenerateCredentialReportOutput](t)(c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})).State
	}
	if s := gen(); s != types.ReportStateTypeStarted {
		t.Fatalf("first state %s", s)
	}
	_, err = c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantError(t, err, "ReportInProgress", 404)
	if s := gen(); s != types.ReportStateTypeInprogress {
		t.Fatalf("second state %s", s)
	}
	clk.Advance(10 * time.Second)
	if s := gen(); s != types.ReportStateTypeComplete {
		t.Fatalf("third state %s", s)
	}
	out := must[*iam.GetCredentialReportOutput](t)(c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	if out.ReportFormat != types.ReportFormatTypeTextCsv || out.GeneratedTime == nil {
		t.Fatalf("report meta %+v", out)
	}
	rows, err := csv.NewReader(strings.NewReader(string(out.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active," +
		"access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service," +
		"cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated"
	if strings.Join(rows[0], ",") != wantHeader || len(rows) != 3 {
		t.Fatalf("report:\n%s", out.Content)
	}
	if rows[1][0] != "<root_account>" || rows[1][1] != "arn:aws:iam::123456789012:root" || rows[1][7] != "false" || rows[1][8] != "true" {
		t.Fatalf("root row %v", rows[1])
	}
	if rows[2][0] != "bob" || rows[2][3] != "true" || rows[2][7] != "false" || rows[2][8] != "false" {
		t.Fatalf("bob row %v", rows[2])
	}

	// After four hours the report expires and a new one is started.
	clk.Advance(4 * time.Hour)
	_, err = c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{})
	wantError(t, err, "ReportExpired", 410)
	if s := gen(); s != types.ReportStateTypeStarted {
		t.Fatalf("state after expiry %s", s)
	}
}

func TestSeedUsersForLargeAudits(t *testing.T) {
	f := start(t, iamsim.Options{})
	if err := f.sim.SeedUsers(iamsim.DefaultAccountID, "user", 4999); err != nil {
		t.Fatal(err)
	}
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("last")}))
	_, err := f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("one-too-many")})
	wantError(t, err, "LimitExceeded", 409, "UsersPerAccount")
	n, pages := 0, 0
	p := iam.NewListUsersPaginator(f.iam, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
	for p.HasMorePages() {
		n += len(must[*iam.ListUsersOutput](t)(p.NextPage(ctx)).Users)
		pages++
	}
	if n != 5000 || pages != 5 {
		t.Fatalf("%d users in %d pages", n, pages)
	}
	if err := f.sim.SeedUsers("999999999999", "x", 1); err == nil {
		t.Fatal("seeded an unknown account")
	}
}
