package baseline

import (
	"slices"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

func TestPlanRequireMFA(t *testing.T) {
	reformatted := strings.ReplaceAll(mfapolicy.Document("aws").JSON(), ",", ",\n   ")
	older := strings.Replace(mfapolicy.Document("aws").JSON(), `"iam:ResyncMFADevice",`, "", 1)
	tests := []struct {
		name   string
		doc    *string
		skip   bool
		action Action
		codes  []ReasonCode
	}{
		{name: "missing", action: ActionCreate, codes: []ReasonCode{ReasonRequireMFAMissing, ReasonRequireMFANotCovered}},
		{name: "same, whitespace aside", doc: &reformatted, action: ActionNone, codes: []ReasonCode{ReasonRequireMFAReady}},
		{name: "different", doc: &older, action: ActionUpdate, codes: []ReasonCode{ReasonRequireMFADiffers, ReasonRequireMFANotCovered}},
		{name: "opted out", skip: true, action: ActionSkip, codes: []ReasonCode{ReasonRequireMFASkipped}},
		{name: "opted out, policy there", doc: &older, skip: true, action: ActionSkip, codes: []ReasonCode{ReasonRequireMFASkipped, ReasonRequireMFAPolicyLeft}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := baselineState()
			st.GroupMFAPolicy = tt.doc
			spec := DefaultSpec()
			spec.RequireMFA = !tt.skip
			c := change(t, MakePlan(spec, st), StepRequireMFA)
			if c.Action != tt.action {
				t.Errorf("action %s, want %s", c.Action, tt.action)
			}
			var codes []ReasonCode
			for _, r := range c.Reasons {
				codes = append(codes, r.Code)
			}
			if !slices.Equal(codes, tt.codes) {
				t.Errorf("reasons %v, want %v", codes, tt.codes)
			}
		})
	}
}

// An update shows what changes, line by line, and nothing else.
func TestPlanRequireMFAShowsTheDiff(t *testing.T) {
	st := baselineState()
	older := strings.Replace(mfapolicy.Document("aws").JSON(), `"iam:ResyncMFADevice",`, "", 1)
	st.GroupMFAPolicy = &older
	c := change(t, MakePlan(DefaultSpec(), st), StepRequireMFA)
	want := []string{`+         "iam:ResyncMFADevice",`}
	if !slices.Equal(c.Details, want) {
		t.Errorf("details %q, want %q", c.Details, want)
	}
}

// Who signs the run decides whether the operator must confirm: an IAM user
// the policy covers, without a session known to have MFA.
func TestPlanRequireMFACaller(t *testing.T) {
	user := func(name string, longTerm bool) Caller {
		c, _ := ParseCallerARN("arn:aws:iam::123456789012:user/ops/" + name)
		c.LongTermKey = longTerm
		return c
	}
	role, _ := ParseCallerARN("arn:aws:sts::123456789012:assumed-role/Admin/alice")
	tests := []struct {
		name    string
		caller  Caller
		members []string
		code    ReasonCode // "" for none
		locks   bool
	}{
		{name: "root", caller: freshState("aws").Caller, code: ReasonRequireMFANotCovered},
		{name: "a role", caller: role, code: ReasonRequireMFANotCovered},
		{name: "a user outside the group", caller: user("bob", true), members: []string{"administrator"}},
		{name: "a group member with an access key", caller: user("bob", true), members: []string{"Bob"}, code: ReasonCallerWithoutMFA, locks: true},
		{name: "a group member with a session", caller: user("bob", false), members: []string{"bob"}, code: ReasonCallerMaybeWithoutMFA, locks: true},
		{name: "the admin user itself, joining the group", caller: user("administrator", true), code: ReasonCallerWithoutMFA, locks: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := freshState("aws")
			st.Caller = tt.caller
			st.Group = &GroupState{Name: "admin"}
			st.GroupMembers = tt.members
			p := MakePlan(DefaultSpec(), st)
			c := change(t, p, StepRequireMFA)
			var got ReasonCode
			for _, r := range c.Reasons[1:] {
				got = r.Code
			}
			if got != tt.code {
				t.Errorf("caller reason %q, want %q", got, tt.code)
			}
			if p.LocksOutCaller() != tt.locks {
				t.Errorf("LocksOutCaller %v, want %v", p.LocksOutCaller(), tt.locks)
			}
		})
	}
	// Nothing to put, nothing to confirm.
	st := baselineState()
	st.Caller = user("administrator", true)
	if MakePlan(DefaultSpec(), st).LocksOutCaller() {
		t.Error("a policy already in force asks for confirmation")
	}
}

func TestParseCallerARNUserName(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:user/alice":                  "alice",
		"arn:aws-cn:iam::123456789012:user/team/ops/bob":        "bob",
		"arn:aws:iam::123456789012:root":                        "",
		"arn:aws:sts::123456789012:assumed-role/Admin/alice":    "",
		"arn:aws:sts::123456789012:federated-user/user/ignored": "",
	} {
		c, err := ParseCallerARN(arn)
		if err != nil || c.UserName != want {
			t.Errorf("%s: user name %q (%v), want %q", arn, c.UserName, err, want)
		}
	}
}
