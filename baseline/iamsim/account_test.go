package iamsim_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func TestGetCallerIdentityRoot(t *testing.T) {
	f := start(t, iamsim.Options{})
	out := must[*sts.GetCallerIdentityOutput](t)(f.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if *out.Account != iamsim.DefaultAccountID || *out.Arn != "arn:aws:iam::123456789012:root" || *out.UserId != iamsim.DefaultAccountID {
		t.Fatalf("identity = %s %s %s", *out.Account, *out.Arn, *out.UserId)
	}
	// With no configuration any key is that account's root user.
	_, other := f.clients("AKIAANYOTHERKEY00000")
	out = must[*sts.GetCallerIdentityOutput](t)(other.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if *out.Arn != "arn:aws:iam::123456789012:root" {
		t.Fatalf("arn = %s", *out.Arn)
	}
}

// TestAnswersAreDatedBySimClock: AWS dates its answers by its clock, which
// clients use to measure their skew (the MFA enrollment does), so a
// simulator with its own clock must date them by it.
func TestAnswersAreDatedBySimClock(t *testing.T) {
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	f := start(t, iamsim.Options{Now: func() time.Time { return at }})
	out := must[*sts.GetCallerIdentityOutput](t)(f.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got, ok := awsmiddleware.GetServerTime(out.ResultMetadata); !ok || !got.Equal(at) {
		t.Fatalf("server time %v (%v), want %v", got, ok, at)
	}
}

func TestPartitionsAndAccounts(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{
		{ID: "111111111111", Partition: "aws-cn", RootAccessKeyIDs: []string{"AKIACN"}},
		{ID: "222222222222", Partition: "aws-us-gov", RootAccessKeyIDs: []string{"AKIAGOV"}},
	}})
	for key, want := range map[string]string{
		"AKIACN":  "arn:aws-cn:iam::111111111111:root",
		"AKIAGOV": "arn:aws-us-gov:iam::222222222222:root",
	} {
		client, stsClient := f.clients(key)
		id := must[*sts.GetCallerIdentityOutput](t)(stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
		if *id.Arn != want {
			t.Errorf("%s: arn %s, want %s", key, *id.Arn, want)
		}
		u := must[*iam.CreateUserOutput](t)(client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
		if !strings.HasPrefix(*u.User.Arn, strings.TrimSuffix(want, "root")+"user/bob") {
			t.Errorf("user arn %s", *u.User.Arn)
		}
	}
	// Accounts are separate: bob exists once in each.
	client, _ := f.clients("AKIACN")
	users := must[*iam.ListUsersOutput](t)(client.ListUsers(ctx, &iam.ListUsersInput{}))
	if len(users.Users) != 1 {
		t.Fatalf("aws-cn account has %d users", len(users.Users))
	}
	// An unknown key is refused when no account accepts any key.
	_, unknown := f.clients("AKIAUNKNOWN")
	_, err := unknown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
	// The policy ARN carries the partition.
	_, err = client.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
	wantError(t, err, "InvalidInput", 400, `Partition "aws" is not valid`)
	must[*iam.AttachGroupPolicyOutput](t)(client.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws-cn:iam::aws:policy/AdministratorAccess")}))
}

func rawPost(t *testing.T, url_ string, form url.Values, auth string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", url_, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	return resp.StatusCode, string(body)
}

func TestMissingAuthentication(t *testing.T) {
	f := start(t, iamsim.Options{})
	status, body := rawPost(t, f.srv.URL, url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, "")
	if status != 403 || !strings.Contains(body, "<Type>Sender</Type><Code>MissingAuthenticationToken</Code>") || !strings.Contains(body, "<RequestId>") {
		t.Fatalf("%d %s", status, body)
	}
	auth := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=00"
	status, body = rawPost(t, f.srv.URL, url.Values{"Action": {"Frobnicate"}, "Version": {"2010-05-08"}}, auth)
	if status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Fatalf("%d %s", status, body)
	}
	status, body = rawPost(t, f.srv.URL, url.Values{"Action": {"ListUsers"}, "Version": {"2010-05-08"}}, auth)
	if status != 200 || !strings.Contains(body, `<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">`) || !strings.Contains(body, "<ResponseMetadata><RequestId>") {
		t.Fatalf("%d %s", status, body)
	}
}

func summary(t *testing.T, c *iam.Client) map[string]int32 {
	t.Helper()
	return must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
}

func TestAccountSummaryReflectsRoot(t *testing.T) {
	f := start(t, iamsim.Options{})
	s := summary(t, f.iam)
	if s["AccountMFAEnabled"] != 0 || s["AccountAccessKeysPresent"] != 1 || s["Users"] != 0 || s["UsersQuota"] != 5000 || s["MFADevicesInUse"] != 0 {
		t.Fatalf("fresh summary %v", s)
	}
	f.sim.SetRoot(iamsim.DefaultAccountID, nil, true)
	s = summary(t, f.iam) // still root: AnyKeyIsRoot
	if s["AccountMFAEnabled"] != 1 || s["AccountAccessKeysPresent"] != 0 || s["MFADevicesInUse"] != 1 {
		t.Fatalf("summary after SetRoot %v", s)
	}
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a")}))
	must[*iam.CreateGroupOutput](t)(f.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("g")}))
	s = summary(t, f.iam)
	if s["Users"] != 1 || s["Groups"] != 1 {
		t.Fatalf("summary counts %v", s)
	}
}

func TestPasswordPolicy(t *testing.T) {
	f := start(t, iamsim.Options{})
	_, err := f.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantError(t, err, "NoSuchEntity", 404, "123456789012")
	_, err = f.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{})
	wantError(t, err, "NoSuchEntity", 404)

	must[*iam.UpdateAccountPasswordPolicyOutput](t)(f.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), PasswordReusePrevention: aws.Int32(24), MaxPasswordAge: aws.Int32(90),
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
		AllowUsersToChangePassword: true, HardExpiry: aws.Bool(true),
	}))
	p := must[*iam.GetAccountPasswordPolicyOutput](t)(f.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})).PasswordPolicy
	if *p.MinimumPasswordLength != 14 || *p.PasswordReusePrevention != 24 || *p.MaxPasswordAge != 90 || !p.ExpirePasswords ||
		!p.RequireSymbols || !p.RequireNumbers || !p.RequireUppercaseCharacters || !p.RequireLowercaseCharacters ||
		!p.AllowUsersToChangePassword || !*p.HardExpiry {
		t.Fatalf("policy %+v", p)
	}

	// The update replaces the whole policy: omitted fields take AWS's defaults.
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(f.iam.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{RequireNumbers: true}))
	p = must[*iam.GetAccountPasswordPolicyOutput](t)(f.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})).PasswordPolicy
	if *p.MinimumPasswordLength != 6 || p.PasswordReusePrevention != nil || p.MaxPasswordAge != nil || p.ExpirePasswords ||
		p.RequireSymbols || !p.RequireNumbers || p.AllowUsersToChangePassword {
		t.Fatalf("policy after partial update %+v", p)
	}

	for _, bad := range []*iam.UpdateAccountPasswordPolicyInput{
		{MinimumPasswordLength: aws.Int32(5)}, {MinimumPasswordLength: aws.Int32(129)},
		{PasswordReusePrevention: aws.Int32(0)}, {PasswordReusePrevention: aws.Int32(25)},
		{MaxPasswordAge: aws.Int32(0)}, {MaxPasswordAge: aws.Int32(1096)},
	} {
		_, err := f.iam.UpdateAccountPasswordPolicy(ctx, bad)
		wantError(t, err, "ValidationError", 400, "failed to satisfy constraint")
	}
	must[*iam.DeleteAccountPasswordPolicyOutput](t)(f.iam.DeleteAccountPasswordPolicy(ctx, &iam.DeleteAccountPasswordPolicyInput{}))
	_, err = f.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	wantError(t, err, "NoSuchEntity", 404)
}

func TestAccountAlias(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{
		{ID: "111111111111", RootAccessKeyIDs: []string{"AKIAONE"}},
		{ID: "222222222222", RootAccessKeyIDs: []string{"AKIATWO"}, Alias: "taken"},
	}})
	one, _ := f.clients("AKIAONE")
	aliases := must[*iam.ListAccountAliasesOutput](t)(one.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))
	if len(aliases.AccountAliases) != 0 || aliases.IsTruncated {
		t.Fatalf("aliases %v", aliases.AccountAliases)
	}
	for _, bad := range []string{"ab", "-abc", "abc-", "a--b", "ABC", "a_b", "123456789012", strings.Repeat("a", 64)} {
		_, err := one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String(bad)})
		if bad == "123456789012" {
			wantError(t, err, "InvalidInput", 400)
			continue
		}
		wantError(t, err, "ValidationError", 400)
	}
	_, err := one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("taken")})
	wantError(t, err, "EntityAlreadyExists", 409)
	must[*iam.CreateAccountAliasOutput](t)(one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("my-corp-1")}))
	must[*iam.CreateAccountAliasOutput](t)(one.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("my-corp-1")}))
	aliases = must[*iam.ListAccountAliasesOutput](t)(one.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))
	if len(aliases.AccountAliases) != 1 || aliases.AccountAliases[0] != "my-corp-1" {
		t.Fatalf("aliases %v", aliases.AccountAliases)
	}
	_, err = one.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("other")})
	wantError(t, err, "NoSuchEntity", 404)
	must[*iam.DeleteAccountAliasOutput](t)(one.DeleteAccountAlias(ctx, &iam.DeleteAccountAliasInput{AccountAlias: aws.String("my-corp-1")}))
	aliases = must[*iam.ListAccountAliasesOutput](t)(one.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{}))
	if len(aliases.AccountAliases) != 0 {
		t.Fatalf("aliases after delete %v", aliases.AccountAliases)
	}
}

func TestRootCredentialsRemoved(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{
		ID: "666666666666", RootAccessKeyIDs: []string{"AKIAIGNORED"}, RootMFA: true,
		RootCredentialsRemoved: true, RootSigningKeyIDs: []string{"ASIAORGSESSION"},
	}}})
	c, _ := f.clients("ASIAORGSESSION")
	s := summary(t, c)
	if s["AccountMFAEnabled"] != 0 || s["AccountAccessKeysPresent"] != 0 || s["AccountPasswordPresent"] != 0 {
		t.Fatalf("summary %v", s)
	}
	// Root's removed key does not sign.
	_, removed := f.clients("AKIAIGNORED")
	_, err := removed.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
}
