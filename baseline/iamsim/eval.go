package iamsim

import (
	"regexp"
	"strings"
)

// requestContext is what a policy is evaluated against: the action, the
// resource and the condition keys (lower-case names; an absent key is not
// in the map, which is different from a key whose value is "false").
type requestContext struct {
	action   string // "iam:CreateUser"
	resource string
	keys     map[string][]string
}

// decision is the outcome of evaluating identity policies.
type decision int

const (
	implicitDeny decision = iota
	allow
	explicitDeny
)

// evaluate applies IAM's rule for identity policies within one account: an
// explicit Deny in any statement wins, then any Allow, else implicit deny.
func evaluate(statements []statement, rc *requestContext) decision {
	d := implicitDeny
	for _, st := range statements {
		if !st.applies(rc) {
			continue
		}
		if !st.allow {
			return explicitDeny
		}
		d = allow
	}
	return d
}

func (st statement) applies(rc *requestContext) bool {
	if st.matchesAction(rc.action) == st.notAction {
		return false
	}
	if st.matchesResource(rc) == st.notResource {
		return false
	}
	return st.conditionsHold(rc)
}

// matchesAction: action names are case-insensitive.
func (st statement) matchesAction(action string) bool {
	for _, a := range st.actions {
		if wildcardMatch(strings.ToLower(a), strings.ToLower(action)) {
			return true
		}
	}
	return false
}

// matchesResource: an entry whose policy variable has no value in the
// request matches nothing (and so counts as not matching for NotResource).
func (st statement) matchesResource(rc *requestContext) bool {
	for _, r := range st.resources {
		if st.vars {
			var ok bool
			if r, ok = rc.substitute(r); !ok {
				continue
			}
		}
		if wildcardMatch(r, rc.resource) {
			return true
		}
	}
	return false
}

// policyVariable is ${key} or ${key, 'default'}.
var policyVariable = regexp.MustCompile(`\$\{([^}]*)\}`)

// substitute replaces policy variables with the request's values. It
// reports false when a variable has neither a value nor a default.
func (rc *requestContext) substitute(s string) (string, bool) {
	ok := true
	out := policyVariable.ReplaceAllStringFunc(s, func(m string) string {
		inner := m[2 : len(m)-1]
		switch inner {
		case "*", "?", "$":
			return inner
		}
		name, def, hasDefault := strings.Cut(inner, ",")
		name = strings.ToLower(strings.TrimSpace(name))
		if v := rc.keys[name]; len(v) == 1 {
			return v[0]
		}
		def = strings.TrimSpace(def)
		if hasDefault && len(def) >= 2 && def[0] == '\'' && def[len(def)-1] == '\'' {
			return def[1 : len(def)-1]
		}
		ok = false
		return ""
	})
	return out, ok
}

// substituteAll substitutes every value, dropping those that cannot be.
func (rc *requestContext) substituteAll(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if s, ok := rc.substitute(v); ok {
			out = append(out, s)
		}
	}
	return out
}
