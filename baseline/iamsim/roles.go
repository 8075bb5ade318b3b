package iamsim

import (
	"strings"
	"time"
)

// role is an IAM role: a trust policy saying who may assume it, and the
// permissions its sessions get.
type role struct {
	name, id, path, description string
	trust                       string // AssumeRolePolicyDocument
	maxSession                  int    // seconds
	created, visibleAt          time.Time
	attached                    []string
	inline                      map[string]string
}

const (
	rolesQuota           = 1000
	rolePolicySizeQuota  = 10240
	trustPolicySizeQuota = 2048
	defaultMaxSession    = 3600
)

// addRole creates a configured role; the trust policy is checked as
// CreateRole would (principals are not, as other accounts may come later).
func (a *account) addRole(rc RoleConfig, now time.Time) error {
	if err := checkModelValue("iam:CreateRole", "RoleName", rc.Name); err != nil {
		return err
	}
	if _, err := parseTrustPolicy(rc.TrustPolicy); err != nil {
		return err
	}
	a.roles[key(rc.Name)] = &role{
		name: rc.Name, path: "/", id: newID("AROA", 17), trust: rc.TrustPolicy, maxSession: defaultMaxSession,
		created: now, visibleAt: now, attached: append([]string(nil), rc.PolicyARNs...), inline: map[string]string{},
	}
	return nil
}

func (a *account) roleARN(r *role) string { return a.arn("role" + r.path + r.name) }

func roleSortKey(r *role) string { return key(r.name) }

func (c *call) lookupRole(name string) (*role, error) {
	r := c.acct.roles[key(name)]
	if r == nil || !c.visible(r.visibleAt) {
		return nil, noSuchEntity("The role with name %s cannot be found.", name)
	}
	return r, nil
}

func (c *call) roleParam() (*role, error) {
	name, err := c.entityName("RoleName")
	if err != nil {
		return nil, err
	}
	return c.lookupRole(name)
}

func (c *call) writeRole(r *role) {
	c.out.text("Arn", c.acct.roleARN(r))
	c.out.text("AssumeRolePolicyDocument", encodeDocument(r.trust))
	c.out.time("CreateDate", r.created)
	c.out.opt("Description", r.description)
	c.out.integer("MaxSessionDuration", r.maxSession)
	c.out.text("Path", r.path)
	c.out.text("RoleId", r.id)
	c.out.text("RoleName", r.name)
}

func (c *call) createRole() error {
	name, err := c.entityName("RoleName")
	if err != nil {
		return err
	}
	path := c.path("Path")
	trust, err := c.trustDocumentParam("AssumeRolePolicyDocument")
	if err != nil {
		return err
	}
	maxSession := c.intParam("MaxSessionDuration", defaultMaxSession)
	if _, exists := c.acct.roles[key(name)]; exists {
		return errf("EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	if len(c.acct.roles) >= rolesQuota {
		return quotaExceeded("RolesPerAccount", rolesQuota)
	}
	r := &role{
		name: name, path: path, id: newID("AROA", 17), description: c.str("Description"), trust: trust,
		maxSession: maxSession, created: c.now, visibleAt: c.visibleAt(), inline: map[string]string{},
	}
	c.acct.roles[key(name)] = r
	c.out.open("Role")
	c.writeRole(r)
	c.out.close("Role")
	return nil
}

// trustDocumentParam reads a trust policy (CreateRole's
// AssumeRolePolicyDocument, UpdateAssumeRolePolicy's PolicyDocument) and
// checks that its AWS principals in simulated accounts exist.
func (c *call) trustDocumentParam(param string) (string, error) {
	doc, err := c.required(param)
	if err != nil {
		return "", err
	}
	if policySize(doc) > trustPolicySizeQuota {
		return "", errf("LimitExceeded", "Cannot exceed quota for ACLSizePerRole: %d", trustPolicySizeQuota)
	}
	stmts, err := parseTrustPolicy(doc)
	if err != nil {
		return "", err
	}
	for _, st := range stmts {
		for _, p := range st.awsPrincipals {
			if !c.s.principalExists(p) {
				return "", malformed("Invalid principal in policy: \"AWS\":\"%s\"", p)
			}
		}
	}
	return doc, nil
}

// principalExists is false for a user or role ARN of a simulated account
// that has no such user or role; IAM refuses trust policies naming them.
func (s *Sim) principalExists(p string) bool {
	parts := strings.SplitN(p, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" {
		return true
	}
	a := s.accounts[parts[4]]
	if a == nil {
		return true
	}
	kind, rest, _ := strings.Cut(parts[5], "/")
	name := rest[strings.LastIndex(rest, "/")+1:]
	switch kind {
	case "user":
		return a.users[key(name)] != nil
	case "role":
		return a.roles[key(name)] != nil
	}
	return true
}

func (c *call) getRole() error {
	r, err := c.roleParam()
	if err != nil {
		return err
	}
	c.out.open("Role")
	c.writeRole(r)
	c.out.close("Role")
	return nil
}

func (c *call) listRoles() error {
	prefix := c.pathPrefix()
	var roles []*role
	for _, r := range c.acct.roles {
		if c.visible(r.visibleAt) && strings.HasPrefix(r.path, prefix) {
			roles = append(roles, r)
		}
	}
	return writeMembers(c, "Roles", roles, roleSortKey, c.writeRole)
}

func (c *call) deleteRole() error {
	r, err := c.roleParam()
	if err != nil {
		return err
	}
	switch {
	case len(r.attached) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must detach all policies first.")
	case len(r.inline) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.acct.roles, key(r.name))
	return nil
}

func (c *call) updateAssumeRolePolicy() error {
	r, err := c.roleParam()
	if err != nil {
		return err
	}
	trust, err := c.trustDocumentParam("PolicyDocument")
	if err != nil {
		return err
	}
	r.trust = trust
	return nil
}

// roleActions are the role actions, merged into iamActions.
func roleActions() map[string]handler {
	return map[string]handler{
		"CreateRole":             (*call).createRole,
		"GetRole":                (*call).getRole,
		"ListRoles":              (*call).listRoles,
		"DeleteRole":             (*call).deleteRole,
		"UpdateAssumeRolePolicy": (*call).updateAssumeRolePolicy,
		"ListEntitiesForPolicy":  (*call).listEntitiesForPolicy,
	}
}
