package iamsim

import (
	"regexp"
	"time"
)

// AssumeRole as AWS does it: root cannot call it, the role must exist and
// its trust policy must name the caller, its conditions holding for the
// caller (and, when it names the caller's account or the role is in another
// account, the caller's identity policies must allow sts:AssumeRole on it).
// The session signs as arn:aws:sts::<account>:assumed-role/<role>/<session>
// with the role's permissions. SerialNumber and TokenCode come together, and
// when SerialNumber names a virtual MFA device assigned to the calling IAM
// user the code must be that device's current TOTP code; such a verified
// code gives the role session MFA context.

var roleARNPattern = regexp.MustCompile(`^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role/(?:[\x21-\x7E]*/)?([\w+=,.@-]{1,64})$`)

const defaultSessionSeconds = 3600

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
	mfa, err := c.verifyTokenCode(false)
	if err != nil {
		return err
	}
	target, r, denied := c.mayAssume(roleARN, mfa)
	if denied != nil {
		return denied
	}
	if c.caller.role != nil && seconds > defaultSessionSeconds {
		return validationError("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	if seconds > r.maxSession {
		return validationError("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
	}

	auth := &authSession{kind: assumedRole, mfa: mfa, authTime: c.now, issued: c.now, expires: c.now.Add(time.Duration(seconds) * time.Second)}
	sess := &roleSession{role: r, name: session, id: r.id + ":" + session}
	keyID := c.s.issueSession(target, nil, auth)
	c.s.keys[keyID].role = sess
	c.out.open("AssumedRoleUser")
	c.out.text("Arn", sess.arn(target))
	c.out.text("AssumedRoleId", sess.id)
	c.out.close("AssumedRoleUser")
	c.writeCredentials(keyID, auth.expires)
	c.out.integer("PackedPolicySize", 0)
	return nil
}

// roleByARN finds the role an ARN names, in any simulated account of the
// ARN's partition that is not suspended; the path must match too.
func (c *call) roleByARN(roleARN string) (*account, *role) {
	m := roleARNPattern.FindStringSubmatch(roleARN)
	if m == nil {
		return nil, nil
	}
	target := c.s.accounts[m[2]]
	if target == nil || target.partition != m[1] || target.suspended() {
		return nil, nil
	}
	r := target.roles[key(m[3])]
	if r == nil || !c.visible(r.visibleAt) || target.roleARN(r) != roleARN {
		return nil, nil
	}
	return target, r
}

// mayAssume is AWS's decision: the role exists and its trust policy names
// the caller, with its conditions holding (aws:MultiFactorAuthPresent in a
// trust policy is how a role requires MFA; a code verified by this very
// call is MFA for them). A trust that names the caller only through its
// account, or a role in another account, also needs the caller's identity
// policies to allow sts:AssumeRole: their explicit deny is said as such.
func (c *call) mayAssume(roleARN string, mfa bool) (*account, *role, *apiError) {
	denied := errf("AccessDenied", "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.caller.arn(), roleARN)
	target, r := c.roleByARN(roleARN)
	if r == nil {
		return nil, nil, denied
	}
	allowed, viaAccountOnly := c.trusts(r, roleARN, mfa)
	if !allowed {
		return nil, nil, denied
	}
	if !viaAccountOnly && target == c.acct {
		return target, r, nil
	}
	switch d := c.decide("sts:AssumeRole", roleARN); d {
	case explicitDeny:
		return nil, nil, c.denial("sts:AssumeRole", roleARN, d)
	case implicitDeny:
		return nil, nil, denied
	}
	return target, r, nil
}

// trusts evaluates the role's trust policy for the caller: whether it
// allows, and whether only through the caller's account.
func (c *call) trusts(r *role, roleARN string, mfa bool) (allowed, viaAccountOnly bool) {
	stmts, err := parseTrustPolicy(r.trust)
	if err != nil {
		return false, false
	}
	rc := c.requestContext("sts:AssumeRole", roleARN)
	if mfa {
		rc.keys["aws:multifactorauthpresent"] = []string{"true"}
		rc.keys["aws:multifactorauthage"] = []string{"0"}
	}
	for _, st := range stmts {
		if !st.actionMatches("sts:AssumeRole") || !st.conditionsHold(rc) {
			continue
		}
		direct, viaAccount := c.caller.inTrustStatement(st)
		if !direct && !viaAccount {
			continue
		}
		if !st.allow {
			return false, false
		}
		allowed = true
		viaAccountOnly = viaAccountOnly || !direct
	}
	return allowed, viaAccountOnly
}
