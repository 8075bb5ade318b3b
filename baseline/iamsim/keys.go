package iamsim

// keyOwner resolves the optional UserName of the access key actions: absent
// means the caller, which for root means root's own keys.
func (c *call) keyOwner() (*user, error) { return c.userParam(true) }

func (c *call) keysOf(u *user) *[]*accessKey {
	if u == nil {
		return &c.acct.rootKeys
	}
	return &u.keys
}

func (c *call) ownerName(u *user) string {
	if u == nil {
		return ""
	}
	return u.name
}

func (c *call) createAccessKey() error {
	u, err := c.keyOwner()
	if err != nil {
		return err
	}
	keys := c.keysOf(u)
	if len(*keys) >= accessKeysPerUser {
		return quotaExceeded("AccessKeysPerUser", accessKeysPerUser)
	}
	k := &accessKey{id: newID("AKIA", 16), secret: newSecret(), user: u, active: true, created: c.now}
	*keys = append(*keys, k)
	c.s.keys[k.id] = &keyBinding{acct: c.acct, key: k}
	c.out.open("AccessKey")
	c.out.text("AccessKeyId", k.id)
	c.out.time("CreateDate", k.created)
	c.out.text("SecretAccessKey", k.secret)
	c.out.text("Status", status(k.active))
	c.out.opt("UserName", c.ownerName(u))
	c.out.close("AccessKey")
	return nil
}

func status(active bool) string {
	if active {
		return "Active"
	}
	return "Inactive"
}

func (c *call) listAccessKeys() error {
	u, err := c.keyOwner()
	if err != nil {
		return err
	}
	page, truncated, next, err := pageOf(c, append([]*accessKey(nil), *c.keysOf(u)...), func(k *accessKey) string { return k.id })
	if err != nil {
		return err
	}
	c.out.open("AccessKeyMetadata")
	for _, k := range page {
		c.out.open("member")
		c.out.text("AccessKeyId", k.id)
		c.out.time("CreateDate", k.created)
		c.out.text("Status", status(k.active))
		c.out.opt("UserName", c.ownerName(u))
		c.out.close("member")
	}
	c.out.close("AccessKeyMetadata")
	c.out.page(truncated, next)
	return nil
}

// accessKeyParam finds AccessKeyId among the owner's keys: a root key can
// only be reached when root signs the request.
func (c *call) accessKeyParam(u *user) (int, error) {
	id, err := c.required("AccessKeyId")
	if err != nil {
		return 0, err
	}
	for i, k := range *c.keysOf(u) {
		if k.id == id {
			return i, nil
		}
	}
	return 0, noSuchEntity("The Access Key with id %s cannot be found.", id)
}

func (c *call) deleteAccessKey() error {
	u, err := c.keyOwner()
	if err != nil {
		return err
	}
	i, err := c.accessKeyParam(u)
	if err != nil {
		return err
	}
	keys := c.keysOf(u)
	delete(c.s.keys, (*keys)[i].id)
	c.s.deletedKeys[(*keys)[i].id] = true
	*keys = append((*keys)[:i:i], (*keys)[i+1:]...)
	return nil
}

func (c *call) updateAccessKey() error {
	u, err := c.keyOwner()
	if err != nil {
		return err
	}
	i, err := c.accessKeyParam(u)
	if err != nil {
		return err
	}
	st, err := c.required("Status")
	if err != nil {
		return err
	}
	(*c.keysOf(u))[i].active = st == "Active"
	return nil
}
