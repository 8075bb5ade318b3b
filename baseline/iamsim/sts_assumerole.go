package iamsim

import (
	"crypto/hmac"
	"regexp"
	"strconv"
	"time"
)

// AssumeRole exists so that a shared config profile with role_arn and
// mfa_serial can be exercised end to end: the SDK's assume-role provider
// sends SerialNumber and TokenCode, and the temporary credentials it gets
// back must work for the IAM calls that follow.
//
// Roles themselves are not modelled: any role name in a simulated account can
// be assumed, and the session's credentials sign as that account's root user
// (permissions of the role are not evaluated). What is strict is the request
// shape and the MFA check: SerialNumber and TokenCode come together, the code
// is six digits, and when SerialNumber names a virtual MFA device assigned to
// the calling IAM user the code must be that device's current TOTP code.

var (
	roleARNPattern     = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$`)
	sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

const (
	defaultSessionSeconds = 3600
	minSessionSeconds     = 900
	maxSessionSeconds     = 43200
	// assumeRoleSkew is how many 30-second steps a token code may be away
	// from the simulator's clock.
	assumeRoleSkew = 1
)

func (c *call) assumeRole() error {
	roleARN, err := c.required("RoleArn")
	if err != nil {
		return err
	}
	if len(roleARN) < 20 || len(roleARN) > 2048 {
		return lengthError("RoleArn", roleARN, 20, 2048)
	}
	session, err := c.required("RoleSessionName")
	if err != nil {
		return err
	}
	if !sessionNamePattern.MatchString(session) {
		return validationError("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", session)
	}
	seconds := defaultSessionSeconds
	if c.has("DurationSeconds") {
		seconds, err = strconv.Atoi(c.str("DurationSeconds"))
		if err != nil || seconds < minSessionSeconds || seconds > maxSessionSeconds {
			return validationError("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between %d and %d", c.str("DurationSeconds"), minSessionSeconds, maxSessionSeconds)
		}
	}
	if err := c.checkAssumeRoleMFA(); err != nil {
		return err
	}

	denied := errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.caller.arn(), roleARN)
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return denied
	}
	target := c.s.accounts[m[2]]
	if target == nil || target.partition != m[1] {
		return denied
	}
	if err := c.memberRoleGate(target, m[3], denied); err != nil {
		return err
	}

	keyID := newID("ASIA", 16)
	c.s.keys[keyID] = &keyBinding{acct: target}
	c.out.open("AssumedRoleUser")
	c.out.text("Arn", "arn:"+target.partition+":sts::"+target.id+":assumed-role/"+m[3]+"/"+session)
	c.out.text("AssumedRoleId", newID("AROA", 17)+":"+session)
	c.out.close("AssumedRoleUser")
	c.out.open("Credentials")
	c.out.text("AccessKeyId", keyID)
	c.out.time("Expiration", c.now.Add(time.Duration(seconds)*time.Second))
	c.out.text("SecretAccessKey", newSecret())
	c.out.text("SessionToken", newSecret()+newSecret())
	c.out.close("Credentials")
	c.out.integer("PackedPolicySize", 0)
	return nil
}

// checkAssumeRoleMFA checks SerialNumber and TokenCode.
func (c *call) checkAssumeRoleMFA() error {
	hasSerial, hasCode := c.has("SerialNumber"), c.has("TokenCode")
	if !hasSerial && !hasCode {
		return nil
	}
	failed := errf("AccessDenied", "MultiFactorAuthentication failed with invalid MFA one time pass code.")
	if !hasSerial || !hasCode {
		return failed
	}
	_, d, err := c.serialParam()
	if err != nil {
		return err
	}
	code := c.str("TokenCode")
	if len(code) != 6 || !codePattern.MatchString(code) {
		return validationError("1 validation error detected: Value at 'tokenCode' failed to satisfy constraint: Member must have length 6 and satisfy regular expression pattern: [\\d]*")
	}
	if d == nil || d.user == nil {
		// A device the simulator does not hold (a hardware token, another
		// account's device): only the shape is checked.
		return nil
	}
	if d.user != c.caller.user {
		return failed
	}
	key, err := decodeSeed(d.seed)
	if err != nil {
		return failed
	}
	cur := timeStep(c.now)
	for step := cur - assumeRoleSkew; step <= cur+assumeRoleSkew; step++ {
		if step >= 0 && hmac.Equal([]byte(hotp(key, uint64(step), 6)), []byte(code)) {
			return nil
		}
	}
	return failed
}
