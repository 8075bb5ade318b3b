package iamsim

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// statement is one parsed identity-policy statement.
type statement struct {
	allow        bool
	actions      []string
	notAction    bool
	resources    []string
	notResource  bool
	hasCondition bool
	// Trust policies only: who may assume the role.
	anyone        bool
	awsPrincipals []string
	services      []string
}

var actionPattern = regexp.MustCompile(`^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$`)

func malformed(format string, args ...any) error {
	return errf("MalformedPolicyDocument", format, args...)
}

// stringList reads a JSON string or array of strings.
func stringList(raw json.RawMessage) ([]string, bool) {
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil && len(many) > 0 {
		return many, true
	}
	return nil, false
}

// parsePolicy checks an identity policy document the way IAM does (the
// parts it can evaluate) and returns its statements.
func parsePolicy(doc string) ([]statement, error) { return parseDocument(doc, false) }

// parseTrustPolicy checks a role's trust policy: every statement names a
// principal and no resource.
func parseTrustPolicy(doc string) ([]statement, error) { return parseDocument(doc, true) }

func parseDocument(doc string, trust bool) ([]statement, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc), &top); err != nil {
		return nil, malformed("Syntax errors in policy.")
	}
	if v, ok := top["Version"]; ok {
		var version string
		if json.Unmarshal(v, &version) != nil || (version != "2012-10-17" && version != "2008-10-17") {
			return nil, malformed("The policy failed legacy parsing")
		}
	}
	for k := range top {
		if k != "Version" && k != "Statement" && k != "Id" {
			return nil, malformed("Syntax errors in policy.")
		}
	}
	rawStmts, ok := top["Statement"]
	if !ok {
		return nil, malformed("Syntax errors in policy.")
	}
	var list []map[string]json.RawMessage
	if json.Unmarshal(rawStmts, &list) != nil {
		var one map[string]json.RawMessage
		if json.Unmarshal(rawStmts, &one) != nil {
			return nil, malformed("Syntax errors in policy.")
		}
		list = []map[string]json.RawMessage{one}
	}
	if len(list) == 0 {
		return nil, malformed("Syntax errors in policy.")
	}
	var out []statement
	for _, s := range list {
		st, err := parseStatement(s, trust)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func parseStatement(s map[string]json.RawMessage, trust bool) (statement, error) {
	var st statement
	if _, ok := s["NotPrincipal"]; ok {
		return st, malformed("Policy document should not specify a principal.")
	}
	if err := st.parsePrincipal(s, trust); err != nil {
		return st, err
	}
	var effect string
	if json.Unmarshal(s["Effect"], &effect) != nil || (effect != "Allow" && effect != "Deny") {
		return st, malformed("Syntax errors in policy.")
	}
	st.allow = effect == "Allow"
	if err := st.parseActions(s); err != nil {
		return st, err
	}
	if trust {
		_, st.hasCondition = s["Condition"]
		return st, checkTrustKeys(s)
	}
	resource, hasResource := s["Resource"]
	notResource, hasNotResource := s["NotResource"]
	if !hasResource && !hasNotResource {
		return st, malformed("Policy statement must contain resources.")
	}
	if hasResource && hasNotResource {
		return st, malformed("Syntax errors in policy.")
	}
	if hasNotResource {
		resource, st.notResource = notResource, true
	}
	var ok bool
	if st.resources, ok = stringList(resource); !ok {
		return st, malformed("Syntax errors in policy.")
	}
	for _, r := range st.resources {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return st, malformed("Resource %s must be in ARN format or \"*\".", r)
		}
	}
	for k := range s {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource":
		case "Condition":
			st.hasCondition = true
		default:
			return st, malformed("Syntax errors in policy.")
		}
	}
	return st, nil
}

// parseActions reads Action or NotAction.
func (st *statement) parseActions(s map[string]json.RawMessage) error {
	action, hasAction := s["Action"]
	notAction, hasNotAction := s["NotAction"]
	if hasAction == hasNotAction {
		return malformed("Syntax errors in policy.")
	}
	if hasNotAction {
		action, st.notAction = notAction, true
	}
	var ok bool
	if st.actions, ok = stringList(action); !ok {
		return malformed("Syntax errors in policy.")
	}
	for _, a := range st.actions {
		if a != "*" && !actionPattern.MatchString(a) {
			return malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
		}
	}
	return nil
}

// parsePrincipal reads a trust statement's Principal: "*" or a map of
// "AWS", "Service" and "Federated" to a string or a list of strings.
func (st *statement) parsePrincipal(s map[string]json.RawMessage, trust bool) error {
	raw, ok := s["Principal"]
	if !trust {
		if ok {
			return malformed("Policy document should not specify a principal.")
		}
		return nil
	}
	if !ok {
		return malformed("Missing required field Principal")
	}
	var star string
	if json.Unmarshal(raw, &star) == nil {
		if star != "*" {
			return malformed("Invalid principal in policy: %s", star)
		}
		st.anyone = true
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil || len(m) == 0 {
		return malformed("Syntax errors in policy.")
	}
	for k, v := range m {
		list, ok := stringList(v)
		if !ok {
			return malformed("Syntax errors in policy.")
		}
		switch k {
		case "AWS":
			if err := checkAWSPrincipals(list); err != nil {
				return err
			}
			st.awsPrincipals = append(st.awsPrincipals, list...)
		case "Service":
			st.services = append(st.services, list...)
		case "Federated", "CanonicalUser":
		default:
			return malformed("Invalid principal in policy: \"%s\"", k)
		}
	}
	return nil
}

// checkAWSPrincipals: "*", an account ID or an ARN.
func checkAWSPrincipals(list []string) error {
	for _, p := range list {
		if p != "*" && !twelveDigits.MatchString(p) && !strings.HasPrefix(p, "arn:") {
			return malformed("Invalid principal in policy: \"AWS\":\"%s\"", p)
		}
	}
	return nil
}

// checkTrustKeys refuses a trust statement's resource and unknown fields.
func checkTrustKeys(s map[string]json.RawMessage) error {
	for k := range s {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Principal", "Condition":
		case "Resource", "NotResource":
			return malformed("Has prohibited field %s", k)
		default:
			return malformed("Syntax errors in policy.")
		}
	}
	return nil
}

// policySize is the size IAM counts against quotas: whitespace excluded.
func policySize(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// encodeDocument percent-encodes a document as IAM returns it (RFC 3986).
func encodeDocument(doc string) string {
	return strings.ReplaceAll(url.QueryEscape(doc), "+", "%20")
}

// wildcardMatch matches IAM's * and ? wildcards. It backtracks only to the
// last star, so it runs in time proportional to len(pattern)*len(s).
func wildcardMatch(pattern, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		// A '*' in the pattern is a wildcard even where s holds a '*' too.
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
