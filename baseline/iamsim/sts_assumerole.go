package iamsim

import (
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
// the calling IAM user the code must be that device's current TOTP code; such
// a verified code gives the role session MFA context. An IAM user needs
// sts:AssumeRole in an identity policy (authorize), as for a role in another
// account.

var (
	roleARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$`)
	sessionPattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)
)

const (
	defaultSessionSeconds = 3600
	minSessionSeconds     = 900
	maxSessionSeconds     = 43200
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
	if !sessionPattern.MatchString(session) {
		return validationError("1 validation error detected: Value '%s' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*", session)
	}
	seconds := defaultSessionSeconds
	if c.has("DurationSeconds") {
		seconds, err = strconv.Atoi(c.str("DurationSeconds"))
		if err != nil || seconds < minSessionSeconds || seconds > maxSessionSeconds {
			return validationError("1 validation error detected: Value '%s' at 'durationSeconds' failed to satisfy constraint: Member must have value between %d and %d", c.str("DurationSeconds"), minSessionSeconds, maxSessionSeconds)
		}
	}
	mfa, err := c.verifyTokenCode(false)
	if err != nil {
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

	expires := c.now.Add(time.Duration(seconds) * time.Second)
	keyID := c.s.issueSession(target, nil, &authSession{kind: roleSession, mfa: mfa, authTime: c.now, issued: c.now, expires: expires})
	c.out.open("AssumedRoleUser")
	c.out.text("Arn", "arn:"+target.partition+":sts::"+target.id+":assumed-role/"+m[3]+"/"+session)
	c.out.text("AssumedRoleId", newID("AROA", 17)+":"+session)
	c.out.close("AssumedRoleUser")
	c.writeCredentials(keyID, expires)
	c.out.integer("PackedPolicySize", 0)
	return nil
}
