package iamsim

import (
	"strconv"
	"time"
)

// resourceKind says which ARN an action is authorized against.
type resourceKind int

const (
	onAccount resourceKind = iota // "*"
	onUser
	onGroup
	onMFADevice
	onPolicy
	onRole
)

func resourceKindOf(action string) resourceKind {
	switch action {
	case "CreateUser", "GetUser", "DeleteUser", "ListGroupsForUser", "ListAttachedUserPolicies", "ListUserPolicies",
		"AttachUserPolicy", "DetachUserPolicy", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy",
		"CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
		"CreateAccessKey", "ListAccessKeys", "DeleteAccessKey", "UpdateAccessKey",
		"EnableMFADevice", "DeactivateMFADevice", "ListMFADevices", "ResyncMFADevice", "ChangePassword",
		"ListSigningCertificates", "DeleteSigningCertificate":
		return onUser
	case "CreateGroup", "GetGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup",
		"AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies",
		"PutGroupPolicy", "GetGroupPolicy", "DeleteGroupPolicy", "ListGroupPolicies":
		return onGroup
	case "CreateVirtualMFADevice", "DeleteVirtualMFADevice", "ListMFADeviceTags", "TagMFADevice":
		return onMFADevice
	case "GetPolicy", "CreatePolicy", "DeletePolicy", "GetPolicyVersion", "ListEntitiesForPolicy":
		return onPolicy
	case "CreateRole", "GetRole", "DeleteRole", "UpdateAssumeRolePolicy", "AttachRolePolicy", "DetachRolePolicy",
		"ListAttachedRolePolicies", "PutRolePolicy", "GetRolePolicy", "DeleteRolePolicy", "ListRolePolicies":
		return onRole
	}
	return onAccount
}

// resource is the ARN the request acts on, as IAM names it in AccessDenied.
func (c *call) resource() string {
	a := c.acct
	pathOr := func(stored string) string {
		if p := c.str("Path"); p != "" {
			return p
		}
		if stored != "" {
			return stored
		}
		return "/"
	}
	if c.action == "AssumeRoot" {
		return c.rootTarget()
	}
	switch resourceKindOf(c.action) {
	case onUser:
		if !c.has("UserName") {
			return c.caller.arn()
		}
		name, stored := c.str("UserName"), ""
		if u := a.users[key(name)]; u != nil {
			name, stored = u.name, u.path
		}
		return a.arn("user" + pathOr(stored) + name)
	case onGroup:
		name, stored := c.str("GroupName"), ""
		if g := a.groups[key(name)]; g != nil {
			name, stored = g.name, g.path
		}
		return a.arn("group" + pathOr(stored) + name)
	case onRole:
		name, stored := c.str("RoleName"), ""
		if r := a.roles[key(name)]; r != nil {
			name, stored = r.name, r.path
		}
		return a.arn("role" + pathOr(stored) + name)
	case onMFADevice:
		if c.has("SerialNumber") {
			return c.str("SerialNumber")
		}
		return a.arn("mfa" + pathOr("") + c.str("VirtualMFADeviceName"))
	case onPolicy:
		if c.has("PolicyArn") {
			return c.str("PolicyArn")
		}
		return a.arn("policy" + pathOr("") + c.str("PolicyName"))
	}
	return "*"
}

// identityStatements are every statement of the principal's identity
// policies.
func (c *call) identityStatements(p principal) []statement {
	var out []statement
	for _, d := range c.policyDocuments(p) {
		st, err := parsePolicy(d)
		if err == nil {
			out = append(out, st...)
		}
	}
	return out
}

// actionMatches says whether the statement covers the action, NotAction
// included.
func (st statement) actionMatches(action string) bool {
	return st.matchesAction(action) != st.notAction
}

// conditionsHold says whether every condition of the statement holds.
func (st statement) conditionsHold(rc *requestContext) bool {
	for _, c := range st.conditions {
		if !c.holds(rc) {
			return false
		}
	}
	return true
}

// requestContext is the request as the caller's policies see it. Long-term
// access keys carry no aws:MultiFactorAuthPresent at all; temporary
// credentials carry it true or false, and aws:MultiFactorAuthAge only when
// MFA was used. A role session has no aws:username, and its
// aws:PrincipalArn is the role's ARN.
func (c *call) requestContext(action, resource string) *requestContext {
	p := c.caller
	keys := map[string][]string{
		"aws:currenttime":      {c.now.UTC().Format(time.RFC3339)},
		"aws:epochtime":        {strconv.FormatInt(c.now.Unix(), 10)},
		"aws:principalarn":     {p.arn()},
		"aws:principalaccount": {p.acct.id},
		"aws:principaltype":    {"Account"},
		"aws:userid":           {p.userID()},
	}
	if c.sourceIP != "" {
		keys["aws:sourceip"] = []string{c.sourceIP}
	}
	switch {
	case p.role != nil:
		keys["aws:principalarn"] = []string{p.acct.roleARN(p.role.role)}
		keys["aws:principaltype"] = []string{"AssumedRole"}
	case p.user != nil:
		keys["aws:username"] = []string{p.user.name}
		keys["aws:principaltype"] = []string{"User"}
	}
	if action == "sts:AssumeRoot" && c.has("TaskPolicyArn.arn") {
		// The one service key of AssumeRoot: policies limit which task
		// policies a caller may open root sessions with.
		keys["sts:taskpolicyarn"] = []string{c.str("TaskPolicyArn.arn")}
	}
	if s := p.session; s != nil {
		keys["aws:multifactorauthpresent"] = []string{strconv.FormatBool(s.mfa)}
		keys["aws:tokenissuetime"] = []string{s.issued.UTC().Format(time.RFC3339)}
		if s.mfa {
			keys["aws:multifactorauthage"] = []string{strconv.FormatInt(int64(c.now.Sub(s.authTime)/time.Second), 10)}
		}
	}
	return &requestContext{action: action, resource: resource, keys: keys}
}

// rootTarget is AssumeRoot's resource (the Service Authorization
// Reference's root-user): the target member's root,
// arn:<partition>:iam::<member>:root, whether TargetPrincipal names it by
// account ID or by ARN.
func (c *call) rootTarget() string {
	target := c.str("TargetPrincipal")
	if m := targetPrincipalRE.FindStringSubmatch(target); m != nil {
		return "arn:" + c.acct.partition + ":iam::" + m[1] + ":root"
	}
	return target
}

// authorize evaluates the caller's identity policies for the request's
// action (IAM's, or a JSON service's; AssumeRoot's). STS's other actions
// are not authorized: GetCallerIdentity and GetSessionToken need no
// permission and no policy can deny them, and AssumeRole decides with the
// role's trust policy (mayAssume).
func (c *call) authorize() *apiError {
	action, resource := c.policyAction(), c.resource()
	if s := c.caller.session; s != nil && s.task != nil {
		return c.authorizeTask(action, resource)
	}
	d := c.decide(action, resource)
	if d == implicitDeny && c.passwordPolicyAllows() {
		return nil
	}
	return c.denial(action, resource, d)
}

// decide applies IAM's rule (evaluate) to the caller's identity policies.
// Root is never denied.
func (c *call) decide(action, resource string) decision {
	if c.caller.isRoot() {
		return allow
	}
	return evaluate(c.identityStatements(c.caller), c.requestContext(action, resource))
}

// denial is AWS's AccessDenied for a decision that does not allow.
func (c *call) denial(action, resource string, d decision) *apiError {
	switch d {
	case explicitDeny:
		return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in an identity-based policy", c.caller.arn(), action, resource)
	case implicitDeny:
		return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", c.caller.arn(), action, resource, action)
	}
	return nil
}

// passwordPolicyAllows: a password policy with AllowUsersToChangePassword
// lets every IAM user change their own password and read the policy
// without any identity policy (an explicit Deny still wins).
func (c *call) passwordPolicyAllows() bool {
	p := c.acct.pwPolicy
	return c.caller.user != nil && p != nil && p.allowChange && (c.action == "ChangePassword" || c.action == "GetAccountPasswordPolicy")
}
