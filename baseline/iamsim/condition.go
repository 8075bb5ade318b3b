package iamsim

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// condition is one key of one operator of a statement's Condition element:
// {"ForAnyValue:StringLikeIfExists": {"aws:username": ["a*", "b*"]}}.
type condition struct {
	op       *operator
	ifExists bool
	set      string // "", "ForAnyValue" or "ForAllValues"
	key      string // lower case: condition keys are case-insensitive
	values   []string
}

// operator is a base condition operator. match compares one policy value
// with one request value; negated operators match when no value matches.
type operator struct {
	match   func(policy, request string) bool
	negated bool
	// vars says the operator's values may hold policy variables.
	vars bool
	// check rejects a policy value the operator can never use.
	check func(string) bool
}

func stringOp(match func(p, r string) bool, negated bool) *operator {
	return &operator{match: match, negated: negated, vars: true}
}

func numberOp(cmp func(p, r float64) bool, negated bool) *operator {
	return &operator{negated: negated, check: isNumber, match: func(p, r string) bool {
		pf, err1 := strconv.ParseFloat(p, 64)
		rf, err2 := strconv.ParseFloat(r, 64)
		return err1 == nil && err2 == nil && cmp(pf, rf)
	}}
}

func dateOp(cmp func(p, r time.Time) bool, negated bool) *operator {
	return &operator{negated: negated, check: func(v string) bool { _, ok := parseDate(v); return ok }, match: func(p, r string) bool {
		pt, ok1 := parseDate(p)
		rt, ok2 := parseDate(r)
		return ok1 && ok2 && cmp(pt, rt)
	}}
}

func isNumber(v string) bool { _, err := strconv.ParseFloat(v, 64); return err == nil }

// parseDate reads the ISO 8601 forms and the epoch seconds IAM accepts.
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// arnMatch compares the six colon-separated parts of an ARN one by one, so a
// wildcard never spans a colon (ArnEquals and ArnLike behave the same).
func arnMatch(p, r string) bool {
	pp, rp := strings.SplitN(p, ":", 6), strings.SplitN(r, ":", 6)
	if len(pp) != 6 || len(rp) != 6 {
		return false
	}
	for i := range pp {
		if !wildcardMatch(pp[i], rp[i]) {
			return false
		}
	}
	return true
}

func ipMatch(p, r string) bool {
	prefix, ok := parsePrefix(p)
	ip, err := netip.ParseAddr(r)
	return ok && err == nil && prefix.Contains(ip)
}

func parsePrefix(v string) (netip.Prefix, bool) {
	if !strings.Contains(v, "/") {
		a, err := netip.ParseAddr(v)
		if err != nil {
			return netip.Prefix{}, false
		}
		return netip.PrefixFrom(a, a.BitLen()), true
	}
	p, err := netip.ParsePrefix(v)
	return p, err == nil
}

func isBool(v string) bool { return strings.EqualFold(v, "true") || strings.EqualFold(v, "false") }

var (
	equal      = func(p, r string) bool { return p == r }
	equalFold  = strings.EqualFold
	boolEquals = func(p, r string) bool { return strings.EqualFold(p, r) }
)

// operators are IAM's condition operators, without the IfExists suffix and
// the set prefixes. Null is handled apart: it tests presence, not values.
var operators = map[string]*operator{
	"StringEquals":              stringOp(equal, false),
	"StringNotEquals":           stringOp(equal, true),
	"StringEqualsIgnoreCase":    stringOp(equalFold, false),
	"StringNotEqualsIgnoreCase": stringOp(equalFold, true),
	"StringLike":                stringOp(wildcardMatch, false),
	"StringNotLike":             stringOp(wildcardMatch, true),
	"ArnEquals":                 stringOp(arnMatch, false),
	"ArnLike":                   stringOp(arnMatch, false),
	"ArnNotEquals":              stringOp(arnMatch, true),
	"ArnNotLike":                stringOp(arnMatch, true),
	"NumericEquals":             numberOp(func(p, r float64) bool { return r == p }, false),
	"NumericNotEquals":          numberOp(func(p, r float64) bool { return r == p }, true),
	"NumericLessThan":           numberOp(func(p, r float64) bool { return r < p }, false),
	"NumericLessThanEquals":     numberOp(func(p, r float64) bool { return r <= p }, false),
	"NumericGreaterThan":        numberOp(func(p, r float64) bool { return r > p }, false),
	"NumericGreaterThanEquals":  numberOp(func(p, r float64) bool { return r >= p }, false),
	"DateEquals":                dateOp(func(p, r time.Time) bool { return r.Equal(p) }, false),
	"DateNotEquals":             dateOp(func(p, r time.Time) bool { return r.Equal(p) }, true),
	"DateLessThan":              dateOp(func(p, r time.Time) bool { return r.Before(p) }, false),
	"DateLessThanEquals":        dateOp(func(p, r time.Time) bool { return !r.After(p) }, false),
	"DateGreaterThan":           dateOp(func(p, r time.Time) bool { return r.After(p) }, false),
	"DateGreaterThanEquals":     dateOp(func(p, r time.Time) bool { return !r.Before(p) }, false),
	"Bool":                      {match: boolEquals, check: isBool},
	"BinaryEquals":              {match: equal},
	"IpAddress":                 {match: ipMatch, check: func(v string) bool { _, ok := parsePrefix(v); return ok }},
	"NotIpAddress":              {match: ipMatch, negated: true, check: func(v string) bool { _, ok := parsePrefix(v); return ok }},
}

// nullOp marks the Null operator, which tests whether the key is absent.
var nullOp = &operator{check: isBool}

var conditionKeyPattern = regexp.MustCompile(`^[A-Za-z0-9-]+:[\x21-\x7E]+$`)

// parseConditions reads a Condition element strictly: an unknown operator,
// a key without a vendor prefix or a value the operator cannot use is a
// MalformedPolicyDocument, as IAM answers.
func parseConditions(raw json.RawMessage) ([]condition, error) {
	var byOp map[string]map[string]json.RawMessage
	if json.Unmarshal(raw, &byOp) != nil {
		return nil, malformed("Syntax errors in policy.")
	}
	var out []condition
	for opName, keys := range byOp {
		proto, err := parseOperator(opName)
		if err != nil {
			return nil, err
		}
		for k, rawValues := range keys {
			if !conditionKeyPattern.MatchString(k) {
				return nil, malformed("Condition key %s is not valid.", k)
			}
			values, ok := conditionValues(rawValues)
			if !ok {
				return nil, malformed("Syntax errors in policy.")
			}
			for _, v := range values {
				if proto.op.check != nil && !proto.op.check(v) {
					return nil, malformed("Invalid value for condition %s: %s", opName, v)
				}
			}
			c := proto
			c.key, c.values = strings.ToLower(k), values
			out = append(out, c)
		}
	}
	return out, nil
}

func parseOperator(name string) (condition, error) {
	var c condition
	base := name
	if set, rest, ok := strings.Cut(base, ":"); ok {
		if set != "ForAnyValue" && set != "ForAllValues" {
			return c, malformed("Invalid Condition type : %s", name)
		}
		c.set, base = set, rest
	}
	if base == "Null" {
		c.op = nullOp
		return c, nil
	}
	if trimmed, ok := strings.CutSuffix(base, "IfExists"); ok {
		c.ifExists, base = true, trimmed
	}
	op, ok := operators[base]
	if !ok {
		return c, malformed("Invalid Condition type : %s", name)
	}
	c.op = op
	return c, nil
}

// conditionValues reads a value or a list of values; JSON booleans and
// numbers count as their text, as IAM reads them.
func conditionValues(raw json.RawMessage) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	list, isList := v.([]any)
	if !isList {
		list = []any{v}
	}
	if len(list) == 0 {
		return nil, false
	}
	out := make([]string, 0, len(list))
	for _, x := range list {
		switch x := x.(type) {
		case string:
			out = append(out, x)
		case bool:
			out = append(out, strconv.FormatBool(x))
		case json.Number:
			out = append(out, x.String())
		default:
			return nil, false
		}
	}
	return out, true
}

// holds evaluates the condition against the request context.
func (c condition) holds(rc *requestContext) bool {
	got, present := rc.keys[c.key]
	if c.op == nullOp {
		for _, v := range c.values {
			if strings.EqualFold(v, "true") != present {
				return true
			}
		}
		return false
	}
	if !present {
		// IAM's rule for an absent key: IfExists and ForAllValues hold,
		// a negated operator holds, anything else does not.
		return c.ifExists || c.set == "ForAllValues" || (c.set == "" && c.op.negated)
	}
	values := c.values
	if c.op.vars {
		values = rc.substituteAll(values)
	}
	return c.quantify(got, func(r string) bool {
		for _, p := range values {
			if c.op.match(p, r) {
				return true
			}
		}
		return false
	})
}

// quantify applies the set operator over the request's values. For one
// request value, a negated operator holds when it matches none of the
// policy's values (NOR).
func (c condition) quantify(got []string, matchesAny func(string) bool) bool {
	ok := func(r string) bool { return matchesAny(r) != c.op.negated }
	switch c.set {
	case "ForAllValues":
		for _, r := range got {
			if !ok(r) {
				return false
			}
		}
		return true
	case "ForAnyValue":
		for _, r := range got {
			if ok(r) {
				return true
			}
		}
		return false
	}
	for _, r := range got {
		if matchesAny(r) {
			return !c.op.negated
		}
	}
	return c.op.negated
}
