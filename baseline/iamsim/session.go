package iamsim

import (
	"crypto/hmac"
	"time"
)

// authSession is what temporary credentials carry besides the principal: how
// its holder authenticated. Long-term access keys have no session, so their
// requests never carry aws:MultiFactorAuthPresent (the reason MFA-enforcing
// policies need BoolIfExists).
type authSession struct {
	kind sessionKind
	// mfa says a TOTP code was verified when the session was issued;
	// authTime is when, for aws:MultiFactorAuthAge.
	mfa      bool
	authTime time.Time
	issued   time.Time
	expires  time.Time
	// resetPending: a console sign-in whose password must be changed
	// before anything else.
	resetPending bool
	// task is the root-task policy that scopes an AssumeRoot session.
	task []statement
}

type sessionKind int

const (
	sessionToken sessionKind = iota + 1 // sts:GetSessionToken
	consoleSignIn
	assumedRole // sts:AssumeRole
	rootTask    // sts:AssumeRoot
)

const (
	// tokenSkew is how many 30-second steps a sign-in or session token
	// code may be away from the simulator's clock.
	tokenSkew          = 1
	defaultTokenSecs   = 43200
	maxRootTokenSecs   = 3600
	consoleSessionSecs = 43200
)

// issueSession binds a new temporary access key to the session.
func (s *Sim) issueSession(a *account, u *user, sess *authSession) string {
	keyID := newID("ASIA", 16)
	s.keys[keyID] = &keyBinding{acct: a, sessionUser: u, session: sess}
	return keyID
}

func (c *call) writeCredentials(keyID string, expires time.Time) {
	c.out.open("Credentials")
	c.out.text("AccessKeyId", keyID)
	c.out.time("Expiration", expires)
	c.out.text("SecretAccessKey", newSecret())
	c.out.text("SessionToken", newSecret()+newSecret())
	c.out.close("Credentials")
}

// acceptsCode accepts a code of the device for a step within tokenSkew of
// now and later than the last accepted one: a code is never accepted twice.
// A device that went out of sync (enabled with late codes) accepts none
// until ResyncMFADevice.
func (d *mfaDevice) acceptsCode(code string, now time.Time) bool {
	if d.outOfSync {
		return false
	}
	key, err := decodeSeed(d.seed)
	if err != nil {
		return false
	}
	cur := timeStep(now)
	for step := cur - tokenSkew; step <= cur+tokenSkew; step++ {
		if step > d.lastStep && step >= 0 && hmac.Equal([]byte(hotp(key, uint64(step), 6)), []byte(code)) {
			d.lastStep = step
			return true
		}
	}
	return false
}

// verifyTokenCode checks SerialNumber and TokenCode of GetSessionToken and
// AssumeRole. It reports whether MFA was verified. A device the simulator
// does not hold (a hardware token, another account's device) passes on its
// shape alone when heldOnly is false, but never counts as MFA: the simulator
// cannot vouch for a code it could not check.
func (c *call) verifyTokenCode(heldOnly bool) (bool, error) {
	hasSerial, hasCode := c.has("SerialNumber"), c.has("TokenCode")
	if !hasSerial && !hasCode {
		return false, nil
	}
	failed := errf("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	if !hasSerial || !hasCode {
		return false, failed
	}
	_, d, err := c.serialParam()
	if err != nil {
		return false, err
	}
	// The code's shape (six digits) is the model's rule (validateInput).
	code := c.str("TokenCode")
	if d == nil || d.user == nil {
		if heldOnly {
			return false, errf("AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code.")
		}
		return false, nil
	}
	if d.user != c.caller.user || !d.acceptsCode(code, c.now) {
		return false, failed
	}
	return true, nil
}

// getSessionToken issues temporary credentials for an IAM user or root,
// with MFA context when SerialNumber and TokenCode verify. No policy can
// deny it (AWS: "you cannot use policies to control authentication
// operations"), so it is not authorized.
func (c *call) getSessionToken() error {
	if c.caller.session != nil {
		return errf("AccessDenied", "Cannot call GetSessionToken with session credentials")
	}
	// The model bounds DurationSeconds (900 to 129600).
	seconds := c.intParam("DurationSeconds", defaultTokenSecs)
	if c.caller.user == nil && seconds > maxRootTokenSecs {
		// Root's sessions are cut to an hour rather than refused.
		seconds = maxRootTokenSecs
	}
	mfa, err := c.verifyTokenCode(true)
	if err != nil {
		return err
	}
	expires := c.now.Add(time.Duration(seconds) * time.Second)
	sess := &authSession{kind: sessionToken, mfa: mfa, authTime: c.now, issued: c.now, expires: expires}
	c.writeCredentials(c.s.issueSession(c.acct, c.caller.user, sess), expires)
	return nil
}

// sessionAllows applies what a session's kind allows before any policy:
// GetSessionToken credentials without MFA cannot call IAM, and no session
// token calls STS other than AssumeRole and GetCallerIdentity; a console
// sign-in with a pending reset may only change the password.
func (c *call) sessionAllows(service string) *apiError {
	sess := c.caller.session
	if sess == nil {
		return nil
	}
	switch {
	case sess.resetPending && c.action != "ChangePassword" && c.action != "GetAccountPasswordPolicy" && c.action != "GetCallerIdentity":
		return errf("AccessDenied", "User: %s must change the password before making other requests", c.caller.arn())
	case sess.kind == sessionToken && service == "iam" && !sess.mfa:
		return errf("InvalidClientTokenId", "The security token included in the request is invalid.")
	case sess.kind == sessionToken && service == "sts" && c.action != "AssumeRole" && c.action != "GetCallerIdentity" && c.action != "GetSessionToken":
		return errf("AccessDenied", "User: %s is not authorized to perform: sts:%s with session credentials", c.caller.arn(), c.action)
	}
	return nil
}

// changePassword is an IAM user changing their own console password, the
// forced reset of a first sign-in included.
func (c *call) changePassword() error {
	u := c.caller.user
	if u == nil {
		return errf("InvalidUserType", "Only IAM users can change their own password.")
	}
	old, err := c.required("OldPassword")
	if err != nil {
		return err
	}
	if err := c.lookupLogin(u); err != nil {
		return err
	}
	if !u.login.matches(old) {
		return errf("AccessDenied", "The old password is incorrect.")
	}
	pw, err := c.passwordParam("NewPassword")
	if err != nil {
		return err
	}
	if p := c.acct.pwPolicy; p != nil && p.reuse > 0 && u.login.matches(pw) {
		return errf("PasswordPolicyViolation", "Password should not be one of your previous %d passwords", p.reuse)
	}
	u.login.passwordHash = hashPassword(pw)
	u.login.changed = c.now
	u.login.resetRequired = false
	if c.caller.session != nil {
		c.caller.session.resetPending = false
	}
	return nil
}
