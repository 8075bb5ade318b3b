package iamsim

import "strings"

const (
	userPolicySizeQuota    = 2048
	groupPolicySizeQuota   = 5120
	managedPolicySizeQuota = 6144
)

func (c *call) policyNameParam() (string, error) { return c.entityName("PolicyName") }

// documentParam reads and checks PolicyDocument.
func (c *call) documentParam() (string, error) {
	doc, err := c.required("PolicyDocument")
	if err != nil {
		return "", err
	}
	if _, err := parsePolicy(doc); err != nil {
		return "", err
	}
	return doc, nil
}

// putInline stores an inline policy if the owner's inline total stays in quota.
func putInline(inline map[string]string, name, doc string, quota int, owner string) error {
	total := policySize(doc)
	for n, d := range inline {
		if n != name {
			total += policySize(d)
		}
	}
	if total > quota {
		return errf("LimitExceeded", "Maximum policy size of %d bytes exceeded for %s", quota, owner)
	}
	inline[name] = doc
	return nil
}

func (c *call) createPolicy() error {
	name, err := c.policyNameParam()
	if err != nil {
		return err
	}
	path := c.path("Path")
	doc, err := c.documentParam()
	if err != nil {
		return err
	}
	desc := c.str("Description")
	if policySize(doc) > managedPolicySizeQuota {
		return errf("LimitExceeded", "Cannot exceed quota for PolicySize: %d", managedPolicySizeQuota)
	}
	for _, p := range c.acct.policies {
		if key(p.name) == key(name) {
			return errf("EntityAlreadyExists", "A policy called %s already exists. Duplicate names are not allowed.", name)
		}
	}
	p := &managedPolicy{
		arn: c.acct.arn("policy" + path + name), name: name, id: newID("ANPA", 17), path: path,
		description: desc, document: doc, version: "v1", created: c.now, visibleAt: c.visibleAt(),
	}
	c.acct.policies[p.arn] = p
	c.writePolicy("Policy", p, true)
	return nil
}

func (c *call) deletePolicy() error {
	arn, err := c.policyARNParam()
	if err != nil {
		return err
	}
	p := c.acct.policies[arn]
	if p == nil {
		return noSuchEntity("Policy %s was not found.", arn)
	}
	if c.attachmentCount(arn) > 0 {
		return errf("DeleteConflict", "Cannot delete a policy attached to entities.")
	}
	delete(c.acct.policies, arn)
	return nil
}

func (c *call) getPolicyVersion() error {
	arn, err := c.policyARNParam()
	if err != nil {
		return err
	}
	version, err := c.required("VersionId")
	if err != nil {
		return err
	}
	p := c.lookupPolicy(arn)
	if p == nil || !c.visible(p.visibleAt) {
		return noSuchEntity("Policy %s was not found.", arn)
	}
	if version != p.version {
		return noSuchEntity("Policy %s version %s does not exist or is not attachable.", arn, version)
	}
	c.out.open("PolicyVersion")
	c.writePolicyVersion(p)
	c.out.close("PolicyVersion")
	return nil
}

func (c *call) listPolicies() error {
	scope := "All"
	if c.has("Scope") {
		scope = c.str("Scope")
	}
	onlyAttached := c.boolParam("OnlyAttached")
	prefix := c.pathPrefix()
	var list []*managedPolicy
	if scope != "Local" {
		for _, p := range awsManagedPolicies() {
			list = append(list, c.lookupPolicy(c.managedPolicyARN(p)))
		}
	}
	if scope != "AWS" {
		for _, p := range c.acct.policies {
			if c.visible(p.visibleAt) {
				list = append(list, p)
			}
		}
	}
	var filtered []*managedPolicy
	for _, p := range list {
		if strings.HasPrefix(p.path, prefix) && (!onlyAttached || c.attachmentCount(p.arn) > 0) {
			filtered = append(filtered, p)
		}
	}
	page, truncated, next, err := pageOf(c, filtered, func(p *managedPolicy) string { return p.arn })
	if err != nil {
		return err
	}
	c.out.page(truncated, next)
	c.out.open("Policies")
	for _, p := range page {
		c.writePolicy("member", p, false)
	}
	c.out.close("Policies")
	return nil
}

// writePolicyVersion writes the elements of a policy's only version.
func (c *call) writePolicyVersion(p *managedPolicy) {
	c.out.time("CreateDate", p.created)
	c.out.text("Document", encodeDocument(p.document))
	c.out.boolean("IsDefaultVersion", true)
	c.out.text("VersionId", p.version)
}
