package iamsim_test

import (
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

const (
	auditTask  = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
	deleteTask = "arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials"
)

// rootAdmin creates an IAM user in the management account allowed to call
// sts:AssumeRoot and returns its STS client.
func (f *fixture) rootAdmin(t *testing.T) *sts.Client {
	t.Helper()
	_, client := f.clients(f.rootAdminKey(t))
	return client
}

// rootAdminKey creates that user and returns its access key ID.
func (f *fixture) rootAdminKey(t *testing.T) string {
	t.Helper()
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("root-admin")}))
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("root-admin"), PolicyName: aws.String("root"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoot","Resource":"*"}]}`)}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("root-admin")})).AccessKey
	return *key.AccessKeyId
}

func (f *fixture) enableRootAccess(t *testing.T) {
	t.Helper()
	must[*organizations.EnableAWSServiceAccessOutput](t)(f.org(iamsim.DefaultRootAccessKeyID).EnableAWSServiceAccess(ctx,
		&organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}))
	must[*iam.EnableOrganizationsRootCredentialsManagementOutput](t)(f.iam.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}))
	must[*iam.EnableOrganizationsRootSessionsOutput](t)(f.iam.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}))
}

func assumeRoot(c *sts.Client, target, task string) (*sts.AssumeRootOutput, error) {
	return c.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(target), TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String(task)}})
}

func TestOrganizationsFeatures(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 3, Seed: 1})
	_, err := f.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	wantError(t, err, "ServiceAccessNotEnabledException", 400, "trusted access")
	_, err = f.iam.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	wantError(t, err, "ServiceAccessNotEnabledException", 400)

	must[*organizations.EnableAWSServiceAccessOutput](t)(f.org(iamsim.DefaultRootAccessKeyID).EnableAWSServiceAccess(ctx,
		&organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("iam.amazonaws.com")}))
	got := must[*iam.ListOrganizationsFeaturesOutput](t)(f.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{}))
	if len(got.EnabledFeatures) != 0 || got.OrganizationId == nil {
		t.Fatalf("before enabling: %+v", got)
	}
	must[*iam.EnableOrganizationsRootCredentialsManagementOutput](t)(f.iam.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}))
	on := must[*iam.EnableOrganizationsRootSessionsOutput](t)(f.iam.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}))
	if len(on.EnabledFeatures) != 2 || on.EnabledFeatures[0] != "RootCredentialsManagement" || on.EnabledFeatures[1] != "RootSessions" {
		t.Fatalf("enabled features: %v", on.EnabledFeatures)
	}

	var mutating []string
	for _, e := range f.sim.MutatingRequests() {
		mutating = append(mutating, e.Action)
	}
	if strings.Join(mutating, " ") != "EnableOrganizationsRootSessions EnableAWSServiceAccess EnableOrganizationsRootCredentialsManagement EnableOrganizationsRootSessions" {
		t.Fatalf("mutating requests: %v", mutating)
	}

	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	memberIAM, _ := f.clients(session)
	_, err = memberIAM.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	wantError(t, err, "AccountNotManagementOrDelegatedAdministratorException", 400)
	alone := start(t, iamsim.Options{})
	_, err = alone.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	wantError(t, err, "OrganizationNotFoundException", 400)
}

func TestAssumeRootPreconditions(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	admin := f.rootAdmin(t)
	_, err := assumeRoot(admin, "210000000003", auditTask)
	wantError(t, err, "AccessDenied", 403, "root sessions are not enabled")
	f.enableRootAccess(t)

	_, err = assumeRoot(f.sts, "210000000003", auditTask)
	wantError(t, err, "AccessDenied", 403, "root users")
	_, err = admin.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String("210000000003"),
		TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String(auditTask)}, DurationSeconds: aws.Int32(901)})
	wantError(t, err, "ValidationError", 400, "durationSeconds")
	_, err = assumeRoot(admin, "210000000003", "arn:aws:iam::aws:policy/AdministratorAccess")
	wantError(t, err, "ValidationError", 400, "root-task")
	_, err = assumeRoot(admin, "210000000001", auditTask)
	wantError(t, err, "AccessDenied", 403, "suspended")
	_, err = assumeRoot(admin, iamsim.DefaultAccountID, auditTask)
	wantError(t, err, "AccessDenied", 403, "not a member")

	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("nobody")}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("nobody")})).AccessKey
	_, nobody := f.clients(*key.AccessKeyId)
	_, err = assumeRoot(nobody, "210000000003", auditTask)
	wantError(t, err, "AccessDenied", 403, "sts:AssumeRoot")

	// A member account without OrganizationAccountAccessRole is still
	// reachable this way: AssumeRoot needs no role in the member.
	if _, err := assumeRoot(admin, "arn:aws:iam::210000000002:root", auditTask); err != nil {
		t.Fatalf("root ARN as target: %v", err)
	}
}

// TestAuditRootSession: the audit task reads root's credentials and nothing
// else; its deletes and every other action are AccessDenied.
func TestAuditRootSession(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now, MemberAccounts: 6, Seed: 1})
	f.enableRootAccess(t)
	out := must[*sts.AssumeRootOutput](t)(assumeRoot(f.rootAdmin(t), "210000000003", auditTask))
	if got := out.Credentials.Expiration.Sub(clk.Now()); got != 900*time.Second {
		t.Fatalf("default session length %v, want 900s", got)
	}
	audit, auditSTS := f.clients(*out.Credentials.AccessKeyId)
	who := must[*sts.GetCallerIdentityOutput](t)(auditSTS.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if *who.Arn != "arn:aws:iam::210000000003:root" {
		t.Fatalf("session principal %s", *who.Arn)
	}
	keys := must[*iam.ListAccessKeysOutput](t)(audit.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	if len(keys.AccessKeyMetadata) != 1 {
		t.Fatalf("root keys: %+v", keys.AccessKeyMetadata)
	}
	must[*iam.GetUserOutput](t)(audit.GetUser(ctx, &iam.GetUserInput{}))
	must[*iam.ListMFADevicesOutput](t)(audit.ListMFADevices(ctx, &iam.ListMFADevicesInput{}))
	must[*iam.ListSigningCertificatesOutput](t)(audit.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{}))
	must[*iam.GetAccountSummaryOutput](t)(audit.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}))
	_, err := audit.GetLoginProfile(ctx, &iam.GetLoginProfileInput{})
	wantError(t, err, "NoSuchEntity", 404) // member 3 was created by Organizations: no root password

	_, err = audit.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: keys.AccessKeyMetadata[0].AccessKeyId})
	wantError(t, err, "AccessDenied", 403, "iam:DeleteAccessKey", "explicit deny")
	_, err = audit.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("backdoor")})
	wantError(t, err, "AccessDenied", 403, "iam:CreateUser")
	_, err = audit.ListAccessKeys(ctx, &iam.ListAccessKeysInput{UserName: aws.String("user-mfa-1")})
	wantError(t, err, "AccessDenied", 403, "user/user-mfa-1")

	clk.Advance(900 * time.Second)
	_, err = audit.ListAccessKeys(ctx, &iam.ListAccessKeysInput{})
	wantError(t, err, "ExpiredToken", 403)
}

// TestDeleteRootSession removes every root credential of member 6 (root
// password and certificate) and member 3 (root key) and member 4 (root MFA).
func TestDeleteRootSession(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	f.enableRootAccess(t)
	admin := f.rootAdmin(t)
	session := func(id string) *iam.Client {
		out := must[*sts.AssumeRootOutput](t)(assumeRoot(admin, id, deleteTask))
		c, _ := f.clients(*out.Credentials.AccessKeyId)
		return c
	}

	m3 := session("210000000003")
	keys := must[*iam.ListAccessKeysOutput](t)(m3.ListAccessKeys(ctx, &iam.ListAccessKeysInput{}))
	must[*iam.DeleteAccessKeyOutput](t)(m3.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: keys.AccessKeyMetadata[0].AccessKeyId}))
	_, err := m3.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: keys.AccessKeyMetadata[0].AccessKeyId})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = m3.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{})
	wantError(t, err, "AccessDenied", 403, "iam:CreateAccessKey")

	m4 := session("210000000004")
	serial := "arn:aws:iam::210000000004:mfa/root-account-mfa-device"
	must[*iam.DeactivateMFADeviceOutput](t)(m4.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{SerialNumber: aws.String(serial)}))
	if d := must[*iam.ListMFADevicesOutput](t)(m4.ListMFADevices(ctx, &iam.ListMFADevicesInput{})).MFADevices; len(d) != 0 {
		t.Fatalf("root MFA still listed: %+v", d)
	}

	m6 := session("210000000006")
	must[*iam.GetLoginProfileOutput](t)(m6.GetLoginProfile(ctx, &iam.GetLoginProfileInput{}))
	must[*iam.DeleteLoginProfileOutput](t)(m6.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{}))
	certs := must[*iam.ListSigningCertificatesOutput](t)(m6.ListSigningCertificates(ctx, &iam.ListSigningCertificatesInput{})).Certificates
	if len(certs) != 1 {
		t.Fatalf("root certificates: %+v", certs)
	}
	must[*iam.DeleteSigningCertificateOutput](t)(m6.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{CertificateId: certs[0].CertificateId}))
	_, err = m6.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	wantError(t, err, "AccessDenied", 403) // the delete task does not include GetAccountSummary

	out := must[*sts.AssumeRootOutput](t)(assumeRoot(admin, "210000000006", auditTask))
	audit, _ := f.clients(*out.Credentials.AccessKeyId)
	sum := must[*iam.GetAccountSummaryOutput](t)(audit.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	if sum["AccountPasswordPresent"] != 0 || sum["AccountSigningCertificatesPresent"] != 0 {
		t.Fatalf("root credentials left in member 6: %v", sum)
	}
}

// TestRootCertificateInCredentialReport: root's signing certificate shows in
// the report's root row, as AWS's cert_1 columns.
func TestRootCertificateInCredentialReport(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 6, Seed: 1})
	session, err := f.enter(t, "210000000006")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := f.clients(session)
	for range 2 {
		must[*iam.GenerateCredentialReportOutput](t)(c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{}))
	}
	report := must[*iam.GetCredentialReportOutput](t)(c.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	rows, err := csv.NewReader(strings.NewReader(string(report.Content))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	root := rows[1]
	if root[0] != "<root_account>" || root[col["cert_1_active"]] != "true" || root[col["cert_2_active"]] != "false" || root[col["cert_1_last_rotated"]] == "N/A" {
		t.Fatalf("root row %v", root)
	}
}

// TestDelegatedAdministrator: a member registered as delegated administrator
// for IAM and Account reads the organization, reads centralized root access
// and opens root sessions in other members, and reaches their contacts; it
// cannot turn features or trusted access on.
func TestDelegatedAdministrator(t *testing.T) {
	members := iamsim.GenerateMembers(6, 1)
	members[2].Member.DelegatedAdministrator = []string{"iam.amazonaws.com", "account.amazonaws.com"}
	f := start(t, iamsim.Options{Accounts: append([]iamsim.AccountConfig{iamsim.DefaultAccount()}, members...)})
	f.enableRootAccess(t)
	must[*organizations.EnableAWSServiceAccessOutput](t)(f.org(iamsim.DefaultRootAccessKeyID).EnableAWSServiceAccess(ctx,
		&organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("account.amazonaws.com")}))

	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	delegated := &fixture{srv: f.srv, sim: f.sim}
	delegated.iam, delegated.sts = f.clients(session)
	admin := delegated.rootAdmin(t) // an IAM user of the delegated administrator's account

	if got := must[*organizations.ListAccountsOutput](t)(f.org(session).ListAccounts(ctx, &organizations.ListAccountsInput{})); len(got.Accounts) != 7 {
		t.Fatalf("delegated administrator lists %d accounts", len(got.Accounts))
	}
	_, err = f.org(session).EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("sso.amazonaws.com")})
	wantError(t, err, "AccessDeniedException", 400)
	must[*iam.ListOrganizationsFeaturesOutput](t)(delegated.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{}))
	_, err = delegated.iam.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{})
	wantError(t, err, "CallerIsNotManagementAccountException", 400)

	out := must[*sts.AssumeRootOutput](t)(assumeRoot(admin, "210000000004", auditTask))
	root4, _ := f.clients(*out.Credentials.AccessKeyId)
	if d := must[*iam.ListMFADevicesOutput](t)(root4.ListMFADevices(ctx, &iam.ListMFADevicesInput{})).MFADevices; len(d) != 1 {
		t.Fatalf("member 4's root MFA through the delegated administrator: %+v", d)
	}
	_, err = f.account(session).GetAlternateContact(ctx, &account.GetAlternateContactInput{AccountId: aws.String("210000000004"), AlternateContactType: accttypes.AlternateContactTypeSecurity})
	wantError(t, err, "ResourceNotFoundException", 404)

	// Member 4 is no administrator of anything.
	session4, err := f.enter(t, "210000000004")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.org(session4).ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantError(t, err, "AccessDeniedException", 400)
}

// AssumeRoot's resource is the target member's root and its request
// carries sts:TaskPolicyArn: a policy limited to the audit task on members'
// roots opens audit sessions and nothing else.
func TestAssumeRootResourceAndTaskPolicyCondition(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 3, Seed: 1})
	f.enableRootAccess(t)
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("auditor")}))
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("auditor"), PolicyName: aws.String("root"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRoot",
			"Resource":"arn:aws:iam::210000000003:root","Condition":{"ArnEquals":{"sts:TaskPolicyArn":"` + auditTask + `"}}}]}`)}))
	key := must[*iam.CreateAccessKeyOutput](t)(f.iam.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("auditor")})).AccessKey
	_, auditor := f.clients(*key.AccessKeyId)
	must[*sts.AssumeRootOutput](t)(assumeRoot(auditor, "210000000003", auditTask))
	must[*sts.AssumeRootOutput](t)(assumeRoot(auditor, "arn:aws:iam::210000000003:root", auditTask))
	_, err := assumeRoot(auditor, "210000000003", deleteTask)
	wantError(t, err, "AccessDenied", 403, "sts:AssumeRoot on resource: arn:aws:iam::210000000003:root")
	_, err = assumeRoot(auditor, "210000000001", auditTask)
	wantError(t, err, "AccessDenied", 403, "arn:aws:iam::210000000001:root")
}

// A task policy is named in the caller's partition: another partition's
// ARN names no policy there.
func TestAssumeRootTaskPolicyPartition(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 3, Seed: 1})
	f.enableRootAccess(t)
	_, err := assumeRoot(f.rootAdmin(t), "210000000003", strings.Replace(auditTask, "arn:aws:", "arn:aws-cn:", 1))
	wantError(t, err, "ValidationError", 400, "not a root-task policy")
}
