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
// accepts.
var authDetailsFilters = map[string]bool{
	"User": true, "Role": true, "Group": true, "LocalManagedPolicy": true, "AWSManagedPolicy": true,
}

// authEntity is one user or group in a GetAccountAuthorizationDetails answer;
// users come before groups, each by name, so one marker pages through both.
type authEntity struct {
	user  *user
	group *group
}

func authEntityKey(e authEntity) string {
	if e.user != nil {
		return "1" + key(e.user.name)
	}
	return "2" + key(e.group.name)
}

// getAccountAuthorizationDetails answers for users and groups (the simulator
// has no roles, and lists no managed policies here).
func (c *call) getAccountAuthorizationDetails() error {
	filters := map[string]bool{}
	for k, v := range c.form {
		if !strings.HasPrefix(k, "Filter.member.") {
			continue
		}
		for _, f := range v {
			if !authDetailsFilters[f] {
				return validationError("1 validation error detected: Value '[%s]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [User, Role, Group, LocalManagedPolicy, AWSManagedPolicy]]", f)
			}
			filters[f] = true
		}
	}
	all := len(filters) == 0
	var entities []authEntity
	if all || filters["User"] {
		for _, u := range c.visibleUsers("/") {
			entities = append(entities, authEntity{user: u})
		}
	}
	if all || filters["Group"] {
		for _, g := range c.acct.groups {
			if c.visible(g.visibleAt) {
				entities = append(entities, authEntity{group: g})
			}
		}
	}
	page, truncated, next, err := pageOf(c, entities, authEntityKey)
	if err != nil {
		return err
	}
	c.out.open("UserDetailList")
	for _, e := range page {
		if e.user != nil {
			c.writeUserDetail(e.user)
		}
	}
	c.out.close("UserDetailList")
	c.out.open("GroupDetailList")
	for _, e := range page {
		if e.group != nil {
			c.writeGroupDetail(e.group)
		}
	}
	c.out.close("GroupDetailList")
	c.out.open("RoleDetailList")
	c.out.close("RoleDetailList")
	c.out.open("Policies")
	c.out.close("Policies")
	c.out.page(truncated, next)
	return nil
}

func (c *call) writeUserDetail(u *user) {
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
}

func (c *call) writeGroupDetail(g *group) {
	c.out.open("member")
	c.writeGroup(g)
	c.writeAttachedList(g.attached)
	c.writeInlineList("GroupPolicyList", g.inline)
	c.out.close("member")
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
