package iamsim

import (
	"crypto/hmac"
	"regexp"
	"time"
)

// AssumeRole as AWS does it: root cannot call it, the role must exist and
// its trust policy must name the caller (and, when it names the caller's
// account or the role is in another account, the caller's identity policies
// must allow sts:AssumeRole on it). The session signs as
// arn:aws:sts::<account>:assumed-role/<role>/<session> with the role's
// permissions. SerialNumber and TokenCode come together, the code is six
// digits, and when SerialNumber names a virtual MFA device assigned to the
// calling IAM user the code must be that device's current TOTP code.

var roleARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$`)

const (
	defaultSessionSeconds = 3600
	// assumeRoleSkew is how many 30-second steps a token code may be away
	// from the simulator's clock.
	assumeRoleSkew = 1
)

// assumeRoleParams reads RoleArn, RoleSessionName and DurationSeconds.
func (c *call) assumeRoleParams() (roleARN, session string, seconds int, err error) {
	if roleARN, err = c.required("RoleArn"); err != nil {
		return "", "", 0, err
	}
	if session, err = c.required("RoleSessionName"); err != nil {
		return "", "", 0, err
	}
	return roleARN, session, c.intParam("DurationSeconds", defaultSessionSeconds), nil
}

func (c *call) assumeRole() error {
	roleARN, session, seconds, err := c.assumeRoleParams()
	if err != nil {
		return err
	}
	if c.caller.isRoot() {
		return errf("AccessDenied", "Roles may not be assumed by root accounts.")
	}
	withMFA, err := c.checkAssumeRoleMFA()
	if err != nil {
		return err
	}
	target, r := c.roleByARN(roleARN)
	if r == nil || !c.trusts(target, r, roleARN) {
		return errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.caller.arn(), roleARN)
	}
	if c.caller.session != nil && seconds > defaultSessionSeconds {
		return validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if seconds > r.maxSession {
		return validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	keyID := newID("ASIA", 16)
	sess := &roleSession{role: r, name: session, id: r.id + ":" + session, expires: c.now.Add(time.Duration(seconds) * time.Second), mfa: withMFA}
	c.s.keys[keyID] = &keyBinding{acct: target, session: sess}
	c.out.open("AssumedRoleUser")
	c.out.text("Arn", sess.arn(target))
	c.out.text("AssumedRoleId", sess.id)
	c.out.close("AssumedRoleUser")
	c.out.open("Credentials")
	c.out.text("AccessKeyId", keyID)
	c.out.time("Expiration", sess.expires)
	c.out.text("SecretAccessKey", newSecret())
	c.out.text("SessionToken", newSecret()+newSecret())
	c.out.close("Credentials")
	c.out.integer("PackedPolicySize", 0)
	return nil
}

// roleByARN finds the role an ARN names, in any simulated account of the
// ARN's partition; the path must match too.
func (c *call) roleByARN(roleARN string) (*account, *role) {
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return nil, nil
	}
	target := c.s.accounts[m[2]]
	if target == nil || target.partition != m[1] {
		return nil, nil
	}
	r := target.roles[key(m[3])]
	if r == nil || !c.visible(r.visibleAt) || target.roleARN(r) != roleARN {
		return nil, nil
	}
	return target, r
}

// trusts evaluates the role's trust policy for the caller; statements with
// conditions are not evaluated and never apply.
func (c *call) trusts(target *account, r *role, roleARN string) bool {
	stmts, err := parseTrustPolicy(r.trust)
	if err != nil {
		return false
	}
	allowed, needIdentity := false, target != c.acct
	for _, st := range stmts {
		if st.hasCondition || !st.actionMatches("sts:AssumeRole") {
			continue
		}
		direct, viaAccount := c.caller.inTrustStatement(st)
		if !direct && !viaAccount {
			continue
		}
		if !st.allow {
			return false
		}
		allowed = true
		needIdentity = needIdentity || !direct
	}
	if !allowed {
		return false
	}
	return !needIdentity || c.allowed(c.caller, "sts:AssumeRole", roleARN) == nil
}

// checkAssumeRoleMFA checks SerialNumber and TokenCode and says whether the
// call carried them.
func (c *call) checkAssumeRoleMFA() (bool, error) {
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
	code := c.str("TokenCode")
	if d == nil || d.user == nil {
		// A device the simulator does not hold (a hardware token, another
		// account's device): only the shape is checked.
		return true, nil
	}
	if d.user != c.caller.user || !d.acceptsCode(code, c.now) {
		return false, failed
	}
	return true, nil
}

// acceptsCode checks one code of an enabled device against the clock. A
// device that went out of sync (enabled with late codes) accepts none until
// ResyncMFADevice.
func (d *mfaDevice) acceptsCode(code string, now time.Time) bool {
	if d.outOfSync {
		return false
	}
	key, err := decodeSeed(d.seed)
	if err != nil {
		return false
	}
	cur := timeStep(now)
	for step := cur - assumeRoleSkew; step <= cur+assumeRoleSkew; step++ {
		if step >= 0 && hmac.Equal([]byte(hotp(key, uint64(step), 6)), []byte(code)) {
			return true
		}
	}
	return false
}
