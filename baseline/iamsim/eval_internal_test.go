package iamsim

import (
	"strings"
	"testing"
)

// Vectors for the evaluator, written after the IAM User Guide's pages on
// policy evaluation logic ("The difference between explicit and implicit
// denies", "Policy evaluation for requests within a single account"), on
// condition operators (absent keys, IfExists, Null, negated operators) and
// on conditions with multiple keys or values.

// longTermKey is the context of a request signed with a user's access key:
// no aws:MultiFactorAuthPresent at all.
func longTermKey(user string) map[string][]string {
	return map[string][]string{
		"aws:username":     {user},
		"aws:userid":       {"AIDAEXAMPLE" + strings.ToUpper(user)},
		"aws:principalarn": {"arn:aws:iam::111122223333:user/" + user},
		"aws:sourceip":     {"127.0.0.1"},
		"aws:currenttime":  {"2026-03-01T12:00:00Z"},
	}
}

func withKeys(base map[string][]string, kv ...string) map[string][]string {
	out := map[string][]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "<absent>" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = strings.Split(kv[i+1], ",")
	}
	return out
}

type vector struct {
	name     string
	action   string
	resource string
	keys     map[string][]string
	want     decision
}

func runVectors(t *testing.T, docs []string, vectors []vector) {
	t.Helper()
	var stmts []statement
	for _, d := range docs {
		st, err := parsePolicy(d)
		if err != nil {
			t.Fatalf("parsing %s: %v", d, err)
		}
		stmts = append(stmts, st...)
	}
	for _, v := range vectors {
		rc := &requestContext{action: v.action, resource: v.resource, keys: v.keys}
		if got := evaluate(stmts, rc); got != v.want {
			t.Errorf("%s: %s on %s: got %v, want %v", v.name, v.action, v.resource, got, v.want)
		}
	}
}

func (d decision) String() string {
	return [...]string{"implicit deny", "allow", "explicit deny"}[d]
}

// The guide's example: Get*/List* allowed, *Report explicitly denied, the
// rest implicitly denied; another policy allowing a report action does not
// override the explicit deny.
func TestEvaluateExplicitAndImplicitDeny(t *testing.T) {
	getList := `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowGetList","Effect":"Allow","Action":["iam:Get*","iam:List*"],"Resource":"*"},
		{"Sid":"DenyReports","Effect":"Deny","Action":"iam:*Report","Resource":"*"}]}`
	reports := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"iam:GenerateCredentialReport","Resource":"*"}}`
	k := longTermKey("carlos")
	runVectors(t, []string{getList, reports}, []vector{
		{"allowed by prefix", "iam:GetUser", "arn:aws:iam::111122223333:user/carlos", k, allow},
		{"action names are case-insensitive", "IAM:listusers", "*", k, allow},
		{"not allowed anywhere", "iam:CreatePolicy", "*", k, implicitDeny},
		{"denied by suffix", "iam:GetOrganizationsAccessReport", "*", k, explicitDeny},
		{"deny beats another policy's allow", "iam:GenerateCredentialReport", "*", k, explicitDeny},
	})
}

// The guide's single-account example, on the identity side: Carlos may do
// anything in his own bucket, but a Deny on every log bucket wins even there.
func TestEvaluateDenyOverridesAllowOnResource(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
		{"Sid":"AllowS3ListRead","Effect":"Allow","Action":["s3:GetBucketLocation","s3:ListAllMyBuckets"],"Resource":"*"},
		{"Sid":"AllowS3Self","Effect":"Allow","Action":"s3:*","Resource":["arn:aws:s3:::carlossalazar*","arn:aws:s3:::carlossalazar*/*"]},
		{"Sid":"DenyS3Logs","Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::*log*"}]}`
	k := longTermKey("carlossalazar")
	runVectors(t, []string{doc}, []vector{
		{"own bucket", "s3:PutObject", "arn:aws:s3:::carlossalazar-data/report.csv", k, allow},
		{"own log bucket", "s3:PutObject", "arn:aws:s3:::carlossalazar-logs/today.log", k, explicitDeny},
		{"someone else's bucket", "s3:PutObject", "arn:aws:s3:::maria-data/x", k, implicitDeny},
		{"list anywhere", "s3:ListAllMyBuckets", "*", k, allow},
	})
}

// NotAction and NotResource: the statement applies to everything except the
// listed actions or resources.
func TestEvaluateNotActionNotResource(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Action":"*","Resource":"*"},
		{"Effect":"Deny","NotAction":["iam:Get*","sts:GetCallerIdentity"],"NotResource":"arn:aws:iam::*:user/${aws:username}"}]}`
	k := longTermKey("bob")
	runVectors(t, []string{doc}, []vector{
		{"listed action elsewhere", "iam:GetGroup", "arn:aws:iam::111122223333:group/admin", k, allow},
		{"unlisted action on own user", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob", k, allow},
		{"unlisted action elsewhere", "iam:CreateUser", "arn:aws:iam::111122223333:user/alice", k, explicitDeny},
		// Without aws:username the variable cannot be substituted, so the
		// NotResource entry matches nothing and the Deny covers everything.
		{"no username", "iam:CreateAccessKey", "arn:aws:iam::111122223333:user/bob", withKeys(k, "aws:username", "<absent>"), explicitDeny},
	})
}

// The MFA trap the guide's condition pages explain: long-term keys carry no
// aws:MultiFactorAuthPresent, so Bool ... false never matches them, while
// BoolIfExists does.
func TestEvaluateMFAPresentBoolVersusBoolIfExists(t *testing.T) {
	deny := func(op string) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
			{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"` + op + `":{"aws:MultiFactorAuthPresent":"false"}}}]}`
	}
	key := longTermKey("bob")
	noMFA := withKeys(key, "aws:multifactorauthpresent", "false")
	withMFA := withKeys(key, "aws:multifactorauthpresent", "true", "aws:multifactorauthage", "30")
	runVectors(t, []string{deny("Bool")}, []vector{
		{"Bool: access key slips through", "iam:CreateUser", "*", key, allow},
		{"Bool: session without MFA", "iam:CreateUser", "*", noMFA, explicitDeny},
		{"Bool: session with MFA", "iam:CreateUser", "*", withMFA, allow},
	})
	runVectors(t, []string{deny("BoolIfExists")}, []vector{
		{"BoolIfExists: access key", "iam:CreateUser", "*", key, explicitDeny},
		{"BoolIfExists: session without MFA", "iam:CreateUser", "*", noMFA, explicitDeny},
		{"BoolIfExists: session with MFA", "iam:CreateUser", "*", withMFA, allow},
	})
	// JSON booleans are read as their text.
	runVectors(t, []string{`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":true}}}}`}, []vector{
		{"JSON true", "iam:CreateUser", "*", withMFA, allow},
		{"JSON true, MFA false", "iam:CreateUser", "*", noMFA, implicitDeny},
	})
}

// MultiFactorAuthAge exists only when MFA was used; numeric operators fail on
// an absent key unless IfExists.
func TestEvaluateMFAAge(t *testing.T) {
	allowIf := func(op string) string {
		return `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"` + op + `":{"aws:MultiFactorAuthAge":3600}}}}`
	}
	fresh := withKeys(longTermKey("bob"), "aws:multifactorauthpresent", "true", "aws:multifactorauthage", "100")
	old := withKeys(fresh, "aws:multifactorauthage", "4000")
	key := longTermKey("bob")
	runVectors(t, []string{allowIf("NumericLessThan")}, []vector{
		{"fresh", "iam:CreateUser", "*", fresh, allow},
		{"stale", "iam:CreateUser", "*", old, implicitDeny},
		{"no MFA", "iam:CreateUser", "*", key, implicitDeny},
	})
	runVectors(t, []string{allowIf("NumericLessThanIfExists")}, []vector{
		{"IfExists, no MFA", "iam:CreateUser", "*", key, allow},
		{"IfExists, stale", "iam:CreateUser", "*", old, implicitDeny},
	})
	runVectors(t, []string{allowIf("NumericGreaterThanEquals")}, []vector{
		{"greater or equal", "iam:CreateUser", "*", withKeys(fresh, "aws:multifactorauthage", "3600"), allow},
		{"less", "iam:CreateUser", "*", fresh, implicitDeny},
	})
}

// An absent key: positive operators fail, negated ones hold, Null tests it.
func TestEvaluateAbsentKeysAndNull(t *testing.T) {
	k := longTermKey("bob")
	cases := []struct {
		condition string
		keys      map[string][]string
		want      decision
	}{
		{`{"StringEquals":{"aws:PrincipalTag/team":"ops"}}`, k, implicitDeny},
		{`{"StringNotEquals":{"aws:PrincipalTag/team":"ops"}}`, k, allow},
		{`{"StringNotLike":{"aws:PrincipalTag/team":"o*"}}`, k, allow},
		{`{"ArnNotLike":{"aws:SourceArn":"arn:aws:s3:::*"}}`, k, allow},
		{`{"StringEqualsIfExists":{"aws:PrincipalTag/team":"ops"}}`, k, allow},
		{`{"StringEqualsIfExists":{"aws:PrincipalTag/team":"ops"}}`, withKeys(k, "aws:principaltag/team", "dev"), implicitDeny},
		{`{"Null":{"aws:TokenIssueTime":"true"}}`, k, allow},
		{`{"Null":{"aws:TokenIssueTime":"false"}}`, k, implicitDeny},
		{`{"Null":{"aws:TokenIssueTime":"false"}}`, withKeys(k, "aws:tokenissuetime", "2026-03-01T11:00:00Z"), allow},
		{`{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, k, allow},
		{`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, k, implicitDeny},
	}
	for _, tc := range cases {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + tc.condition + `}}`
		runVectors(t, []string{doc}, []vector{{tc.condition, "iam:GetUser", "*", tc.keys, tc.want}})
	}
}

// Several operators and several keys are ANDed, several values of one key
// ORed, and a negated operator's values NORed; set operators quantify over
// the request's values.
func TestEvaluateMultipleKeysAndValues(t *testing.T) {
	k := longTermKey("bob")
	cases := []struct {
		condition string
		keys      map[string][]string
		want      decision
	}{
		{`{"StringEquals":{"aws:username":["alice","bob"]}}`, k, allow},
		{`{"StringEquals":{"aws:username":["alice","carol"]}}`, k, implicitDeny},
		{`{"StringNotEquals":{"aws:username":["alice","bob"]}}`, k, implicitDeny},
		{`{"StringNotEquals":{"aws:username":["alice","carol"]}}`, k, allow},
		{`{"StringEquals":{"aws:username":"bob","aws:userid":"nope"}}`, k, implicitDeny},
		{`{"StringEquals":{"aws:username":"bob"},"IpAddress":{"aws:SourceIp":"127.0.0.0/8"}}`, k, allow},
		{`{"StringEquals":{"aws:username":"bob"},"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","10.0.0.1"]}}`, k, implicitDeny},
		{`{"StringEqualsIgnoreCase":{"aws:username":"BOB"}}`, k, allow},
		{`{"StringNotEqualsIgnoreCase":{"aws:username":"BOB"}}`, k, implicitDeny},
		{`{"StringLike":{"aws:username":"b?b*"}}`, k, allow},
		{`{"StringLike":{"aws:username":"B*"}}`, k, implicitDeny},
		{`{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, withKeys(k, "aws:tagkeys", "a,b"), allow},
		{`{"ForAllValues:StringEquals":{"aws:TagKeys":["a","b"]}}`, withKeys(k, "aws:tagkeys", "a,c"), implicitDeny},
		{`{"ForAnyValue:StringEquals":{"aws:TagKeys":["a","b"]}}`, withKeys(k, "aws:tagkeys", "c,b"), allow},
		{`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, withKeys(k, "aws:tagkeys", "a,b"), implicitDeny},
		{`{"ForAnyValue:StringNotEquals":{"aws:TagKeys":["a","b"]}}`, withKeys(k, "aws:tagkeys", "a,c"), allow},
		{`{"DateLessThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, k, allow},
		{`{"DateGreaterThan":{"aws:CurrentTime":"2026-06-01T00:00:00Z"}}`, k, implicitDeny},
	}
	for _, tc := range cases {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + tc.condition + `}}`
		runVectors(t, []string{doc}, []vector{{tc.condition, "iam:GetUser", "*", tc.keys, tc.want}})
	}
}

// ARN operators compare part by part, so a wildcard never crosses a colon;
// policy variables work in condition values and in Resource, with defaults.
func TestEvaluateARNsAndPolicyVariables(t *testing.T) {
	k := longTermKey("bob")
	cases := []struct {
		doc  string
		res  string
		keys map[string][]string
		want decision
	}{
		{`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/b*"}}}`, "*", k, allow},
		{`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*"}}}`, "*", k, implicitDeny},
		{`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:username}"}}}`, "*", k, allow},
		{`{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:user/${aws:userid}"}}}`, "*", k, implicitDeny},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`, "arn:aws:s3:::home/bob/notes", k, allow},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`, "arn:aws:s3:::home/alice/notes", k, implicitDeny},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*"}`, "arn:aws:s3:::home//notes", withKeys(k, "aws:username", "<absent>"), implicitDeny},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username, 'guest'}/*"}`, "arn:aws:s3:::home/guest/x", withKeys(k, "aws:username", "<absent>"), allow},
		{`{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::literal-${*}-star"}`, "arn:aws:s3:::literal-anything-star", k, allow},
	}
	for _, tc := range cases {
		runVectors(t, []string{`{"Version":"2012-10-17","Statement":` + tc.doc + `}`}, []vector{{tc.doc, "s3:GetObject", tc.res, tc.keys, tc.want}})
	}
	// Version 2008-10-17 has no policy variables: the text is literal.
	old := `{"Version":"2008-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::home/${aws:username}/*"}}`
	runVectors(t, []string{old}, []vector{
		{"2008: no substitution", "s3:GetObject", "arn:aws:s3:::home/bob/x", k, implicitDeny},
		{"2008: literal", "s3:GetObject", "arn:aws:s3:::home/${aws:username}/x", k, allow},
	})
}

// IAM refuses conditions it cannot evaluate.
func TestParseConditionsStrict(t *testing.T) {
	for _, cond := range []string{
		`{"StringEqualz":{"aws:username":"bob"}}`,
		`{"ForSomeValues:StringEquals":{"aws:username":"bob"}}`,
		`{"NullIfExists":{"aws:username":"true"}}`,
		`{"StringEquals":{"username":"bob"}}`,
		`{"Null":{"aws:username":"maybe"}}`,
		`{"Bool":{"aws:MultiFactorAuthPresent":"yes"}}`,
		`{"NumericLessThan":{"aws:MultiFactorAuthAge":"an hour"}}`,
		`{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}`,
		`{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}`,
		`{"StringEquals":{"aws:username":[]}}`,
		`{"StringEquals":{"aws:username":{"nested":"x"}}}`,
		`["StringEquals"]`,
	} {
		doc := `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":` + cond + `}}`
		_, err := parsePolicy(doc)
		if err == nil || err.(*apiError).Code != "MalformedPolicyDocument" {
			t.Errorf("%s: want MalformedPolicyDocument, got %v", cond, err)
		}
	}
}

// Whatever document IAM's parser accepts, evaluation never panics, and an
// unconditional Deny of everything added to it always wins.
func FuzzEvaluatePolicy(f *testing.F) {
	f.Add(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"}}}}`, "iam:CreateUser", "*")
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"s3:*","NotResource":"arn:aws:iam::*:user/${aws:username, 'x'}","Condition":{"ForAllValues:StringLikeIfExists":{"aws:TagKeys":["a*"]},"Null":{"aws:userid":"false"}}}]}`, "iam:GetUser", "arn:aws:iam::111122223333:user/bob")
	f.Add(`{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"*","Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"},"DateLessThan":{"aws:CurrentTime":"2030-01-01"},"IpAddress":{"aws:SourceIp":"::1/128"}}}}`, "iam:ListUsers", "*")
	keys := withKeys(longTermKey("bob"), "aws:multifactorauthpresent", "true", "aws:multifactorauthage", "10", "aws:tagkeys", "a,b")
	denyAll := statement{actions: []string{"*"}, resources: []string{"*"}}
	f.Fuzz(func(t *testing.T, doc, action, resource string) {
		stmts, err := parsePolicy(doc)
		if err != nil {
			return
		}
		rc := &requestContext{action: action, resource: resource, keys: keys}
		_ = evaluate(stmts, rc)
		if got := evaluate(append(stmts, denyAll), rc); got != explicitDeny {
			t.Fatalf("an unconditional Deny lost: %v", got)
		}
	})
}
