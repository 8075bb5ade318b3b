package iamsim_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// cfg is an SDK configuration signing with accessKeyID in region, retries
// off so that every error reaches the test.
func (f *fixture) cfg(accessKeyID, region string) aws.Config {
	cfg := iamsim.ClientConfig(f.srv.URL, accessKeyID)
	cfg.Region = region
	cfg.Retryer = func() aws.Retryer { return aws.NopRetryer{} }
	return cfg
}

func (f *fixture) org(accessKeyID string) *organizations.Client {
	return organizations.NewFromConfig(f.cfg(accessKeyID, "us-east-1"))
}

// enter assumes OrganizationAccountAccessRole in a member account as an
// administrator of the management account (AWS refuses root callers) and
// returns the session's access key ID.
func (f *fixture) enter(t *testing.T, memberID string) (string, error) {
	t.Helper()
	if f.operatorKey == "" {
		f.operatorKey = operatorKey(t, f.iam)
	}
	_, s := f.clients(f.operatorKey)
	out, err := s.AssumeRole(ctx, &sts.AssumeRoleInput{
		RoleArn:         aws.String("arn:aws:iam::" + memberID + ":role/" + iamsim.AccessRoleName),
		RoleSessionName: aws.String("audit"),
	})
	if err != nil {
		return "", err
	}
	return *out.Credentials.AccessKeyId, nil
}

// operatorKey creates, with c (the management account's root), an IAM user
// with AdministratorAccess and returns its access key ID: the principal that
// enters member accounts, since the role's trust names the account.
func operatorKey(tb testing.TB, c *iam.Client) string {
	tb.Helper()
	if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("org-operator")}); err != nil {
		tb.Fatal(err)
	}
	if _, err := c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("org-operator"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		tb.Fatal(err)
	}
	key, err := c.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("org-operator")})
	if err != nil {
		tb.Fatal(err)
	}
	return *key.AccessKey.AccessKeyId
}

func TestGenerateMembersIsSeededAndVaried(t *testing.T) {
	a, b, c := iamsim.GenerateMembers(200, 7), iamsim.GenerateMembers(200, 7), iamsim.GenerateMembers(200, 8)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different members")
	}
	if reflect.DeepEqual(a, c) {
		t.Fatal("different seeds gave the same members")
	}
	first := a[:6]
	if !first[0].Member.Suspended || first[1].Member.AccessRole || len(first[2].RootAccessKeyIDs) != 1 ||
		!first[3].RootMFA || first[4].Member.UsersWithoutMFA != 1 || first[5].Member.RootSigningCertificates != 1 {
		t.Fatalf("the first six members do not show one state each: %+v", first)
	}
	counts := map[string]int{}
	ids := map[string]bool{}
	for _, m := range a {
		ids[m.ID] = true
		counts["keys"] += len(m.RootAccessKeyIDs)
		counts["nomfa"] += 1 - map[bool]int{true: 1}[m.RootMFA]
		counts["usersNoMFA"] += m.Member.UsersWithoutMFA
		counts["noRole"] += map[bool]int{false: 1}[m.Member.AccessRole]
		counts["suspended"] += map[bool]int{true: 1}[m.Member.Suspended]
		counts["ou:"+m.Member.OU]++
	}
	if len(ids) != 200 {
		t.Fatalf("IDs are not unique: %d distinct", len(ids))
	}
	for _, k := range []string{"keys", "nomfa", "usersNoMFA", "noRole", "suspended", "ou:", "ou:Sandbox", "ou:Workloads/Prod", "ou:Workloads/Dev"} {
		if counts[k] == 0 || counts[k] == 200 {
			t.Errorf("state %s is not varied: %d of 200", k, counts[k])
		}
	}
}

func TestOrganizationsListsAndPaginates(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 45, Seed: 3})
	org := f.org(iamsim.DefaultRootAccessKeyID)
	desc := must[*organizations.DescribeOrganizationOutput](t)(org.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}))
	if *desc.Organization.MasterAccountId != iamsim.DefaultAccountID || desc.Organization.FeatureSet != orgtypes.OrganizationFeatureSetAll {
		t.Fatalf("organization: %+v", desc.Organization)
	}

	seen := map[string]orgtypes.AccountState{}
	pages := 0
	p := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{MaxResults: aws.Int32(20)})
	for p.HasMorePages() {
		page := must[*organizations.ListAccountsOutput](t)(p.NextPage(ctx))
		pages++
		for _, a := range page.Accounts {
			if _, dup := seen[*a.Id]; dup {
				t.Fatalf("account %s listed twice", *a.Id)
			}
			seen[*a.Id] = a.State
		}
	}
	if len(seen) != 46 || pages != 3 {
		t.Fatalf("want 46 accounts on 3 pages, got %d on %d", len(seen), pages)
	}
	for _, m := range iamsim.GenerateMembers(45, 3) {
		want := orgtypes.AccountStateActive
		if m.Member.Suspended {
			want = orgtypes.AccountStateSuspended
		}
		if seen[m.ID] != want {
			t.Errorf("account %s: state %s, want %s", m.ID, seen[m.ID], want)
		}
	}

	_, err := org.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(21)})
	wantError(t, err, "InvalidInputException", 400, "MaxResults")
	_, err = org.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: aws.String("bogus")})
	wantError(t, err, "InvalidInputException", 400, "nextToken")
	var invalid *orgtypes.InvalidInputException
	if !errors.As(err, &invalid) || invalid.Reason != orgtypes.InvalidInputExceptionReasonInvalidPaginationToken {
		t.Fatalf("the SDK does not read the error's shape: %#v", err)
	}
}

// TestOrganizationsTree walks the root and OUs: every account is under
// exactly one parent, and OUs nest (Workloads/Prod).
func TestOrganizationsTree(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 30, Seed: 5})
	org := f.org(iamsim.DefaultRootAccessKeyID)
	roots := must[*organizations.ListRootsOutput](t)(org.ListRoots(ctx, &organizations.ListRootsInput{}))
	if len(roots.Roots) != 1 {
		t.Fatalf("roots: %+v", roots.Roots)
	}
	total := 0
	names := map[string]bool{}
	var walk func(parent, path string)
	walk = func(parent, path string) {
		accts := must[*organizations.ListAccountsForParentOutput](t)(org.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String(parent)}))
		total += len(accts.Accounts)
		p := organizations.NewListOrganizationalUnitsForParentPaginator(org, &organizations.ListOrganizationalUnitsForParentInput{ParentId: aws.String(parent), MaxResults: aws.Int32(1)})
		for p.HasMorePages() {
			for _, ou := range must[*organizations.ListOrganizationalUnitsForParentOutput](t)(p.NextPage(ctx)).OrganizationalUnits {
				names[path+*ou.Name] = true
				walk(*ou.Id, path+*ou.Name+"/")
			}
		}
	}
	walk(*roots.Roots[0].Id, "")
	if total != 31 {
		t.Fatalf("accounts under the tree: %d, want 31", total)
	}
	for _, n := range []string{"Workloads", "Workloads/Prod", "Workloads/Dev", "Sandbox"} {
		if !names[n] {
			t.Errorf("OU %s missing from %v", n, names)
		}
	}
	_, err := org.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String("r-zzzz")})
	wantError(t, err, "ParentNotFoundException", 400)
	_, err = org.ListAccountsForParent(ctx, &organizations.ListAccountsForParentInput{ParentId: aws.String("nope")})
	wantError(t, err, "InvalidInputException", 400, "ParentId")
}

func TestOrganizationsScoping(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	member := f.org(session)
	if _, err := member.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil {
		t.Fatalf("a member can describe its organization: %v", err)
	}
	_, err = member.ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantError(t, err, "AccessDeniedException", 400)
	_, err = member.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")})
	wantError(t, err, "AccessDeniedException", 400)

	alone := start(t, iamsim.Options{})
	_, err = alone.org(iamsim.DefaultRootAccessKeyID).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantError(t, err, "AWSOrganizationsNotInUseException", 400)
	// A member added to a running simulator starts the organization.
	if err := alone.sim.AddAccount(iamsim.AccountConfig{ID: "999988887777", Member: &iamsim.MemberConfig{Name: "late", OU: "Late"}}); err != nil {
		t.Fatal(err)
	}
	late := must[*organizations.ListAccountsOutput](t)(alone.org(iamsim.DefaultRootAccessKeyID).ListAccounts(ctx, &organizations.ListAccountsInput{}))
	if len(late.Accounts) != 2 || *late.Accounts[1].Name != "late" {
		t.Fatalf("accounts after AddAccount: %+v", late.Accounts)
	}

	// An IAM user of the management account needs organizations:* allowed.
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("auditor")}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("auditor")})).AccessKey
	_, err = f.org(*key.AccessKeyId).ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantError(t, err, "AccessDeniedException", 403, "organizations:ListAccounts")
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("auditor"), PolicyName: aws.String("org"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"organizations:List*","Resource":"*"}]}`)}))
	if _, err := f.org(*key.AccessKeyId).ListAccounts(ctx, &organizations.ListAccountsInput{}); err != nil {
		t.Fatalf("allowed user: %v", err)
	}
}

func TestServiceAccess(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 2, Seed: 1})
	org := f.org(iamsim.DefaultRootAccessKeyID)
	_, err := org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("nosuch.amazonaws.com")})
	wantError(t, err, "InvalidInputException", 400, "nosuch.amazonaws.com")
	for range 2 { // idempotent
		must[*organizations.EnableAWSServiceAccessOutput](t)(org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}))
	}
	must[*organizations.EnableAWSServiceAccessOutput](t)(org.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("account.amazonaws.com")}))
	var got []string
	p := organizations.NewListAWSServiceAccessForOrganizationPaginator(org, &organizations.ListAWSServiceAccessForOrganizationInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		for _, s := range must[*organizations.ListAWSServiceAccessForOrganizationOutput](t)(p.NextPage(ctx)).EnabledServicePrincipals {
			got = append(got, *s.ServicePrincipal)
		}
	}
	if fmt.Sprint(got) != "[account.amazonaws.com iam.amazonaws.com]" {
		t.Fatalf("trusted services: %v", got)
	}
	mutating := 0
	for _, e := range f.sim.MutatingRequests() {
		if e.Action == "EnableAWSServiceAccess" && e.Params["ServicePrincipal"] != "" {
			mutating++
		}
	}
	if mutating != 4 {
		t.Fatalf("logged EnableAWSServiceAccess requests with their principal: %d, want 4", mutating)
	}
}

// TestEnterMemberAccounts: the management account enters members through
// OrganizationAccountAccessRole; a member without the role, a suspended one,
// another role name and another account's caller are refused.
func TestEnterMemberAccounts(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	sessionIAM, sessionSTS := f.clients(session)
	// The session is the role's, in member 3 (the member with a root key):
	// root's own credentials are AssumeRoot's business.
	who := must[*sts.GetCallerIdentityOutput](t)(sessionSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got := aws.ToString(who.Arn); got != "arn:aws:sts::210000000003:assumed-role/"+iamsim.AccessRoleName+"/audit" {
		t.Fatalf("the session is %s", got)
	}
	_, err = sessionIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	wantError(t, err, "ValidationError", 400, "non-User credentials")
	sum := must[*iam.GetAccountSummaryOutput](t)(sessionIAM.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	if sum.SummaryMap["AccountAccessKeysPresent"] != 1 {
		t.Fatalf("the session does not see member 3's root key: %v", sum.SummaryMap)
	}
	for _, id := range []string{"210000000001", "210000000002"} {
		_, err := f.enter(t, id)
		wantError(t, err, "AccessDenied", 403, "sts:AssumeRole")
	}
	_, operator := f.clients(f.operatorKey)
	_, err = operator.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210000000004:role/Other"), RoleSessionName: aws.String("x1")})
	wantError(t, err, "AccessDenied", 403, "role/Other")
	_, err = f.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210000000004:role/" + iamsim.AccessRoleName), RoleSessionName: aws.String("x1")})
	wantError(t, err, "AccessDenied", 403, "Roles may not be assumed by root accounts")
	_, memberSTS := f.clients(session)
	_, err = memberSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::210000000004:role/" + iamsim.AccessRoleName), RoleSessionName: aws.String("x2")})
	wantError(t, err, "AccessDenied", 403)
}
