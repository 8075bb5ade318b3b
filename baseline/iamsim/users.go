package iamsim

import (
	"strings"
	"time"
)

func (c *call) lookupUser(name string) (*user, error) {
	u := c.acct.users[key(name)]
	if u == nil || !c.visible(u.visibleAt) {
		return nil, noSuchEntity("The user with name %s cannot be found.", name)
	}
	return u, nil
}

// userParam reads UserName; when optional and absent it is the caller: an
// IAM user, or root (nil). A role session must name the user.
func (c *call) userParam(optional bool) (*user, error) {
	if optional && !c.has("UserName") {
		if c.caller.role != nil {
			return nil, errNonUserCredentials()
		}
		return c.caller.user, nil
	}
	name, err := c.entityName("UserName")
	if err != nil {
		return nil, err
	}
	return c.lookupUser(name)
}

func (c *call) writeUser(u *user) {
	c.out.text("Arn", c.acct.userARN(u))
	c.out.time("CreateDate", u.created)
	c.out.text("Path", u.path)
	c.out.text("UserId", u.id)
	c.out.text("UserName", u.name)
}

// writeRootUser is the shape GetUser returns for the root user.
func (c *call) writeRootUser() {
	c.out.text("Arn", c.acct.rootARN())
	c.out.time("CreateDate", c.acct.created)
	c.out.text("UserId", c.acct.id)
}

func (c *call) createUser() error {
	name, err := c.entityName("UserName")
	if err != nil {
		return err
	}
	path := c.path("Path")
	if _, exists := c.acct.users[key(name)]; exists {
		return errf("EntityAlreadyExists", "User with name %s already exists.", name)
	}
	if len(c.acct.users) >= usersQuota {
		return quotaExceeded("UsersPerAccount", usersQuota)
	}
	u := c.acct.newUser(name, path, c.now, c.visibleAt())
	// AWS says only "several minutes"; here: one consistency window past
	// the new user's visibility, when the name was deleted within one.
	if deleted, ok := c.acct.deletedUsers[key(name)]; ok && c.now.Before(deleted.Add(c.s.consistencyDelay)) {
		u.unmodifiableUntil = u.visibleAt.Add(c.s.consistencyDelay)
	}
	c.out.open("User")
	c.writeUser(u)
	c.out.close("User")
	return nil
}

func (a *account) newUser(name, path string, now, visibleAt time.Time) *user {
	u := &user{
		name: name, path: path, id: newID("AIDA", 17), created: now, visibleAt: visibleAt,
		groups: map[string]*group{}, inline: map[string]string{},
	}
	a.users[key(name)] = u
	return u
}

func (c *call) getUser() error {
	u, err := c.userParam(true)
	if err != nil {
		return err
	}
	c.out.open("User")
	if u == nil {
		c.writeRootUser()
	} else {
		c.writeUser(u)
	}
	c.out.close("User")
	return nil
}

func (c *call) visibleUsers(prefix string) []*user {
	var out []*user
	for _, u := range c.acct.users {
		if c.visible(u.visibleAt) && strings.HasPrefix(u.path, prefix) {
			out = append(out, u)
		}
	}
	return out
}

// pathPrefix reads an optional PathPrefix ("/" by default).
func (c *call) pathPrefix() string {
	if !c.has("PathPrefix") {
		return "/"
	}
	return c.str("PathPrefix")
}

func userSortKey(u *user) string { return key(u.name) }

func (c *call) listUsers() error {
	prefix := c.pathPrefix()
	return writeMembers(c, "Users", c.visibleUsers(prefix), userSortKey, c.writeUser)
}

func (c *call) deleteUser() error {
	u, err := c.userParam(false)
	if err != nil {
		return err
	}
	switch {
	case u.login != nil:
		return errf("DeleteConflict", "Cannot delete entity, must delete login profile first.")
	case len(u.keys) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must delete access keys first.")
	case len(u.mfa) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must delete MFA device first.")
	case len(u.groups) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must remove user from all groups first.")
	case len(u.attached) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must detach all policies first.")
	case len(u.inline) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.acct.users, key(u.name))
	c.acct.deletedUsers[key(u.name)] = c.now
	return nil
}

// modifiableUser is userParam for the actions that change a user's
// credentials: a user name deleted and recreated within IAM's consistency
// window answers EntityTemporarilyUnmodifiable for a while, as AWS does.
func (c *call) modifiableUser(optional bool) (*user, error) {
	u, err := c.userParam(optional)
	if err != nil || u == nil {
		return u, err
	}
	if c.now.Before(u.unmodifiableUntil) {
		return nil, errf("EntityTemporarilyUnmodifiable", "The user %s was recently deleted and recreated and cannot be modified yet. Try again later.", u.name)
	}
	return u, nil
}

func (c *call) listGroupsForUser() error {
	u, err := c.userParam(false)
	if err != nil {
		return err
	}
	var groups []*group
	for _, g := range u.groups {
		groups = append(groups, g)
	}
	return writeMembers(c, "Groups", groups, groupSortKey, c.writeGroup)
}

func (c *call) writePolicyNames(inline map[string]string) error {
	var names []string
	for n := range inline {
		names = append(names, n)
	}
	page, truncated, next, err := pageOf(c, names, func(s string) string { return s })
	if err != nil {
		return err
	}
	c.out.page(truncated, next)
	c.out.open("PolicyNames")
	for _, n := range page {
		c.out.text("member", n)
	}
	c.out.close("PolicyNames")
	return nil
}
