package iamsim_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// A role session of the management account may open a root session when
// the role's policies allow sts:AssumeRoot; a root session may not open
// another, and a role without the permission is refused.
func TestAssumeRootFromRoleSession(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	f.enableRootAccess(t)
	_, bob := userClient(t, f, "bob")
	trust := `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`
	createRole(t, f.iam, "root-operator", trust)
	createRole(t, f.iam, "reader", trust)
	must[*iam.PutRolePolicyOutput](t)(f.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("root-operator"), PolicyName: aws.String("root"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"*"}`)}))
	session := func(role string) *sts.Client {
		out := must[*sts.AssumeRoleOutput](t)(bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/" + role), RoleSessionName: aws.String("s1")}))
		_, c := f.clients(aws.ToString(out.Credentials.AccessKeyId))
		return c
	}

	_, err := assumeRoot(session("reader"), "210000000003", auditTask)
	wantError(t, err, "AccessDenied", 403, "assumed-role/reader/s1 is not authorized to perform: sts:AssumeRoot")
	root := must[*sts.AssumeRootOutput](t)(assumeRoot(session("root-operator"), "210000000003", auditTask))
	rootIAM, rootSTS := f.clients(aws.ToString(root.Credentials.AccessKeyId))
	keys := must[*iam.ListAccessKeysOutput](t)(rootIAM.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	if len(keys.AccessKeyMetadata) != 1 || aws.ToString(keys.AccessKeyMetadata[0].AccessKeyId) != "AKIAROOT000000000003" {
		t.Fatalf("the root session does not see member 3's root key: %+v", keys.AccessKeyMetadata)
	}
	_, err = assumeRoot(rootSTS, "210000000004", auditTask)
	wantError(t, err, "AccessDenied", 403, "root sessions cannot call AssumeRoot")
}

// A console session that must change its password is held to that in the
// JSON services too.
func TestJSONServicesHonourPendingPasswordReset(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 1, Seed: 1})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}))
	must[*iam.AttachUserPolicyOutput](t)(f.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}))
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("ops"),
		Password: aws.String("Temp-Passw0rd-1!"), PasswordResetRequired: true}))
	console, err := f.sim.ConsoleSignIn(iamsim.DefaultAccountID, "ops", "Temp-Passw0rd-1!", "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.org(console.AccessKeyID).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
	wantError(t, err, "AccessDeniedException", 403, "must change the password")
	must[*organizations.DescribeOrganizationOutput](t)(f.org(iamsim.DefaultRootAccessKeyID).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}))
}
