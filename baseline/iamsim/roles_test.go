package iamsim_test

import (
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

const (
	trustAccount = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`
	readOnlyARN  = "arn:aws:iam::aws:policy/IAMReadOnlyAccess"
)

func createRole(t *testing.T, c *iam.Client, name, trust string) *types.Role {
	t.Helper()
	return must[*iam.CreateRoleOutput](t)(c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name), AssumeRolePolicyDocument: aws.String(trust)})).Role
}

// AssumeRole as AWS: root cannot, the role must exist and trust the
// caller, and the session is the role, with the role's permissions.
func TestAssumeRoleSessionIsTheRole(t *testing.T) {
	f := start(t, iamsim.Options{})
	role := createRole(t, f.iam, "auditor", trustAccount)
	must[*iam.AttachRolePolicyOutput](t)(f.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("auditor"), PolicyArn: aws.String(readOnlyARN)}))
	in := &sts.AssumeRoleInput{RoleArn: role.Arn, RoleSessionName: aws.String("audit")}

	_, err := f.sts.AssumeRole(ctx, in)
	wantError(t, err, "AccessDenied", 403, "Roles may not be assumed by root accounts")

	_, bob := userClient(t, f, "bob")
	// The trust policy names the account: bob's own policies must allow it.
	_, err = bob.AssumeRole(ctx, in)
	wantError(t, err, "AccessDenied", 403, "user/bob is not authorized to perform: sts:AssumeRole")
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("assume"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}`)}))
	_, err = bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/nobody"), RoleSessionName: aws.String("audit")})
	wantError(t, err, "AccessDenied", 403, "sts:AssumeRole")
	out := must[*sts.AssumeRoleOutput](t)(bob.AssumeRole(ctx, in))

	sessIAM, sessSTS := f.clients(aws.ToString(out.Credentials.AccessKeyId))
	who := must[*sts.GetCallerIdentityOutput](t)(sessSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if got := aws.ToString(who.Arn); got != "arn:aws:sts::123456789012:assumed-role/auditor/audit" {
		t.Errorf("caller %s", got)
	}
	if got := aws.ToString(who.UserId); got != aws.ToString(role.RoleId)+":audit" || got != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
		t.Errorf("user id %s, role id %s, assumed %s", got, aws.ToString(role.RoleId), aws.ToString(out.AssumedRoleUser.AssumedRoleId))
	}
	_, err = sessIAM.GetUser(ctx, &iam.GetUserInput{})
	wantError(t, err, "ValidationError", 400, "Must specify userName when calling with non-User credentials")
	_, err = sessIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	wantError(t, err, "ValidationError", 400, "non-User credentials")
	must[*iam.GetUserOutput](t)(sessIAM.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")}))
	must[*iam.ListUsersOutput](t)(sessIAM.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err = sessIAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("mallory")})
	wantError(t, err, "AccessDenied", 403, "User: arn:aws:sts::123456789012:assumed-role/auditor/audit is not authorized to perform: iam:CreateUser")
	for _, e := range f.sim.Log() {
		if e.Action == "CreateUser" && e.Params["UserName"] == "mallory" && e.Principal != "arn:aws:sts::123456789012:assumed-role/auditor/audit" {
			t.Errorf("logged principal %s", e.Principal)
		}
	}
}

// A trust policy that names the user lets it assume a role of its own
// account without an identity policy; one that names someone else does not.
func TestAssumeRoleTrustNamesTheUser(t *testing.T) {
	f := start(t, iamsim.Options{})
	_, bob := userClient(t, f, "bob")
	userClient(t, f, "alice")
	createRole(t, f.iam, "bobs", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`)
	createRole(t, f.iam, "alices", `{"Statement":{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/alice"]},"Action":"sts:AssumeRole"}}`)
	must[*sts.AssumeRoleOutput](t)(bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/bobs"), RoleSessionName: aws.String("s1")}))
	_, err := bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/alices"), RoleSessionName: aws.String("s1")})
	wantError(t, err, "AccessDenied", 403)
	_, err = bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/bobs"), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(7200)})
	wantError(t, err, "ValidationError", 400, "MaxSessionDuration")
}

func TestRolesLifecycle(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	for _, bad := range []string{
		`{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole"}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"123456789012"},"Action":"sts:AssumeRole","Resource":"*"}}`,
		`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/nobody"},"Action":"sts:AssumeRole"}}`,
	} {
		_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("r"), AssumeRolePolicyDocument: aws.String(bad)})
		wantError(t, err, "MalformedPolicyDocument", 400)
	}
	r := createRole(t, c, "Deploy", trustAccount)
	if aws.ToString(r.Arn) != "arn:aws:iam::123456789012:role/Deploy" || !strings.HasPrefix(aws.ToString(r.RoleId), "AROA") || aws.ToInt32(r.MaxSessionDuration) != 3600 {
		t.Errorf("role %+v", r)
	}
	_, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("deploy"), AssumeRolePolicyDocument: aws.String(trustAccount)})
	wantError(t, err, "EntityAlreadyExists", 409)
	got := must[*iam.GetRoleOutput](t)(c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("deploy")})).Role
	if d, _ := url.QueryUnescape(aws.ToString(got.AssumeRolePolicyDocument)); d != trustAccount {
		t.Errorf("trust policy %q", d)
	}
	must[*iam.AttachRolePolicyOutput](t)(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("Deploy"), PolicyArn: aws.String(readOnlyARN)}))
	must[*iam.PutRolePolicyOutput](t)(c.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("Deploy"), PolicyName: aws.String("inline"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}`)}))
	_, err = c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("Deploy")})
	wantError(t, err, "DeleteConflict", 409)
	ents := must[*iam.ListEntitiesForPolicyOutput](t)(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(readOnlyARN)}))
	if len(ents.PolicyRoles) != 1 || aws.ToString(ents.PolicyRoles[0].RoleName) != "Deploy" || len(ents.PolicyUsers)+len(ents.PolicyGroups) != 0 {
		t.Errorf("entities %+v", ents)
	}
	ents = must[*iam.ListEntitiesForPolicyOutput](t)(c.ListEntitiesForPolicy(ctx, &iam.ListEntitiesForPolicyInput{PolicyArn: aws.String(readOnlyARN), EntityFilter: types.EntityTypeUser}))
	if len(ents.PolicyRoles) != 0 {
		t.Errorf("user filter gave roles %+v", ents.PolicyRoles)
	}
	if n := len(must[*iam.ListRolePoliciesOutput](t)(c.ListRolePolicies(ctx, &iam.ListRolePoliciesInput{RoleName: aws.String("Deploy")})).PolicyNames); n != 1 {
		t.Errorf("%d inline role policies", n)
	}
	must[*iam.DeleteRolePolicyOutput](t)(c.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String("Deploy"), PolicyName: aws.String("inline")}))
	must[*iam.DetachRolePolicyOutput](t)(c.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String("Deploy"), PolicyArn: aws.String(readOnlyARN)}))
	if n := len(must[*iam.ListRolesOutput](t)(c.ListRoles(ctx, &iam.ListRolesInput{})).Roles); n != 1 {
		t.Errorf("%d roles", n)
	}
	must[*iam.DeleteRoleOutput](t)(c.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String("Deploy")}))
	_, err = c.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String("Deploy")})
	wantError(t, err, "NoSuchEntity", 404)
}

// GetAccountAuthorizationDetails returns roles and managed policies, and
// honours Filter.
func TestAuthorizationDetailsRolesAndPolicies(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	createRole(t, c, "auditor", trustAccount)
	must[*iam.AttachRolePolicyOutput](t)(c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("auditor"), PolicyArn: aws.String(readOnlyARN)}))
	must[*iam.CreatePolicyOutput](t)(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("mine"), PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}`)}))
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))

	details := func(filter ...types.EntityType) (users, roles, policies []string) {
		out := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: filter}))
		for _, u := range out.UserDetailList {
			users = append(users, aws.ToString(u.UserName))
		}
		for _, r := range out.RoleDetailList {
			roles = append(roles, aws.ToString(r.RoleName))
			if len(r.AttachedManagedPolicies) != 1 || r.AssumeRolePolicyDocument == nil {
				t.Errorf("role detail %+v", r)
			}
		}
		for _, p := range out.Policies {
			policies = append(policies, aws.ToString(p.PolicyName))
			if len(p.PolicyVersionList) != 1 || p.PolicyVersionList[0].Document == nil {
				t.Errorf("policy detail %+v", p)
			}
		}
		sort.Strings(policies)
		return users, roles, policies
	}
	users, roles, policies := details()
	if strings.Join(users, ",") != "bob" || strings.Join(roles, ",") != "auditor" || strings.Join(policies, ",") != "IAMReadOnlyAccess,mine" {
		t.Errorf("all: users %v roles %v policies %v", users, roles, policies)
	}
	users, roles, policies = details(types.EntityTypeLocalManagedPolicy)
	if len(users)+len(roles) != 0 || strings.Join(policies, ",") != "mine" {
		t.Errorf("local: users %v roles %v policies %v", users, roles, policies)
	}
	users, roles, policies = details(types.EntityTypeAWSManagedPolicy, types.EntityTypeRole)
	if len(users) != 0 || strings.Join(roles, ",") != "auditor" || strings.Join(policies, ",") != "IAMReadOnlyAccess" {
		t.Errorf("aws+role: users %v roles %v policies %v", users, roles, policies)
	}
}

// Sessions expire; a session may assume a role that trusts its role
// (chaining) for at most an hour; UpdateAssumeRolePolicy changes who may.
func TestRoleSessionsExpireAndChain(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	_, bob := userClient(t, f, "bob")
	first := createRole(t, f.iam, "first", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`)
	second := createRole(t, f.iam, "second", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`)
	out := must[*sts.AssumeRoleOutput](t)(bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: first.Arn, RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(900)}))
	_, firstSTS := f.clients(aws.ToString(out.Credentials.AccessKeyId))

	chain := &sts.AssumeRoleInput{RoleArn: second.Arn, RoleSessionName: aws.String("s2")}
	_, err := firstSTS.AssumeRole(ctx, chain)
	wantError(t, err, "AccessDenied", 403, "assumed-role/first/s1")
	must[*iam.UpdateAssumeRolePolicyOutput](t)(f.iam.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String("second"),
		PolicyDocument: aws.String(`{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:role/first"},"Action":"sts:AssumeRole"}}`)}))
	_, err = firstSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: second.Arn, RoleSessionName: aws.String("s2"), DurationSeconds: aws.Int32(3601)})
	wantError(t, err, "ValidationError", 400, "role chaining")
	chained := must[*sts.AssumeRoleOutput](t)(firstSTS.AssumeRole(ctx, chain))
	if got := aws.ToString(chained.AssumedRoleUser.Arn); got != "arn:aws:sts::123456789012:assumed-role/second/s2" {
		t.Errorf("chained session %s", got)
	}

	clk.Advance(15 * time.Minute)
	_, err = firstSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	wantError(t, err, "ExpiredToken", 403)
}
