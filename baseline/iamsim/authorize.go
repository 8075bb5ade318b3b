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
	case "CreateVirtualMFADevice", "DeleteVirtualMFADevice", "ListMFADeviceTags", "TagMFADevice":
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

func (st statement) matches(action, resource, userName string) bool {
	if st.hasCondition {
		// Conditions are not evaluated: such a statement never applies.
		return false
	}
	matched := false
	for _, a := range st.actions {
		if wildcardMatch(strings.ToLower(a), strings.ToLower(action)) {
			matched = true
			break
		}
	}
	if matched == st.notAction {
		return false
	}
	matched = false
	for _, r := range st.resources {
		r = strings.ReplaceAll(r, "${aws:username}", userName)
		if r == "*" || wildcardMatch(r, resource) {
			matched = true
			break
		}
	}
	return matched != st.notResource
}

// authorize evaluates the caller's identity policies: an explicit Deny wins,
// then an Allow, else the implicit deny. Root is never denied; STS
// GetCallerIdentity needs no permission and is not authorized here.
func (c *call) authorize() *apiError {
	u := c.caller.user
	if u == nil {
		return nil
	}
	action := "iam:" + c.action
	resource := c.resource()
	allowed := false
	for _, st := range c.identityStatements(u) {
		if !st.matches(action, resource, u.name) {
			continue
		}
		if !st.allow {
			return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s with an explicit deny in an identity-based policy", c.caller.arn(), action, resource)
		}
		allowed = true
	}
	if allowed {
		return nil
	}
	return errf("AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", c.caller.arn(), action, resource, action)
}
