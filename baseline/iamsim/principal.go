package iamsim

// principal is who signed a request: the account's root user, an IAM user,
// or a session of an assumed role. Everything that asks "who is calling"
// (authorization, GetCallerIdentity, the optional UserName of the user
// actions) goes through this type, so that other kinds of session (session
// tokens, console sign-in) are added here.
type principal struct {
	acct *account
	user *user        // an IAM user; nil otherwise
	role *roleSession // an assumed-role session; nil otherwise
	// session is how temporary credentials were obtained (their MFA
	// context, expiry); nil for long-term access keys.
	session *authSession
}

// roleSession is who an AssumeRole session is: temporary credentials that
// act with the role's permissions. Its expiry and MFA context are in the
// principal's authSession.
type roleSession struct {
	role *role
	name string
	id   string // AROA...:name, GetCallerIdentity's UserId
}

// hasMFA says the caller's temporary credentials carry MFA context.
func (p principal) hasMFA() bool { return p.session != nil && p.session.mfa }

// inRootSession says the caller is root in an AssumeRoot session.
func (p principal) inRootSession() bool { return p.session != nil && p.session.kind == rootTask }

func (p principal) isRoot() bool { return p.user == nil && p.role == nil }

func (p principal) arn() string {
	switch {
	case p.role != nil:
		return p.role.arn(p.acct)
	case p.user != nil:
		return p.acct.userARN(p.user)
	}
	return p.acct.rootARN()
}

// userID is GetCallerIdentity's UserId: the account ID for root.
func (p principal) userID() string {
	switch {
	case p.role != nil:
		return p.role.id
	case p.user != nil:
		return p.user.id
	}
	return p.acct.id
}

func (s *roleSession) arn(a *account) string {
	return "arn:" + a.partition + ":sts::" + a.id + ":assumed-role/" + s.role.name + "/" + s.name
}

// policyDocuments are the identity policies that grant the principal its
// permissions: a user's own and its groups', a session's role's.
func (c *call) policyDocuments(p principal) []string {
	var docs []string
	addManaged := func(arns []string) {
		for _, arn := range arns {
			if mp := c.lookupPolicy(arn); mp != nil {
				docs = append(docs, mp.document)
			}
		}
	}
	switch {
	case p.role != nil:
		for _, d := range p.role.role.inline {
			docs = append(docs, d)
		}
		addManaged(p.role.role.attached)
	case p.user != nil:
		for _, d := range p.user.inline {
			docs = append(docs, d)
		}
		addManaged(p.user.attached)
		for _, g := range p.user.groups {
			for _, d := range g.inline {
				docs = append(docs, d)
			}
			addManaged(g.attached)
		}
	}
	return docs
}

// errNonUserCredentials is AWS's answer when an action whose UserName
// defaults to the caller is called by a role session without one.
func errNonUserCredentials() error {
	return validationError("Must specify userName when calling with non-User credentials")
}

// inTrustStatement says whether a trust statement names the principal:
// directly (its user ARN, its role's ARN or "*"), or through its account
// ("123456789012" or the account's root ARN), which delegates the decision
// to the principal's own identity policies.
func (p principal) inTrustStatement(st statement) (direct, viaAccount bool) {
	if st.anyone {
		return true, false
	}
	for _, v := range st.awsPrincipals {
		switch {
		case v == "*":
			direct = true
		case v == p.acct.id || v == p.acct.rootARN():
			viaAccount = true
		case p.user != nil && v == p.acct.userARN(p.user):
			direct = true
		case p.role != nil && (v == p.acct.roleARN(p.role.role) || v == p.arn()):
			direct = true
		}
	}
	return direct, viaAccount
}
