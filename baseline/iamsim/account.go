package iamsim

import (
	"regexp"
	"sort"
)

func (c *call) getCallerIdentity() error {
	c.out.text("Arn", c.caller.arn())
	c.out.text("UserId", c.caller.userID())
	c.out.text("Account", c.acct.id)
	return nil
}

func (c *call) getAccountSummary() error {
	a := c.acct
	users, groups, devices, inUse := 0, 0, 0, 0
	for _, u := range a.users {
		if c.visible(u.visibleAt) {
			users++
		}
		inUse += len(u.mfa)
	}
	for _, g := range a.groups {
		if c.visible(g.visibleAt) {
			groups++
		}
	}
	for _, d := range a.devices {
		if c.visible(d.visibleAt) {
			devices++
		}
	}
	if a.rootMFA {
		devices++
		inUse++
	}
	policies := len(a.policies)
	keysPresent := b2i(len(a.rootKeys) > 0)
	summary := map[string]int{
		"Users": users, "UsersQuota": usersQuota,
		"Groups": groups, "GroupsQuota": groupsQuota,
		"MFADevices": devices, "MFADevicesInUse": inUse,
		"AccountMFAEnabled": b2i(a.rootMFA), "AccountAccessKeysPresent": keysPresent,
		"AccountSigningCertificatesPresent": b2i(len(a.ext.rootCerts) > 0), "AccountPasswordPresent": b2i(a.ext.rootPassword),
		"Policies": policies, "PoliciesQuota": 1500,
		"PolicySizeQuota": 6144, "PolicyVersionsInUse": 0, "PolicyVersionsInUseQuota": 10000,
		"VersionsPerPolicyQuota": 5, "GroupsPerUserQuota": groupsPerUserQuota,
		"AttachedPoliciesPerUserQuota": attachedPoliciesQuota, "AttachedPoliciesPerGroupQuota": attachedPoliciesQuota,
		"AttachedPoliciesPerRoleQuota": attachedPoliciesQuota, "AccessKeysPerUserQuota": accessKeysPerUser,
		"SigningCertificatesPerUserQuota": 2, "UserPolicySizeQuota": 2048, "GroupPolicySizeQuota": 5120,
		"RolePolicySizeQuota": 10240, "AssumeRolePolicySizeQuota": 2048,
		"Roles": len(a.roles), "RolesQuota": rolesQuota, "InstanceProfiles": 0, "InstanceProfilesQuota": 1000,
		"Providers": 0, "ServerCertificates": 0, "ServerCertificatesQuota": 20,
		"GlobalEndpointTokenVersion": 1,
	}
	names := make([]string, 0, len(summary))
	for k := range summary {
		names = append(names, k)
	}
	sort.Strings(names)
	c.out.open("SummaryMap")
	for _, k := range names {
		c.out.open("entry")
		c.out.text("key", k)
		c.out.integer("value", summary[k])
		c.out.close("entry")
	}
	c.out.close("SummaryMap")
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

const (
	usersQuota            = 5000
	groupsQuota           = 300
	groupsPerUserQuota    = 10
	attachedPoliciesQuota = 10
	accessKeysPerUser     = 2
	mfaDevicesPerUser     = 8
)

func (c *call) getAccountPasswordPolicy() error {
	p := c.acct.pwPolicy
	if p == nil {
		return noSuchEntity("The Password Policy with domain name %s cannot be found.", c.acct.id)
	}
	c.out.open("PasswordPolicy")
	c.out.boolean("AllowUsersToChangePassword", p.allowChange)
	c.out.boolean("ExpirePasswords", p.maxAge > 0)
	c.out.boolean("HardExpiry", p.hardExpiry)
	if p.maxAge > 0 {
		c.out.integer("MaxPasswordAge", p.maxAge)
	}
	c.out.integer("MinimumPasswordLength", p.minLength)
	if p.reuse > 0 {
		c.out.integer("PasswordReusePrevention", p.reuse)
	}
	c.out.boolean("RequireLowercaseCharacters", p.requireLower)
	c.out.boolean("RequireNumbers", p.requireNumbers)
	c.out.boolean("RequireSymbols", p.requireSymbols)
	c.out.boolean("RequireUppercaseCharacters", p.requireUpper)
	c.out.close("PasswordPolicy")
	return nil
}

// updateAccountPasswordPolicy replaces the whole policy: omitted fields take
// AWS's defaults (length 6, everything else off).
func (c *call) updateAccountPasswordPolicy() error {
	p := passwordPolicy{
		minLength: c.intParam("MinimumPasswordLength", 6),
		reuse:     c.intParam("PasswordReusePrevention", 0),
		maxAge:    c.intParam("MaxPasswordAge", 0),
	}
	for _, f := range []struct {
		name string
		dst  *bool
	}{
		{"RequireSymbols", &p.requireSymbols}, {"RequireNumbers", &p.requireNumbers},
		{"RequireUppercaseCharacters", &p.requireUpper}, {"RequireLowercaseCharacters", &p.requireLower},
		{"AllowUsersToChangePassword", &p.allowChange}, {"HardExpiry", &p.hardExpiry},
	} {
		*f.dst = c.boolParam(f.name)
	}
	c.acct.pwPolicy = &p
	return nil
}

func (c *call) deleteAccountPasswordPolicy() error {
	if c.acct.pwPolicy == nil {
		return noSuchEntity("The account policy with name PasswordPolicy cannot be found.")
	}
	c.acct.pwPolicy = nil
	return nil
}

var aliasPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9]|-[a-z0-9])*$`)
var twelveDigits = regexp.MustCompile(`^[0-9]{12}$`)

func (c *call) listAccountAliases() error {
	var aliases []string
	if c.acct.alias != "" {
		aliases = append(aliases, c.acct.alias)
	}
	page, truncated, next, err := pageOf(c, aliases, func(s string) string { return s })
	if err != nil {
		return err
	}
	c.out.open("AccountAliases")
	for _, a := range page {
		c.out.text("member", a)
	}
	c.out.close("AccountAliases")
	c.out.page(truncated, next)
	return nil
}

func (c *call) createAccountAlias() error {
	alias, err := c.required("AccountAlias")
	if err != nil {
		return err
	}
	// The model's pattern has a lookahead Go cannot compile: this is its
	// hand-written equivalent (handCheckedPatterns).
	if !aliasPattern.MatchString(alias) {
		return validationError("1 validation error detected: Value '%s' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", alias)
	}
	if twelveDigits.MatchString(alias) {
		return invalidInput("The account alias %s is not valid: it may not be a 12-digit number.", alias)
	}
	if c.acct.alias == alias {
		return nil
	}
	// Aliases are unique within a partition: aws-cn has its own namespace.
	for _, other := range c.s.accounts {
		if other.alias == alias && other.partition == c.acct.partition {
			return errf("EntityAlreadyExists", "The account alias %s already exists.", alias)
		}
	}
	// An account has at most one alias: a new one replaces it, and the old
	// sign-in URL stops working.
	c.acct.alias = alias
	return nil
}

func (c *call) deleteAccountAlias() error {
	alias, err := c.required("AccountAlias")
	if err != nil {
		return err
	}
	if c.acct.alias != alias {
		return noSuchEntity("The account alias %s cannot be found.", alias)
	}
	c.acct.alias = ""
	return nil
}
