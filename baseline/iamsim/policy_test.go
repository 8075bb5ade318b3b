package iamsim_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func doc(statements ...string) *string {
	return aws.String(`{"Version":"2012-10-17","Statement":[` + strings.Join(statements, ",") + `]}`)
}

func TestInlineAndManagedPolicies(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ops")}))

	for _, bad := range []string{
		`not json`,
		`{"Version":"2012-10-17"}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Action":"iam:*","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ListUsers","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"bob"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"iam:*","Resource":"*"}]}`,
		`{"Version":"2099-01-01","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`,
	} {
		_, err := c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"), PolicyDocument: aws.String(bad)})
		wantError(t, err, "MalformedPolicyDocument", 400)
	}
	allowList := `{"Effect":"Allow","Action":"iam:List*","Resource":"*"}`
	must[*iam.PutUserPolicyOutput](t)(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("list"), PolicyDocument: doc(allowList)}))
	got := must[*iam.GetUserPolicyOutput](t)(c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("list")}))
	decoded, err := url.QueryUnescape(*got.PolicyDocument)
	if err != nil || decoded != *doc(allowList) || !strings.HasPrefix(*got.PolicyDocument, "%7B") {
		t.Fatalf("document %q (%q)", *got.PolicyDocument, decoded)
	}
	_, err = c.GetUserPolicy(ctx, &iam.GetUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("nope")})
	wantError(t, err, "NoSuchEntity", 404)
	names := must[*iam.ListUserPoliciesOutput](t)(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("bob")}))
	if len(names.PolicyNames) != 1 || names.PolicyNames[0] != "list" {
		t.Fatalf("names %v", names.PolicyNames)
	}
	big := `{"Effect":"Allow","Action":"iam:List*","Resource":"arn:aws:iam::123456789012:user/` + strings.Repeat("x", 2100) + `"}`
	_, err = c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("big"), PolicyDocument: doc(big)})
	wantError(t, err, "LimitExceeded", 409)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantError(t, err, "DeleteConflict", 409, "policies")

	must[*iam.PutGroupPolicyOutput](t)(c.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("g"), PolicyDocument: doc(allowList)}))
	gp := must[*iam.GetGroupPolicyOutput](t)(c.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("g")}))
	if *gp.GroupName != "ops" || *gp.PolicyName != "g" {
		t.Fatalf("group policy %+v", gp)
	}
	if l := must[*iam.ListGroupPoliciesOutput](t)(c.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: aws.String("ops")})); len(l.PolicyNames) != 1 {
		t.Fatalf("group policy names %v", l.PolicyNames)
	}
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("ops")})
	wantError(t, err, "DeleteConflict", 409, "policies")
	must[*iam.DeleteGroupPolicyOutput](t)(c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("g")}))
	_, err = c.DeleteGroupPolicy(ctx, &iam.DeleteGroupPolicyInput{GroupName: aws.String("ops"), PolicyName: aws.String("g")})
	wantError(t, err, "NoSuchEntity", 404)

	// Customer managed policies.
	p := must[*iam.CreatePolicyOutput](t)(c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("iam-baseline"), PolicyDocument: doc(allowList), Description: aws.String("least privilege")})).Policy
	if *p.Arn != "arn:aws:iam::123456789012:policy/iam-baseline" || *p.DefaultVersionId != "v1" {
		t.Fatalf("policy %+v", p)
	}
	_, err = c.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("IAM-Baseline"), PolicyDocument: doc(allowList)})
	wantError(t, err, "EntityAlreadyExists", 409)
	v := must[*iam.GetPolicyVersionOutput](t)(c.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: p.Arn, VersionId: aws.String("v1")})).PolicyVersion
	if d, _ := url.QueryUnescape(*v.Document); d != *doc(allowList) || !v.IsDefaultVersion {
		t.Fatalf("version %+v", v)
	}
	local := must[*iam.ListPoliciesOutput](t)(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeLocal}))
	if len(local.Policies) != 1 || *local.Policies[0].PolicyName != "iam-baseline" {
		t.Fatalf("local policies %+v", local.Policies)
	}
	awsManaged := must[*iam.ListPoliciesOutput](t)(c.ListPolicies(ctx, &iam.ListPoliciesInput{Scope: types.PolicyScopeTypeAws}))
	if len(awsManaged.Policies) < 7 {
		t.Fatalf("%d AWS-managed policies", len(awsManaged.Policies))
	}
	must[*iam.AttachUserPolicyOutput](t)(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: p.Arn}))
	att := must[*iam.ListAttachedUserPoliciesOutput](t)(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("bob")}))
	if len(att.AttachedPolicies) != 1 {
		t.Fatalf("attached %+v", att.AttachedPolicies)
	}
	attachedOnly := must[*iam.ListPoliciesOutput](t)(c.ListPolicies(ctx, &iam.ListPoliciesInput{OnlyAttached: true}))
	if len(attachedOnly.Policies) != 1 || *attachedOnly.Policies[0].AttachmentCount != 1 {
		t.Fatalf("attached-only policies %+v", attachedOnly.Policies)
	}
	_, err = c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Arn})
	wantError(t, err, "DeleteConflict", 409)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("bob")})
	wantError(t, err, "DeleteConflict", 409)
	must[*iam.DetachUserPolicyOutput](t)(c.DetachUserPolicy(ctx, &iam.DetachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: p.Arn}))
	must[*iam.DeletePolicyOutput](t)(c.DeletePolicy(ctx, &iam.DeletePolicyInput{PolicyArn: p.Arn}))
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: p.Arn})
	wantError(t, err, "NoSuchEntity", 404)
}

// userClient creates an IAM user with an access key and returns clients
// signing as that user.
func userClient(t *testing.T, f *fixture, name string) (*iam.Client, *sts.Client) {
	t.Helper()
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	k := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String(name)}))
	return f.clients(*k.AccessKey.AccessKeyId)
}

func TestPolicyEvaluation(t *testing.T) {
	f := start(t, iamsim.Options{})
	root := f.iam
	bob, bobSTS := userClient(t, f, "bob")
	must[*iam.CreateUserOutput](t)(root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}))

	// GetCallerIdentity needs no permission.
	must[*sts.GetCallerIdentityOutput](t)(bobSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	_, err := bob.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", 403,
		"User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action")

	put := func(name string, statements ...string) {
		t.Helper()
		must[*iam.PutUserPolicyOutput](t)(root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String(name), PolicyDocument: doc(statements...)}))
	}
	put("list", `{"Effect":"Allow","Action":"iam:List*","Resource":"*"}`)
	must[*iam.ListUsersOutput](t)(bob.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err = bob.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")})
	wantError(t, err, "AccessDenied", 403, "iam:GetUser on resource: arn:aws:iam::123456789012:user/alice")

	// Through a group: users only, by ARN wildcard; action names ignore case.
	must[*iam.CreateGroupOutput](t)(root.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("readers")}))
	must[*iam.PutGroupPolicyOutput](t)(root.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("readers"), PolicyName: aws.String("users"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"IAM:getuser","Resource":"arn:aws:iam::*:user/*"}`)}))
	must[*iam.AddUserToGroupOutput](t)(root.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("readers"), UserName: aws.String("bob")}))
	must[*iam.GetUserOutput](t)(bob.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("alice")}))
	_, err = bob.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("readers")})
	wantError(t, err, "AccessDenied", 403, "arn:aws:iam::123456789012:group/readers")

	// A statement with a condition is not evaluated, so it never allows.
	put("conditional", `{"Effect":"Allow","Action":"iam:CreateGroup","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}`)
	_, err = bob.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("x")})
	wantError(t, err, "AccessDenied", 403)

	// NotAction: everything in IAM but deletions.
	put("no-deletes", `{"Effect":"Allow","NotAction":"iam:Delete*","Resource":"*"}`)
	must[*iam.CreateGroupOutput](t)(bob.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("x")}))
	_, err = bob.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("x")})
	wantError(t, err, "AccessDenied", 403, "iam:DeleteGroup")

	// Even AdministratorAccess loses to an explicit deny.
	must[*iam.AttachGroupPolicyOutput](t)(root.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("readers"), PolicyArn: aws.String(adminARN)}))
	must[*iam.DeleteGroupOutput](t)(bob.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("x")}))
	deny := must[*iam.CreatePolicyOutput](t)(root.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("deny-list"),
		PolicyDocument: doc(`{"Effect":"Deny","Action":["iam:ListUsers","iam:ListGroups"],"Resource":"*"}`)})).Policy
	must[*iam.AttachUserPolicyOutput](t)(root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("bob"), PolicyArn: deny.Arn}))
	_, err = bob.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", 403, "with an explicit deny in an identity-based policy")
	_, err = bob.ListInstanceProfiles(ctx, &iam.ListInstanceProfilesInput{}) // not simulated
	wantError(t, err, "InvalidAction", 400)
}
