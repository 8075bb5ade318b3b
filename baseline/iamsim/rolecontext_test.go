package iamsim_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// A role's trust policy can require MFA, and a role session's own
// permissions are evaluated with its conditions against the session's MFA
// context: the two halves of a role that only MFA-signed sessions may use.
func TestRoleRequiresMFAInTrustAndPolicy(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	keyID, serial, seed := mfaUser(t, f, clk, "ops")
	_, opsSTS := f.clients(keyID)
	arn := aws.String("arn:aws:iam::123456789012:role/guarded")
	createRole(t, f.iam, "guarded", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/ops"},"Action":"sts:AssumeRole",
		"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}}`)
	must[*iam.PutRolePolicyOutput](t)(f.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("guarded"), PolicyName: aws.String("fresh-mfa"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"600"}}}`)}))

	// Long-term keys carry no MFA context: the trust's condition fails.
	_, err := opsSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1")})
	wantError(t, err, "AccessDenied", 403, "sts:AssumeRole")

	out := must[*sts.AssumeRoleOutput](t)(opsSTS.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: arn, RoleSessionName: aws.String("s1"),
		SerialNumber: aws.String(serial), TokenCode: aws.String(code(t, seed, clk.Now()))}))
	roleIAM, _ := f.clients(aws.ToString(out.Credentials.AccessKeyId))
	must[*iam.ListUsersOutput](t)(roleIAM.ListUsers(ctx, &iam.ListUsersInput{}))
	// The role's policy holds while the MFA is fresh, then no longer.
	clk.Advance(601 * 1e9)
	_, err = roleIAM.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", 403, "assumed-role/guarded/s1 is not authorized to perform: iam:ListUsers")
}

// A role session's policies see it as the role: aws:PrincipalArn is the
// role's ARN, aws:PrincipalType AssumedRole, and aws:username is absent.
func TestRoleSessionRequestContext(t *testing.T) {
	f := start(t, iamsim.Options{})
	_, bob := userClient(t, f, "bob")
	createRole(t, f.iam, "ctx", `{"Statement":{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:user/bob"},"Action":"sts:AssumeRole"}}`)
	must[*iam.PutRolePolicyOutput](t)(f.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String("ctx"), PolicyName: aws.String("p"),
		PolicyDocument: doc(
			`{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::123456789012:role/ctx"},"StringEquals":{"aws:PrincipalType":"AssumedRole"}}}`,
			`{"Effect":"Allow","Action":"iam:ListGroups","Resource":"*","Condition":{"Null":{"aws:username":"false"}}}`)}))
	out := must[*sts.AssumeRoleOutput](t)(bob.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::123456789012:role/ctx"), RoleSessionName: aws.String("s1")}))
	roleIAM, _ := f.clients(aws.ToString(out.Credentials.AccessKeyId))
	must[*iam.ListUsersOutput](t)(roleIAM.ListUsers(ctx, &iam.ListUsersInput{}))
	_, err := roleIAM.ListGroups(ctx, &iam.ListGroupsInput{})
	wantError(t, err, "AccessDenied", 403, "iam:ListGroups")
}
