package iamsim

import (
	"strings"
	"time"
)

// awsManagedPolicy is one AWS-managed policy the simulator knows.
type awsManagedPolicy struct {
	path, name, id, version, description, document string
}

// awsManagedPolicies is the small catalogue of AWS-managed policies; their
// ARNs are built with the caller's partition.
func awsManagedPolicies() []awsManagedPolicy {
	return []awsManagedPolicy{
		{"/", "AdministratorAccess", "ANPAIWMBCKSKIEE64ZLYK", "v1",
			"Provides full access to AWS services and resources.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`},
		{"/", "IAMFullAccess", "ANPAI7XKCFMBPM3QQRRVQ", "v2",
			"Provides full access to IAM via the AWS Management Console.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"}]}`},
		{"/", "IAMReadOnlyAccess", "ANPAJKSO7NDY4T57MWDSQ", "v4",
			"Provides read only access to IAM via the AWS Management Console.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GenerateCredentialReport","iam:GenerateServiceLastAccessedDetails","iam:Get*","iam:List*","iam:SimulateCustomPolicy","iam:SimulatePrincipalPolicy"],"Resource":"*"}]}`},
		{"/", "IAMUserChangePassword", "ANPAJ4L4MM2A7QIEB56MS", "v2",
			"Provides the ability for an IAM user to change their own password.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Effect":"Allow","Action":["iam:GetAccountPasswordPolicy"],"Resource":"*"}]}`},
		{"/", "ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "v1",
			"Provides read-only access to AWS services and resources.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["*:Get*","*:List*","*:Describe*"],"Resource":"*"}]}`},
		{"/", "PowerUserAccess", "ANPAJYRXTHIB4FOVS3ZXS", "v5",
			"Provides full access to AWS services and resources, but does not allow management of Users and groups.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}`},
		{"/", "SecurityAudit", "ANPAIX2T3QCXHR2OGGCTO", "v1",
			"The security audit template grants access to read security configuration metadata.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:Get*","iam:List*","iam:GenerateCredentialReport"],"Resource":"*"}]}`},
		// CIS asks that some principal holds AWSSupportAccess and none
		// AWSCloudShellFullAccess. Their documents are reduced to the
		// service they grant; the policy IDs are the simulator's own.
		{"/", "AWSSupportAccess", "ANPAIMSIMSUPPORTACCESS", "v2",
			"Allows users to access the AWS Support Center.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["support:*"],"Resource":"*"}]}`},
		{"/", "AWSCloudShellFullAccess", "ANPAIMSIMCLOUDSHELLFULL", "v1",
			"Grants full access to AWS CloudShell, including uploading and downloading files.",
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["cloudshell:*"],"Resource":"*"}]}`},
	}
}

var awsManagedCreated = time.Date(2015, 2, 6, 18, 39, 46, 0, time.UTC)

func (c *call) managedPolicyARN(p awsManagedPolicy) string {
	return "arn:" + c.acct.partition + ":iam::aws:policy" + p.path + p.name
}

// policyARNParam validates PolicyArn's shape and partition.
func (c *call) policyARNParam() (string, error) {
	arn, err := c.required("PolicyArn")
	if err != nil {
		return "", err
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "policy/") {
		return "", invalidInput("ARN %s is not valid.", arn)
	}
	if parts[1] != c.acct.partition {
		return "", invalidInput("Partition \"%s\" is not valid for resource \"%s\".", parts[1], arn)
	}
	return arn, nil
}

// lookupPolicy finds an AWS-managed or customer managed policy.
func (c *call) lookupPolicy(arn string) *managedPolicy {
	for _, p := range awsManagedPolicies() {
		if c.managedPolicyARN(p) == arn {
			return &managedPolicy{
				arn: arn, name: p.name, id: p.id, path: p.path, description: p.description,
				document: p.document, created: awsManagedCreated, awsManaged: true, version: p.version,
			}
		}
	}
	return c.acct.policies[arn]
}

func (c *call) policyParam() (*managedPolicy, error) {
	arn, err := c.policyARNParam()
	if err != nil {
		return nil, err
	}
	p := c.lookupPolicy(arn)
	if p == nil || !c.visible(p.visibleAt) {
		return nil, noSuchEntity("Policy %s does not exist or is not attachable.", arn)
	}
	return p, nil
}

func (c *call) attachmentCount(arn string) int {
	n := 0
	for _, u := range c.acct.users {
		n += count(u.attached, arn)
	}
	for _, g := range c.acct.groups {
		n += count(g.attached, arn)
	}
	for _, r := range c.acct.roles {
		n += count(r.attached, arn)
	}
	return n
}

// listEntitiesForPolicy lists the users, groups and roles a managed policy
// is attached to (as a permissions policy: boundaries are not simulated).
func (c *call) listEntitiesForPolicy() error {
	p, err := c.policyParam()
	if err != nil {
		return err
	}
	filter := c.str("EntityFilter")
	prefix := c.pathPrefix()
	want := func(kind string) bool { return filter == "" || filter == kind }
	var entities []authEntity
	for _, e := range c.authEntities(map[string]bool{"User": want("User"), "Group": want("Group"), "Role": want("Role")}) {
		if e.attachedTo(p.arn) && strings.HasPrefix(e.path(), prefix) {
			entities = append(entities, e)
		}
	}
	page, truncated, next, err := pageOf(c, entities, authEntityKey)
	if err != nil {
		return err
	}
	for _, kind := range []string{"Group", "Role", "User"} {
		c.out.open("Policy" + kind + "s")
		for _, e := range page {
			if id, name := e.idAndName(); e.kind() == kind {
				c.out.open("member")
				c.out.text(kind+"Id", id)
				c.out.text(kind+"Name", name)
				c.out.close("member")
			}
		}
		c.out.close("Policy" + kind + "s")
	}
	c.out.page(truncated, next)
	return nil
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// writePolicy writes a policy; listings leave out Description, which AWS
// returns only from GetPolicy and CreatePolicy.
func (c *call) writePolicy(elem string, p *managedPolicy, withDescription bool) {
	c.out.open(elem)
	c.writePolicyFields(p, withDescription, nil)
	c.out.close(elem)
}

// writePolicyFields writes a policy's elements; versions, when given, writes
// its PolicyVersionList (GetAccountAuthorizationDetails).
func (c *call) writePolicyFields(p *managedPolicy, withDescription bool, versions func()) {
	c.out.text("Arn", p.arn)
	c.out.integer("AttachmentCount", c.attachmentCount(p.arn))
	c.out.time("CreateDate", p.created)
	c.out.text("DefaultVersionId", p.version)
	if withDescription {
		c.out.opt("Description", p.description)
	}
	c.out.boolean("IsAttachable", true)
	c.out.text("Path", p.path)
	c.out.integer("PermissionsBoundaryUsageCount", 0)
	c.out.text("PolicyId", p.id)
	c.out.text("PolicyName", p.name)
	if versions != nil {
		versions()
	}
	c.out.time("UpdateDate", p.created)
}

func (c *call) getPolicy() error {
	arn, err := c.policyARNParam()
	if err != nil {
		return err
	}
	p := c.lookupPolicy(arn)
	if p == nil || !c.visible(p.visibleAt) {
		return noSuchEntity("Policy %s was not found.", arn)
	}
	c.writePolicy("Policy", p, true)
	return nil
}

func (c *call) writeAttached(arns []string) error {
	prefix := c.pathPrefix()
	var list []*managedPolicy
	for _, arn := range arns {
		if p := c.lookupPolicy(arn); p != nil && strings.HasPrefix(p.path, prefix) {
			list = append(list, p)
		}
	}
	page, truncated, next, err := pageOf(c, list, func(p *managedPolicy) string { return p.name })
	if err != nil {
		return err
	}
	c.out.open("AttachedPolicies")
	for _, p := range page {
		c.out.open("member")
		c.out.text("PolicyArn", p.arn)
		c.out.text("PolicyName", p.name)
		c.out.close("member")
	}
	c.out.close("AttachedPolicies")
	c.out.page(truncated, next)
	return nil
}
