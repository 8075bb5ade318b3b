package iamsim

import "strings"

func groupSortKey(g *group) string { return key(g.name) }

func (c *call) lookupGroup(name string) (*group, error) {
	g := c.acct.groups[key(name)]
	if g == nil || !c.visible(g.visibleAt) {
		return nil, noSuchEntity("The group with name %s cannot be found.", name)
	}
	return g, nil
}

func (c *call) groupParam() (*group, error) {
	name, err := c.entityName("GroupName")
	if err != nil {
		return nil, err
	}
	return c.lookupGroup(name)
}

func (c *call) writeGroup(g *group) {
	c.out.text("Arn", c.acct.groupARN(g))
	c.out.time("CreateDate", g.created)
	c.out.text("GroupId", g.id)
	c.out.text("GroupName", g.name)
	c.out.text("Path", g.path)
}

func (c *call) createGroup() error {
	name, err := c.entityName("GroupName")
	if err != nil {
		return err
	}
	path := c.path("Path")
	if _, exists := c.acct.groups[key(name)]; exists {
		return errf("EntityAlreadyExists", "Group with name %s already exists.", name)
	}
	if len(c.acct.groups) >= groupsQuota {
		return quotaExceeded("GroupsPerAccount", groupsQuota)
	}
	g := &group{
		name: name, path: path, id: newID("AGPA", 17), created: c.now, visibleAt: c.visibleAt(),
		members: map[string]*user{}, inline: map[string]string{},
	}
	c.acct.groups[key(name)] = g
	c.out.open("Group")
	c.writeGroup(g)
	c.out.close("Group")
	return nil
}

func (c *call) getGroup() error {
	g, err := c.groupParam()
	if err != nil {
		return err
	}
	var members []*user
	for _, u := range g.members {
		members = append(members, u)
	}
	page, truncated, next, err := pageOf(c, members, userSortKey)
	if err != nil {
		return err
	}
	c.out.open("Group")
	c.writeGroup(g)
	c.out.close("Group")
	c.out.page(truncated, next)
	c.out.open("Users")
	for _, u := range page {
		c.out.open("member")
		c.writeUser(u)
		c.out.close("member")
	}
	c.out.close("Users")
	return nil
}

func (c *call) listGroups() error {
	prefix := c.pathPrefix()
	var groups []*group
	for _, g := range c.acct.groups {
		if c.visible(g.visibleAt) && strings.HasPrefix(g.path, prefix) {
			groups = append(groups, g)
		}
	}
	return writeMembers(c, "Groups", groups, groupSortKey, c.writeGroup)
}

func (c *call) deleteGroup() error {
	g, err := c.groupParam()
	if err != nil {
		return err
	}
	switch {
	case len(g.members) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must remove users from group first.")
	case len(g.attached) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must detach all policies first.")
	case len(g.inline) > 0:
		return errf("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(c.acct.groups, key(g.name))
	return nil
}

func (c *call) addUserToGroup() error {
	g, err := c.groupParam()
	if err != nil {
		return err
	}
	u, err := c.userParam(false)
	if err != nil {
		return err
	}
	if _, member := u.groups[key(g.name)]; member {
		return nil
	}
	if len(u.groups) >= groupsPerUserQuota {
		return quotaExceeded("GroupsPerUser", groupsPerUserQuota)
	}
	u.groups[key(g.name)] = g
	g.members[key(u.name)] = u
	return nil
}

func (c *call) removeUserFromGroup() error {
	g, err := c.groupParam()
	if err != nil {
		return err
	}
	u, err := c.userParam(false)
	if err != nil {
		return err
	}
	if _, member := g.members[key(u.name)]; !member {
		return noSuchEntity("User %s is not in group %s.", u.name, g.name)
	}
	delete(g.members, key(u.name))
	delete(u.groups, key(g.name))
	return nil
}

func attach(list *[]string, arn string) error {
	for _, a := range *list {
		if a == arn {
			return nil
		}
	}
	if len(*list) >= attachedPoliciesQuota {
		return quotaExceeded("PolicyAttachments", attachedPoliciesQuota)
	}
	*list = append(*list, arn)
	return nil
}

func detach(list *[]string, arn string) error {
	for i, a := range *list {
		if a == arn {
			*list = append((*list)[:i:i], (*list)[i+1:]...)
			return nil
		}
	}
	return noSuchEntity("Policy %s was not found.", arn)
}
