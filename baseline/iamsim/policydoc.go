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
	allow       bool
	actions     []string
	notAction   bool
	resources   []string
	notResource bool
	conditions  []condition
	// vars says policy variables are substituted: only in version
	// 2012-10-17 documents; in older ones ${...} is literal text.
	vars bool
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
	version, err := documentVersion(top)
	if err != nil {
		return nil, err
	}
	list, err := documentStatements(top)
	if err != nil {
		return nil, err
	}
	var out []statement
	for _, s := range list {
		st, err := parseStatement(s, trust)
		if err != nil {
			return nil, err
		}
		st.vars = version == "2012-10-17"
		out = append(out, st)
	}
	return out, nil
}

// documentVersion reads Version; a document without one is parsed as the
// 2008 language, which has no policy variables.
func documentVersion(top map[string]json.RawMessage) (string, error) {
	version := "2008-10-17"
	if v, ok := top["Version"]; ok {
		if json.Unmarshal(v, &version) != nil || (version != "2012-10-17" && version != "2008-10-17") {
			return "", malformed("The policy failed legacy parsing")
		}
	}
	return version, nil
}

// documentStatements checks the top-level keys and reads Statement, which
// IAM accepts as one statement or a non-empty list.
func documentStatements(top map[string]json.RawMessage) ([]map[string]json.RawMessage, error) {
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
	return list, nil
}

func parseStatement(s map[string]json.RawMessage, trust bool) (statement, error) {
	var st statement
	var err error
	if _, ok := s["NotPrincipal"]; ok {
		return st, malformed("Policy document should not specify a principal.")
	}
	if err = st.parsePrincipal(s, trust); err != nil {
		return st, err
	}
	var effect string
	if json.Unmarshal(s["Effect"], &effect) != nil || (effect != "Allow" && effect != "Deny") {
		return st, malformed("Syntax errors in policy.")
	}
	st.allow = effect == "Allow"
	if st.actions, st.notAction, err = parseActions(s); err != nil {
		return st, err
	}
	if trust {
		return st, st.finishTrust(s)
	}
	if st.resources, st.notResource, err = parseResources(s); err != nil {
		return st, err
	}
	for k := range s {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource":
		case "Condition":
			if st.conditions, err = parseConditions(s[k]); err != nil {
				return st, err
			}
		default:
			return st, malformed("Syntax errors in policy.")
		}
	}
	return st, nil
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

// finishTrust reads a trust statement's conditions (evaluated against the
// caller when it assumes the role) and refuses resources and unknown fields.
func (st *statement) finishTrust(s map[string]json.RawMessage) error {
	if c, ok := s["Condition"]; ok {
		var err error
		if st.conditions, err = parseConditions(c); err != nil {
			return err
		}
	}
	return checkTrustKeys(s)
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

// oneOf reads exactly one of the two elements, reporting whether it was
// the negated one.
func oneOf(s map[string]json.RawMessage, name, notName string) ([]string, bool, bool) {
	raw, has := s[name]
	notRaw, hasNot := s[notName]
	if has == hasNot {
		return nil, false, false
	}
	if hasNot {
		raw = notRaw
	}
	list, ok := stringList(raw)
	return list, hasNot, ok
}

func parseActions(s map[string]json.RawMessage) ([]string, bool, error) {
	actions, not, ok := oneOf(s, "Action", "NotAction")
	if !ok {
		return nil, false, malformed("Syntax errors in policy.")
	}
	for _, a := range actions {
		if a != "*" && !actionPattern.MatchString(a) {
			return nil, false, malformed("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
		}
	}
	return actions, not, nil
}

func parseResources(s map[string]json.RawMessage) ([]string, bool, error) {
	_, has := s["Resource"]
	_, hasNot := s["NotResource"]
	if !has && !hasNot {
		return nil, false, malformed("Policy statement must contain resources.")
	}
	resources, not, ok := oneOf(s, "Resource", "NotResource")
	if !ok {
		return nil, false, malformed("Syntax errors in policy.")
	}
	for _, r := range resources {
		if r != "*" && !strings.HasPrefix(r, "arn:") {
			return nil, false, malformed("Resource %s must be in ARN format or \"*\".", r)
		}
	}
	return resources, not, nil
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
