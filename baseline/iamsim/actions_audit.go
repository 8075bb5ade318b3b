package iamsim

import (
	"sort"
	"strings"
)

// auditActions are the actions the status audit reads with
// (GetAccountAuthorizationDetails). The user policy actions its tests use
// live with the other policy actions in inline.go.
func auditActions() map[string]handler {
	return map[string]handler{
		"GetAccountAuthorizationDetails": (*call).getAccountAuthorizationDetails,
	}
}

// authDetailsFilters are the EntityFilter values GetAccountAuthorizationDetails
// and ListEntitiesForPolicy accept.
var authDetailsFilters = map[string]bool{
	"User": true, "Role": true, "Group": true, "LocalManagedPolicy": true, "AWSManagedPolicy": true,
}

// authEntity is one user, group, role or managed policy in a
// GetAccountAuthorizationDetails answer; users come first, then groups,
// roles and policies, each by name, so one marker pages through all.
type authEntity struct {
	user   *user
	group  *group
	role   *role
	policy *managedPolicy
}

func authEntityKey(e authEntity) string {
	switch {
	case e.user != nil:
		return "1" + key(e.user.name)
	case e.group != nil:
		return "2" + key(e.group.name)
	case e.role != nil:
		return "3" + key(e.role.name)
	}
	return "4" + e.policy.arn
}

// kind is "User", "Group", "Role" or "Policy".
func (e authEntity) kind() string {
	switch {
	case e.user != nil:
		return "User"
	case e.group != nil:
		return "Group"
	case e.role != nil:
		return "Role"
	}
	return "Policy"
}

func (e authEntity) idAndName() (string, string) {
	switch {
	case e.user != nil:
		return e.user.id, e.user.name
	case e.group != nil:
		return e.group.id, e.group.name
	case e.role != nil:
		return e.role.id, e.role.name
	}
	return e.policy.id, e.policy.name
}

func (e authEntity) attached() []string {
	switch {
	case e.user != nil:
		return e.user.attached
	case e.group != nil:
		return e.group.attached
	case e.role != nil:
		return e.role.attached
	}
	return nil
}

func (e authEntity) attachedTo(arn string) bool { return count(e.attached(), arn) > 0 }

func (e authEntity) path() string {
	switch {
	case e.user != nil:
		return e.user.path
	case e.group != nil:
		return e.group.path
	case e.role != nil:
		return e.role.path
	}
	return e.policy.path
}

// authEntities are the visible users, groups and roles of the kinds asked.
func (c *call) authEntities(kinds map[string]bool) []authEntity {
	var out []authEntity
	if kinds["User"] {
		for _, u := range c.visibleUsers("/") {
			out = append(out, authEntity{user: u})
		}
	}
	if kinds["Group"] {
		for _, g := range c.acct.groups {
			if c.visible(g.visibleAt) {
				out = append(out, authEntity{group: g})
			}
		}
	}
	if kinds["Role"] {
		for _, r := range c.acct.roles {
			if c.visible(r.visibleAt) {
				out = append(out, authEntity{role: r})
			}
		}
	}
	return out
}

// detailPolicies are the managed policies GetAccountAuthorizationDetails
// lists: customer managed ones (LocalManagedPolicy), and AWS managed ones
// that are attached to something in the account (AWSManagedPolicy).
func (c *call) detailPolicies(local, awsManaged bool) []authEntity {
	var out []authEntity
	if local {
		for _, p := range c.acct.policies {
			if c.visible(p.visibleAt) {
				out = append(out, authEntity{policy: p})
			}
		}
	}
	if awsManaged {
		for _, m := range awsManagedPolicies() {
			if p := c.lookupPolicy(c.managedPolicyARN(m)); c.attachmentCount(p.arn) > 0 {
				out = append(out, authEntity{policy: p})
			}
		}
	}
	return out
}

// authDetailsFilter is the set of entity kinds asked for (the model checked
// the values); none means all.
func (c *call) authDetailsFilter() map[string]bool {
	filters := map[string]bool{}
	for k, v := range c.form {
		if strings.HasPrefix(k, "Filter.member.") {
			for _, f := range v {
				filters[f] = true
			}
		}
	}
	if len(filters) == 0 {
		for f := range authDetailsFilters {
			filters[f] = true
		}
	}
	return filters
}

func (c *call) getAccountAuthorizationDetails() error {
	filters := c.authDetailsFilter()
	entities := c.authEntities(filters)
	entities = append(entities, c.detailPolicies(filters["LocalManagedPolicy"], filters["AWSManagedPolicy"])...)
	page, truncated, next, err := pageOf(c, entities, authEntityKey)
	if err != nil {
		return err
	}
	sections := []struct {
		element string
		write   func(authEntity) bool
	}{
		{"UserDetailList", func(e authEntity) bool { return e.user != nil && c.writeUserDetail(e.user) }},
		{"GroupDetailList", func(e authEntity) bool { return e.group != nil && c.writeGroupDetail(e.group) }},
		{"RoleDetailList", func(e authEntity) bool { return e.role != nil && c.writeRoleDetail(e.role) }},
		{"Policies", func(e authEntity) bool { return e.policy != nil && c.writePolicyDetail(e.policy) }},
	}
	for _, s := range sections {
		c.out.open(s.element)
		for _, e := range page {
			s.write(e)
		}
		c.out.close(s.element)
	}
	c.out.page(truncated, next)
	return nil
}

func (c *call) writeUserDetail(u *user) bool {
	c.out.open("member")
	c.writeUser(u)
	c.out.open("GroupList")
	for _, g := range sortedGroups(u.groups) {
		c.out.text("member", g.name)
	}
	c.out.close("GroupList")
	c.writeAttachedList(u.attached)
	c.writeInlineList("UserPolicyList", u.inline)
	c.out.close("member")
	return true
}

func (c *call) writeGroupDetail(g *group) bool {
	c.out.open("member")
	c.writeGroup(g)
	c.writeAttachedList(g.attached)
	c.writeInlineList("GroupPolicyList", g.inline)
	c.out.close("member")
	return true
}

func (c *call) writeRoleDetail(r *role) bool {
	c.out.open("member")
	c.writeRole(r)
	c.out.open("InstanceProfileList")
	c.out.close("InstanceProfileList")
	c.writeAttachedList(r.attached)
	c.writeInlineList("RolePolicyList", r.inline)
	c.out.close("member")
	return true
}

// writePolicyDetail is a managed policy with its (single) version.
func (c *call) writePolicyDetail(p *managedPolicy) bool {
	c.out.open("member")
	c.writePolicyFields(p, true, func() {
		c.out.open("PolicyVersionList")
		c.out.open("member")
		c.writePolicyVersion(p)
		c.out.close("member")
		c.out.close("PolicyVersionList")
	})
	c.out.close("member")
	return true
}

func (c *call) writeAttachedList(arns []string) {
	c.out.open("AttachedManagedPolicies")
	for _, arn := range arns {
		c.out.open("member")
		c.out.text("PolicyArn", arn)
		c.out.text("PolicyName", arn[strings.LastIndex(arn, "/")+1:])
		c.out.close("member")
	}
	c.out.close("AttachedManagedPolicies")
}

// writeInlineList writes inline policies; AWS URL-encodes their documents.
func (c *call) writeInlineList(element string, inline map[string]string) {
	names := make([]string, 0, len(inline))
	for n := range inline {
		names = append(names, n)
	}
	sort.Strings(names)
	c.out.open(element)
	for _, n := range names {
		c.out.open("member")
		c.out.text("PolicyDocument", encodeDocument(inline[n]))
		c.out.text("PolicyName", n)
		c.out.close("member")
	}
	c.out.close(element)
}

func sortedGroups(m map[string]*group) []*group {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]*group, 0, len(m))
	for _, k := range names {
		out = append(out, m[k])
	}
	return out
}
