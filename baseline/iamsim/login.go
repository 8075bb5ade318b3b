package iamsim

import (
	"strings"
	"unicode/utf8"
)

// policySymbols are the characters IAM's password policy counts as symbols.
const policySymbols = "!@#$%^&*()_+-=[]{}|'"

// checkPassword applies the account's password policy, or AWS's default
// policy when none is set: 8 to 128 characters with at least three of
// uppercase, lowercase, digits and symbols.
func (a *account) checkPassword(pw string) error {
	c := classifyPassword(pw)
	p := a.pwPolicy
	if p == nil {
		if utf8.RuneCountInString(pw) < 8 || c.count() < 3 {
			return errf("PasswordPolicyViolation", "Password does not conform to the account password policy: it must have at least 8 characters and at least three of uppercase letters, lowercase letters, numbers and symbols (%s).", policySymbols)
		}
		return nil
	}
	if problems := p.violations(pw, c); len(problems) > 0 {
		return errf("PasswordPolicyViolation", "%s", strings.Join(problems, "; "))
	}
	return nil
}

// charClasses records which of the policy's character classes a password
// uses.
type charClasses struct{ upper, lower, digit, symbol bool }

func classifyPassword(pw string) charClasses {
	var c charClasses
	for _, r := range pw {
		switch {
		case r >= 'A' && r <= 'Z':
			c.upper = true
		case r >= 'a' && r <= 'z':
			c.lower = true
		case r >= '0' && r <= '9':
			c.digit = true
		case strings.ContainsRune(policySymbols, r):
			c.symbol = true
		}
	}
	return c
}

func (c charClasses) count() int { return b2i(c.upper) + b2i(c.lower) + b2i(c.digit) + b2i(c.symbol) }

// violations lists every rule of the policy the password breaks, as IAM
// names them all in one message.
func (p *passwordPolicy) violations(pw string, c charClasses) []string {
	var problems []string
	if utf8.RuneCountInString(pw) < p.minLength {
		problems = append(problems, "Password should have a minimum length of "+itoa(p.minLength))
	}
	rules := []struct {
		required, present bool
		words             string
	}{
		{p.requireUpper, c.upper, "at least one uppercase letter"},
		{p.requireLower, c.lower, "at least one lowercase letter"},
		{p.requireNumbers, c.digit, "at least one number"},
		{p.requireSymbols, c.symbol, "at least one symbol"},
	}
	for _, r := range rules {
		if r.required && !r.present {
			problems = append(problems, "Password should have "+r.words)
		}
	}
	return problems
}

// passwordParam reads Password (its shape was checked against the model)
// and applies the password policy.
func (c *call) passwordParam(name string) (string, error) {
	pw, err := c.required(name)
	if err != nil {
		return "", err
	}
	return pw, c.acct.checkPassword(pw)
}

func (c *call) loginUser() (*user, error) {
	if !c.has("UserName") && c.caller.isRoot() {
		return nil, validationError("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null")
	}
	if c.action == "GetLoginProfile" {
		return c.userParam(true)
	}
	return c.modifiableUser(true)
}

func (c *call) writeLoginProfile(u *user) {
	c.out.open("LoginProfile")
	c.out.time("CreateDate", u.login.created)
	c.out.boolean("PasswordResetRequired", u.login.resetRequired)
	c.out.text("UserName", u.name)
	c.out.close("LoginProfile")
}

func (c *call) createLoginProfile() error {
	u, err := c.loginUser()
	if err != nil {
		return err
	}
	if u.login != nil {
		return errf("EntityAlreadyExists", "Login Profile for user %s already exists.", u.name)
	}
	pw, err := c.passwordParam("Password")
	if err != nil {
		return err
	}
	reset := c.boolParam("PasswordResetRequired")
	u.login = &loginProfile{created: c.now, changed: c.now, resetRequired: reset, visibleAt: c.visibleAt(), passwordHash: hashPassword(pw)}
	c.writeLoginProfile(u)
	return nil
}

func (c *call) lookupLogin(u *user) error {
	if u.login == nil || !c.visible(u.login.visibleAt) {
		return noSuchEntity("Login Profile for User %s cannot be found.", u.name)
	}
	return nil
}

func (c *call) getLoginProfile() error {
	u, err := c.loginUser()
	if err != nil {
		return err
	}
	if err := c.lookupLogin(u); err != nil {
		return err
	}
	c.writeLoginProfile(u)
	return nil
}

func (c *call) updateLoginProfile() error {
	u, err := c.loginUser()
	if err != nil {
		return err
	}
	if err := c.lookupLogin(u); err != nil {
		return err
	}
	var pw string
	if c.has("Password") {
		if pw, err = c.passwordParam("Password"); err != nil {
			return err
		}
	}
	reset := c.boolParam("PasswordResetRequired")
	if c.has("PasswordResetRequired") {
		u.login.resetRequired = reset
	}
	if c.has("Password") {
		u.login.changed = c.now
		u.login.passwordHash = hashPassword(pw)
	}
	return nil
}

func (c *call) deleteLoginProfile() error {
	u, err := c.loginUser()
	if err != nil {
		return err
	}
	if err := c.lookupLogin(u); err != nil {
		return err
	}
	u.login = nil
	return nil
}
