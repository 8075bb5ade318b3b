package iamsim

// holder is a user, group or role as the owner of inline and attached
// policies: the policy actions of the three kinds differ only in it.
type holder struct {
	kind     string // "user", "group", "role": as IAM words its messages
	nameElem string // "UserName", ...: the answer's element for the name
	name     string
	inline   map[string]string
	attached *[]string
	quota    int // total inline policy size
}

func (c *call) userHolder() (holder, error) {
	u, err := c.userParam(false)
	if err != nil {
		return holder{}, err
	}
	return holder{"user", "UserName", u.name, u.inline, &u.attached, userPolicySizeQuota}, nil
}

func (c *call) groupHolder() (holder, error) {
	g, err := c.groupParam()
	if err != nil {
		return holder{}, err
	}
	return holder{"group", "GroupName", g.name, g.inline, &g.attached, groupPolicySizeQuota}, nil
}

func (c *call) roleHolder() (holder, error) {
	r, err := c.roleParam()
	if err != nil {
		return holder{}, err
	}
	return holder{"role", "RoleName", r.name, r.inline, &r.attached, rolePolicySizeQuota}, nil
}

// holderActions are the inline and managed policy actions of one kind of
// holder: Put/Get/Delete<Kind>Policy, List<Kind>Policies,
// Attach/Detach<Kind>Policy and ListAttached<Kind>Policies.
func holderActions(kind string, find func(*call) (holder, error)) map[string]handler {
	with := func(do func(*call, holder) error) handler {
		return func(c *call) error {
			h, err := find(c)
			if err != nil {
				return err
			}
			return do(c, h)
		}
	}
	return map[string]handler{
		"Put" + kind + "Policy":            with((*call).putInlinePolicy),
		"Get" + kind + "Policy":            with((*call).getInlinePolicy),
		"Delete" + kind + "Policy":         with((*call).deleteInlinePolicy),
		"List" + kind + "Policies":         with(func(c *call, h holder) error { return c.writePolicyNames(h.inline) }),
		"Attach" + kind + "Policy":         with((*call).attachPolicy),
		"Detach" + kind + "Policy":         with((*call).detachPolicy),
		"ListAttached" + kind + "Policies": with(func(c *call, h holder) error { return c.writeAttached(*h.attached) }),
	}
}

func (c *call) putInlinePolicy(h holder) error {
	name, err := c.policyNameParam()
	if err != nil {
		return err
	}
	doc, err := c.documentParam()
	if err != nil {
		return err
	}
	return putInline(h.inline, name, doc, h.quota, h.kind+" "+h.name)
}

// inlinePolicy reads PolicyName and finds it among h's inline policies.
func (c *call) inlinePolicy(h holder) (string, error) {
	name, err := c.policyNameParam()
	if err != nil {
		return "", err
	}
	if _, ok := h.inline[name]; !ok {
		return "", noSuchEntity("The %s policy with name %s cannot be found.", h.kind, name)
	}
	return name, nil
}

func (c *call) getInlinePolicy(h holder) error {
	name, err := c.inlinePolicy(h)
	if err != nil {
		return err
	}
	c.out.text(h.nameElem, h.name)
	c.out.text("PolicyDocument", encodeDocument(h.inline[name]))
	c.out.text("PolicyName", name)
	return nil
}

func (c *call) deleteInlinePolicy(h holder) error {
	name, err := c.inlinePolicy(h)
	if err != nil {
		return err
	}
	delete(h.inline, name)
	return nil
}

func (c *call) attachPolicy(h holder) error {
	p, err := c.policyParam()
	if err != nil {
		return err
	}
	return attach(h.attached, p.arn)
}

func (c *call) detachPolicy(h holder) error {
	arn, err := c.policyARNParam()
	if err != nil {
		return err
	}
	return detach(h.attached, arn)
}
