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
)

func resourceKindOf(action string) resourceKind {
	switch action {
	case "CreateUser", "GetUser", "DeleteUser", "ListGroupsForUser", "ListAttachedUserPolicies", "ListUserPolicies",
		"AttachUserPolicy", "DetachUserPolicy", "PutUserPolicy", "GetUserPolicy", "DeleteUserPolicy",
		"CreateLoginProfile", "GetLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile",
		"CreateAccessKey", "ListAccessKeys", "DeleteAccessKey", "UpdateAccessKey",
		"EnableMFADevice", "DeactivateMFADevice", "ListMFADevices", "ResyncMFADevice", "ChangePassword":
		return onUser
	case "CreateGroup", "GetGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup",
		"AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies",
		"PutGroupPolicy", "GetGroupPolicy", "DeleteGroupPolicy", "ListGroupPolicies":
		return onGroup
	case "CreateVirtualMFADevice", "DeleteVirtualMFADevice":
		return onMFADevice
	case "GetPolicy", "CreatePolicy", "DeletePolicy", "GetPolicyVersion":
		return onPolicy
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
	if c.action == "AssumeRole" {
		return c.str("RoleArn")
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

// identityStatements are every statement of the user's own and group
// policies, inline and managed.
func (c *call) identityStatements(u *user) []statement {
	var docs []string
	addManaged := func(arns []string) {
		for _, arn := range arns {
			if p := c.lookupPolicy(arn); p != nil {
				docs = append(docs, p.document)
			}
		}
	}
	for _, d := range u.inline {
		docs = append(docs, d)
	}
	addManaged(u.attached)
	for _, g := range u.groups {
		for _, d := range g.inline {
			docs = append(docs, d)
		}
		addManaged(g.attached)
	}
	var out []statement
	for _, d := range docs {
		st, err := parsePolicy(d)
		if err == nil {
			out = append(out, st...)
		}
	}
	return out
}

// requestContext is the request as policies see it. Long-term access keys
// carry no aws:MultiFactorAuthPresent at all; temporary credentials carry it
// true or false, and aws:MultiFactorAuthAge only when MFA was used.
func (c *call) requestContext(action, resource string) *requestContext {
	keys := map[string][]string{
		"aws:currenttime":      {c.now.UTC().Format(time.RFC3339)},
		"aws:epochtime":        {strconv.FormatInt(c.now.Unix(), 10)},
		"aws:principalarn":     {c.caller.arn()},
		"aws:principalaccount": {c.acct.id},
		"aws:principaltype":    {"Account"},
		"aws:userid":           {c.acct.id},
	}
	if c.sourceIP != "" {
		keys["aws:sourceip"] = []string{c.sourceIP}
	}
	if u := c.caller.user; u != nil {
		keys["aws:username"] = []string{u.name}
		keys["aws:userid"] = []string{u.id}
		keys["aws:principaltype"] = []string{"User"}
	}
	if s := c.caller.session; s != nil {
		keys["aws:multifactorauthpresent"] = []string{strconv.FormatBool(s.mfa)}
		keys["aws:tokenissuetime"] = []string{s.issued.UTC().Format(time.RFC3339)}
		if s.mfa {
			keys["aws:multifactorauthage"] = []string{strconv.FormatInt(int64(c.now.Sub(s.authTime)/time.Second), 10)}
		}
	}
	return &requestContext{action: action, resource: resource, keys: keys}
}

// authorize evaluates the caller's identity policies: an explicit Deny wins,
// then an Allow, else the implicit deny. Root is never denied. Of STS, only
// AssumeRole is authorized: GetCallerIdentity and GetSessionToken need no
// permission and no policy can deny them.
func (c *call) authorize(service string) *apiError {
	if err := c.sessionAllows(service); err != nil {
		return err
	}
	u := c.caller.user
	if u == nil || (service == "sts" && c.action != "AssumeRole") {
		return nil
	}
	action := service + ":" + c.action
	resource := c.resource()
	switch evaluate(c.identityStatements(u), c.requestContext(action, resource)) {
	case explicitDeny:
		return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in an identity-based policy", c.caller.arn(), action, resource)
	case allow:
		return nil
	}
	if c.passwordPolicyAllows() {
		return nil
	}
	return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", c.caller.arn(), action, resource, action)
}

// passwordPolicyAllows: a password policy with AllowUsersToChangePassword
// lets every IAM user change their own password and read the policy
// without any identity policy (an explicit Deny still wins).
func (c *call) passwordPolicyAllows() bool {
	p := c.acct.pwPolicy
	return p != nil && p.allowChange && (c.action == "ChangePassword" || c.action == "GetAccountPasswordPolicy")
}
