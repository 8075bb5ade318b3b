package iamsim_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func TestCheckConsolePasswordFollowsCreateAndUpdate(t *testing.T) {
	f := start(t, iamsim.Options{})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))
	acct := iamsim.DefaultAccountID
	if ok, _ := f.sim.CheckConsolePassword(acct, "alice", "anything"); ok {
		t.Fatal("a user without a login profile signed in")
	}
	const first, second = "First-Passw0rd!xyz", "Second-Passw0rd!xyz"
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{
		UserName: aws.String("alice"), Password: aws.String(first), PasswordResetRequired: true}))
	if ok, reset := f.sim.CheckConsolePassword(acct, "ALICE", first); !ok || !reset {
		t.Fatalf("after create: ok=%v reset=%v, want true true", ok, reset)
	}
	if ok, _ := f.sim.CheckConsolePassword(acct, "alice", second); ok {
		t.Fatal("a wrong password was accepted")
	}
	must[*iam.UpdateLoginProfileOutput](t)(f.iam.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{
		UserName: aws.String("alice"), Password: aws.String(second), PasswordResetRequired: aws.Bool(false)}))
	if ok, _ := f.sim.CheckConsolePassword(acct, "alice", first); ok {
		t.Fatal("the replaced password still works")
	}
	if ok, reset := f.sim.CheckConsolePassword(acct, "alice", second); !ok || reset {
		t.Fatalf("after update: ok=%v reset=%v, want true false", ok, reset)
	}
	// A policy violation changes nothing.
	_, err := f.iam.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("alice"), Password: aws.String("x")})
	wantError(t, err, "PasswordPolicyViolation", 400)
	if ok, _ := f.sim.CheckConsolePassword(acct, "alice", second); !ok {
		t.Fatal("a refused update replaced the password")
	}
}

func TestExpiredCredentialsAnswerExpiredToken(t *testing.T) {
	f := start(t, iamsim.Options{})
	const key = "ASIAEXPIREDEXAMPLE01"
	fresh, freshSTS := f.clients(key)
	must[*iam.GetAccountSummaryOutput](t)(fresh.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	f.sim.ExpireCredentials(key)
	_, err := fresh.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	wantError(t, err, "ExpiredToken", 403, "expired")
	_, err = freshSTS.GetCallerIdentity(ctx, nil)
	wantError(t, err, "ExpiredToken", 403)
	// Other credentials are unaffected.
	must[*iam.GetAccountSummaryOutput](t)(f.iam.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
}
