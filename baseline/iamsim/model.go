package iamsim

//go:generate go run ./internal/modelgen

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// modelOperation and modelMember hold what AWS's service model says about an
// action's input (model_gen.go, generated from testdata/model). Every request
// is checked against them before its handler runs, the way AWS's front end
// validates a request before IAM looks at it.
type modelOperation struct {
	Members []modelMember
	Errors  []string // the error codes the action documents
}

type modelMember struct {
	Name, Shape string
	Required    bool
	List        bool   // a list; the constraints below are its items'
	Type        string // "string", "integer", "boolean", "structure", ...
	Min, Max    int64
	HasMin      bool
	HasMax      bool
	Pattern     string // Java regular expression, as the model has it
	Enum        []string
	Sensitive   bool // never echoed in an error
}

// modelPatterns are the model's patterns compiled for Go, anchored as AWS
// applies them (to the whole value). A pattern RE2 cannot express (Java's
// lookahead) is nil here and checked by hand: see handCheckedPatterns.
var modelPatterns = compileModelPatterns()

// handCheckedPatterns are the shapes whose pattern Go cannot compile, each
// with the hand-written check that stands for it.
var handCheckedPatterns = map[string]string{
	"accountAliasType": "aliasPattern in account.go",
}

var javaUnicodeEscape = regexp.MustCompile(`\\u([0-9A-Fa-f]{4})`)

// javaToRE2 translates a model pattern to Go's syntax, anchored.
func javaToRE2(p string) (*regexp.Regexp, error) {
	return regexp.Compile(`^(?:` + javaUnicodeEscape.ReplaceAllString(p, `\x{$1}`) + `)$`)
}

func compileModelPatterns() map[string]*regexp.Regexp {
	out := map[string]*regexp.Regexp{}
	for _, op := range modelOperations {
		for _, m := range op.Members {
			if m.Pattern == "" {
				continue
			}
			re, err := javaToRE2(m.Pattern)
			if err != nil {
				re = nil
			}
			out[m.Pattern] = re
		}
	}
	return out
}

// iamPatternMessages are IAM's own words for a value that breaks a name,
// path or serial number pattern; other patterns get the front end's
// generic message.
var iamPatternMessages = map[string]string{
	`[\w+=,.@-]+`:   "The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
	`[\w+=/:,.@-]+`: "The specified value for %s is invalid. It must contain only alphanumeric characters and/or the following: +=/:,.@_-",
	`[\w]+`:         "The specified value for %s is invalid. It must contain only alphanumeric characters and/or underscores.",
	`(\u002F)|(\u002F[\u0021-\u007F]+\u002F)`: "The specified value for %s is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.",
}

// validateInput checks the request's parameters against the model of
// service's action: required members, lengths (in characters), ranges,
// patterns and enums. Violations are reported together, as AWS does.
func (c *call) validateInput(service string) *apiError {
	op, ok := modelOperations[service+":"+c.action]
	if !ok {
		return nil
	}
	var problems []string
	for _, m := range op.Members {
		for _, v := range c.memberValues(m) {
			p, own := m.check(v)
			if own != "" {
				return validationError(own, lowerFirst(m.Name))
			}
			if p != "" {
				problems = append(problems, p)
			}
		}
	}
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return validationError("1 validation error detected: %s", problems[0])
	}
	return validationError("%d validation errors detected: %s", len(problems), strings.Join(problems, "; "))
}

// memberValue is one value of a member as sent; set is false when absent.
type memberValue struct {
	set   bool
	value string
}

func (c *call) memberValues(m modelMember) []memberValue {
	if m.Type == "structure" {
		// Query flattens a structure to Name.member keys: only its presence
		// is checked here, its members by the action.
		for k := range c.form {
			if strings.HasPrefix(k, m.Name+".") {
				return []memberValue{{set: true}}
			}
		}
		return []memberValue{{}}
	}
	if !m.List {
		if !c.has(m.Name) {
			return []memberValue{{}}
		}
		return []memberValue{{set: true, value: c.str(m.Name)}}
	}
	var out []memberValue
	for i := 1; ; i++ {
		k := m.Name + ".member." + strconv.Itoa(i)
		if !c.has(k) {
			break
		}
		out = append(out, memberValue{set: true, value: c.str(k)})
	}
	return out
}

// check returns the front end's description of what is wrong with v, or
// IAM's own message (with a %s for the member) for its name patterns.
func (m modelMember) check(v memberValue) (problem, own string) {
	at := "'" + lowerFirst(m.Name) + "'"
	if !v.set {
		if m.Required && !m.List {
			return "Value null at " + at + " failed to satisfy constraint: Member must not be null", ""
		}
		return "", ""
	}
	value := "Value '" + v.value + "' at " + at
	// The model marks only passwords sensitive; MFA codes and the other
	// secrets the log redacts are never echoed either.
	if m.Sensitive || secretParams[m.Name] {
		value = "Value at " + at
	}
	fail := func(constraint string) string {
		return value + " failed to satisfy constraint: Member must " + constraint
	}
	switch m.Type {
	case "integer", "long":
		return m.checkNumber(v.value, fail), ""
	case "boolean":
		if b := strings.ToLower(v.value); b != "true" && b != "false" {
			return fail("be a boolean"), ""
		}
		return "", ""
	case "string":
		return m.checkString(v.value, fail)
	}
	return "", ""
}

func (m modelMember) checkNumber(s string, fail func(string) string) string {
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		return fail("be a number")
	case m.HasMin && n < m.Min:
		return fail("have value greater than or equal to " + strconv.FormatInt(m.Min, 10))
	case m.HasMax && n > m.Max:
		return fail("have value less than or equal to " + strconv.FormatInt(m.Max, 10))
	}
	return ""
}

func (m modelMember) checkString(s string, fail func(string) string) (problem, own string) {
	n := int64(utf8.RuneCountInString(s))
	switch {
	case m.HasMin && n < m.Min:
		return fail("have length greater than or equal to " + strconv.FormatInt(m.Min, 10)), ""
	case m.HasMax && n > m.Max:
		return fail("have length less than or equal to " + strconv.FormatInt(m.Max, 10)), ""
	}
	if len(m.Enum) > 0 && !contains(m.Enum, s) {
		return fail("satisfy enum value set: [" + strings.Join(m.Enum, ", ") + "]"), ""
	}
	if re := modelPatterns[m.Pattern]; re != nil && !re.MatchString(s) {
		if msg, ok := iamPatternMessages[m.Pattern]; ok {
			return "", msg
		}
		return fail("satisfy regular expression pattern: " + m.Pattern), ""
	}
	return "", ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkModelValue checks a value set up without a request (SeedUsers,
// AccountConfig.Roles) against the model's rules for the member.
func checkModelValue(action, member, value string) error {
	for _, m := range modelOperations[action].Members {
		if m.Name != member {
			continue
		}
		problem, own := m.check(memberValue{set: true, value: value})
		switch {
		case own != "":
			return validationError(own, lowerFirst(member))
		case problem != "":
			return validationError("1 validation error detected: %s", problem)
		}
		return nil
	}
	return fmt.Errorf("iamsim: the model of %s has no member %s", action, member)
}

// DocumentedErrors are the error codes AWS's service model documents for an
// IAM or STS action ("CreateUser"), so that a fault matrix can inject each
// of them; nil for an action iamsim does not answer.
func DocumentedErrors(action string) []string {
	for _, service := range []string{"iam", "sts"} {
		if op, ok := modelOperations[service+":"+action]; ok {
			return append([]string(nil), op.Errors...)
		}
	}
	return nil
}
