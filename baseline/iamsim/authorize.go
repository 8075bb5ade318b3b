package iamsim

import "strings"

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
		"EnableMFADevice", "DeactivateMFADevice", "ListMFADevices", "ResyncMFADevice":
		return onUser
	case "CreateGroup", "GetGroup", "DeleteGroup", "AddUserToGroup", "RemoveUserFromGroup",
		"AttachGroupPolicy", "DetachGroupPolicy", "ListAttachedGroupPolicies",
		"PutGroupPolicy", "GetGroupPolicy", "DeleteGroupPolicy", "ListGroupPolicies":
		return onGroup
	case "CreateVirtualMFADevice", "DeleteVirtualMFADevice":
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

func (st statement) actionMatches(action string) bool {
	matched := false
	for _, a := range st.actions {
		if wildcardMatch(strings.ToLower(a), strings.ToLower(action)) {
			matched = true
			break
		}
	}
	return matched != st.notAction
}

func (st statement) matches(action, resource, userName string) bool {
	if st.hasCondition {
		// Conditions are not evaluated: such a statement never applies.
		return false
	}
	if !st.actionMatches(action) {
		return false
	}
	matched := false
	for _, r := range st.resources {
		if strings.Contains(r, "${aws:username}") && userName == "" {
			// A role session has no aws:username: the resource matches nothing.
			continue
		}
		r = strings.ReplaceAll(r, "${aws:username}", userName)
		if r == "*" || wildcardMatch(r, resource) {
			matched = true
			break
		}
	}
	return matched != st.notResource
}

// authorize evaluates the caller's identity policies for the request's IAM
// action. Root is never denied; STS GetCallerIdentity needs no permission
// and is not authorized here.
func (c *call) authorize() *apiError {
	return c.allowed(c.caller, "iam:"+c.action, c.resource())
}

// allowed evaluates p's identity policies: an explicit Deny wins, then an
// Allow, else the implicit deny.
func (c *call) allowed(p principal, action, resource string) *apiError {
	if p.isRoot() {
		return nil
	}
	userName := ""
	if p.user != nil {
		userName = p.user.name
	}
	allowed := false
	for _, st := range c.identityStatements(p) {
		if !st.matches(action, resource, userName) {
			continue
		}
		if !st.allow {
			return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in an identity-based policy", p.arn(), action, resource)
		}
		allowed = true
	}
	if allowed {
		return nil
	}
	return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", p.arn(), action, resource, action)
}
