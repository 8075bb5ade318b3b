package iamsim

import (
	"regexp"
	"sort"
	"strings"
	"time"
)

// Centralized root access: the management account turns on root credential
// management and root sessions through IAM (after trusting
// iam.amazonaws.com in Organizations), then sts:AssumeRoot gives it a short
// root session in a member account, limited by a root-task policy.

const (
	featureRootCredentials = "RootCredentialsManagement"
	featureRootSessions    = "RootSessions"
	maxRootSessionSeconds  = 900
	iamServicePrincipal    = "iam.amazonaws.com"
)

// rootTaskPolicies are the root-task policies' documents as AWS publishes
// them (IAM User Guide, "AWS managed policies for IAM"): deny-only, so the
// session keeps root's power for the listed actions on root itself and
// nothing else. The S3 and SQS tasks keep only their first statement: the
// simulator has no S3 or SQS, and that statement alone denies every IAM
// action.
var rootTaskPolicies = map[string]string{
	"IAMAuditRootUserCredentials": `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAllOtherActionsOnAnyResource","Effect":"Deny","Resource":"*","NotAction":[
			"iam:ListAccessKeys","iam:ListSigningCertificates","iam:GetLoginProfile","iam:ListMFADevices",
			"iam:GetAccountSummary","iam:GetUser","iam:GetAccessKeyLastUsed"]},
		{"Sid":"DenyAuditingCredentialsOnNonRootUserResource","Effect":"Deny","NotResource":"arn:aws:iam::*:root","Action":[
			"iam:ListAccessKeys","iam:ListSigningCertificates","iam:GetLoginProfile","iam:ListMFADevices",
			"iam:GetUser","iam:GetAccessKeyLastUsed"]}]}`,
	"IAMDeleteRootUserCredentials": `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAllOtherActionsOnAnyResource","Effect":"Deny","Resource":"*","NotAction":[
			"iam:DeleteAccessKey","iam:DeleteSigningCertificate","iam:DeleteLoginProfile","iam:DeactivateMFADevice",
			"iam:ListAccessKeys","iam:ListSigningCertificates","iam:GetLoginProfile","iam:ListMFADevices",
			"iam:GetUser","iam:GetAccessKeyLastUsed"]},
		{"Sid":"DenyDeletingRootUserCredentialsOnNonRootUserResource","Effect":"Deny","NotResource":"arn:aws:iam::*:root","Action":[
			"iam:DeleteAccessKey","iam:DeleteSigningCertificate","iam:DeleteLoginProfile","iam:DeactivateMFADevice",
			"iam:ListAccessKeys","iam:ListSigningCertificates","iam:GetLoginProfile","iam:ListMFADevices",
			"iam:GetUser","iam:GetAccessKeyLastUsed"]}]}`,
	"IAMCreateRootUserPassword": `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAllOtherActionsOnAnyResource","Effect":"Deny","Resource":"*","NotAction":["iam:CreateLoginProfile","iam:GetLoginProfile"]},
		{"Sid":"DenyCreatingPasswordOnNonRootUserResource","Effect":"Deny","NotResource":"arn:aws:iam::*:root","Action":["iam:CreateLoginProfile","iam:GetLoginProfile"]}]}`,
	"S3UnlockBucketPolicy": `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAllOtherActionsOnAnyResource","Effect":"Deny","Resource":"*","NotAction":[
			"s3:DeleteBucketPolicy","s3:PutBucketPolicy","s3:GetBucketPolicy","s3:ListAllMyBuckets"]}]}`,
	"SQSUnlockQueuePolicy": `{"Version":"2012-10-17","Statement":[
		{"Sid":"DenyAllOtherActionsOnAnyResource","Effect":"Deny","Resource":"*","NotAction":[
			"sqs:GetQueueAttributes","sqs:ListQueues","sqs:RemovePermission","sqs:SetQueueAttributes"]}]}`,
}

var (
	taskPolicyARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::aws:policy/root-task/([A-Za-z0-9]+)$`)
	targetPrincipalRE    = regexp.MustCompile(`^(?:arn:(?:aws|aws-cn|aws-us-gov):iam::)?([0-9]{12})(?::root)?$`)
)

func rootAccessActions() map[string]handler {
	return map[string]handler{
		"ListOrganizationsFeatures":                    (*call).listOrganizationsFeatures,
		"EnableOrganizationsRootCredentialsManagement": enableRootFeature(featureRootCredentials),
		"EnableOrganizationsRootSessions":              enableRootFeature(featureRootSessions),
		"GetLoginProfile":                              rootOr((*call).getLoginProfile, (*call).getRootLoginProfile),
		"DeleteLoginProfile":                           rootOr((*call).deleteLoginProfile, (*call).deleteRootLoginProfile),
		"DeactivateMFADevice":                          rootOr((*call).deactivateMFADevice, (*call).deactivateRootMFA),
		"ListSigningCertificates":                      (*call).listSigningCertificates,
		"DeleteSigningCertificate":                     (*call).deleteSigningCertificate,
	}
}

// rootOr answers with rootHandler when a root session (AssumeRoot) calls
// without UserName (root's own credential), else with the IAM user handler:
// AWS lets root omit UserName only in such a session.
func rootOr(userHandler, rootHandler handler) handler {
	return func(c *call) error {
		if c.caller.inRootSession() && !c.has("UserName") {
			return rootHandler(c)
		}
		return userHandler(c)
	}
}

// policyAction is the action as IAM policies name it.
func (c *call) policyAction() string { return c.service + ":" + c.action }

// authorizeTask evaluates an AssumeRoot session's task policy: root may do
// anything it does not deny.
func (c *call) authorizeTask(action, resource string) *apiError {
	if evaluate(c.caller.session.task, c.requestContext(action, resource)) == explicitDeny {
		return c.denial(action, resource, explicitDeny)
	}
	return nil
}

// rootFeatureOrg is the organization when the caller may read (or, with
// change, turn on) centralized root access, with IAM's errors otherwise:
// delegated administrators for IAM may read, only the management account
// may change.
func (c *call) rootFeatureOrg(change bool) (*organization, error) {
	o := c.s.org
	switch {
	case o == nil || (c.acct != o.mgmt && c.acct.ext.member == nil):
		return nil, errf("OrganizationNotFoundException", "The request was rejected because no organization is associated with your account.")
	case !o.administers(c.acct, iamServicePrincipal):
		return nil, errf("AccountNotManagementOrDelegatedAdministratorException", "The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.")
	case change && c.acct != o.mgmt:
		return nil, errf("CallerIsNotManagementAccountException", "The request was rejected because the account making the request is not the management account for the organization.")
	}
	if _, ok := o.trusted[iamServicePrincipal]; !ok {
		return nil, errf("ServiceAccessNotEnabledException", "The request was rejected because trusted access is not enabled for IAM in AWS Organizations.")
	}
	return o, nil
}

func (c *call) writeRootFeatures(o *organization) {
	var names []string
	for f, on := range o.features {
		if on {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	c.out.open("EnabledFeatures")
	for _, f := range names {
		c.out.text("member", f)
	}
	c.out.close("EnabledFeatures")
	c.out.text("OrganizationId", o.id)
}

func (c *call) listOrganizationsFeatures() error {
	o, err := c.rootFeatureOrg(false)
	if err != nil {
		return err
	}
	c.writeRootFeatures(o)
	return nil
}

func enableRootFeature(feature string) handler {
	return func(c *call) error {
		o, err := c.rootFeatureOrg(true)
		if err != nil {
			return err
		}
		o.features[feature] = true
		c.writeRootFeatures(o)
		return nil
	}
}

// assumeRoot opens a root session in a member account. Only an IAM user or
// a role session of the management account (or a delegated administrator)
// whose policies allow sts:AssumeRoot may call it; AWS refuses root
// callers. AWS serves AssumeRoot on regional STS endpoints
// only; with every endpoint at one address the simulator cannot tell them
// apart, so that rule is not enforced.
func (c *call) assumeRoot() error {
	target, err := c.required("TargetPrincipal")
	if err != nil {
		return err
	}
	taskARN, err := c.required("TaskPolicyArn.arn")
	if err != nil {
		return err
	}
	// The model bounds DurationSeconds (0 to 900).
	seconds := c.intParam("DurationSeconds", maxRootSessionSeconds)
	m := taskPolicyARNPattern.FindStringSubmatch(taskARN)
	if m == nil || rootTaskPolicies[m[2]] == "" || m[1] != c.acct.partition {
		return validationError("The task policy ARN %s is not a root-task policy (arn:%s:iam::aws:policy/root-task/...).", taskARN, c.acct.partition)
	}
	member, err := c.rootSessionTarget(target)
	if err != nil {
		return err
	}
	// AWS publishes each managed policy in every partition with that
	// partition's ARNs.
	task, err := parsePolicy(strings.ReplaceAll(rootTaskPolicies[m[2]], "arn:aws:", "arn:"+m[1]+":"))
	if err != nil {
		return err
	}
	expires := c.now.Add(time.Duration(seconds) * time.Second)
	sess := &authSession{kind: rootTask, issued: c.now, expires: expires, task: task}
	c.writeCredentials(c.s.issueSession(member, nil, sess), expires)
	return nil
}

// rootSessionTarget checks who may open a root session in which account.
func (c *call) rootSessionTarget(target string) (*account, error) {
	denied := func(why string) error {
		return errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRoot on resource: %s: %s", c.caller.arn(), target, why)
	}
	if c.caller.isRoot() {
		return nil, denied("root users and root sessions cannot call AssumeRoot; call it as an IAM user or a role session of the management account or a delegated administrator")
	}
	if err := c.authorize(); err != nil {
		return nil, err
	}
	o := c.s.org
	switch {
	case o == nil || !o.administers(c.acct, iamServicePrincipal):
		return nil, denied("the caller is in neither the organization's management account nor a delegated administrator for IAM")
	case !o.features[featureRootSessions]:
		return nil, denied("root sessions are not enabled for the organization (iam:EnableOrganizationsRootSessions)")
	}
	tm := targetPrincipalRE.FindStringSubmatch(target)
	if tm == nil {
		return nil, validationError("The TargetPrincipal %s is not an account ID or an account's root ARN.", target)
	}
	member := c.s.accounts[tm[1]]
	if member == nil || member.ext.member == nil {
		return nil, denied("the target is not a member account of the organization")
	}
	if member.ext.member.cfg.Suspended {
		return nil, denied("the member account is suspended")
	}
	return member, nil
}

func (c *call) getRootLoginProfile() error {
	if !c.acct.ext.rootPassword {
		return noSuchEntity("Login Profile for User root cannot be found.")
	}
	c.out.open("LoginProfile")
	c.out.time("CreateDate", c.acct.created)
	c.out.boolean("PasswordResetRequired", false)
	c.out.text("UserName", c.acct.id)
	c.out.close("LoginProfile")
	return nil
}

func (c *call) deleteRootLoginProfile() error {
	if !c.acct.ext.rootPassword {
		return noSuchEntity("Login Profile for User root cannot be found.")
	}
	c.acct.ext.rootPassword = false
	return nil
}

func (c *call) deactivateRootMFA() error {
	serial, err := c.required("SerialNumber")
	if err != nil {
		return err
	}
	if !c.acct.rootMFA || serial != c.acct.arn("mfa/"+rootDevice) {
		return noSuchEntity("MFA Device with serial number %s does not exist.", serial)
	}
	c.acct.rootMFA = false
	return nil
}

// listSigningCertificates lists root's certificates; IAM users'
// certificates are not modelled, so a user has none.
func (c *call) listSigningCertificates() error {
	u, err := c.userParam(true)
	if err != nil {
		return err
	}
	var certs []*rootCert
	if u == nil {
		certs = append(certs, c.acct.ext.rootCerts...)
	}
	page, truncated, next, err := pageOf(c, certs, func(r *rootCert) string { return r.id })
	if err != nil {
		return err
	}
	c.out.open("Certificates")
	for _, r := range page {
		c.out.open("member")
		c.out.text("CertificateBody", "-----BEGIN CERTIFICATE-----\nMIIBsimulated\n-----END CERTIFICATE-----")
		c.out.text("CertificateId", r.id)
		c.out.text("Status", map[bool]string{true: "Active", false: "Inactive"}[r.active])
		c.out.time("UploadDate", r.uploaded)
		c.out.text("UserName", c.acct.id)
		c.out.close("member")
	}
	c.out.close("Certificates")
	c.out.page(truncated, next)
	return nil
}

func (c *call) deleteSigningCertificate() error {
	u, err := c.userParam(true)
	if err != nil {
		return err
	}
	id, err := c.required("CertificateId")
	if err != nil {
		return err
	}
	certs := &c.acct.ext.rootCerts
	if u == nil {
		for i, r := range *certs {
			if r.id == id {
				*certs = append((*certs)[:i:i], (*certs)[i+1:]...)
				return nil
			}
		}
	}
	return noSuchEntity("The Certificate with id %s cannot be found.", id)
}
