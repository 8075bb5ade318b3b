package baseline

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

func freshState(partition string) State {
	return State{
		Caller:  Caller{AccountID: "123456789012", Partition: partition, ARN: "arn:" + partition + ":iam::123456789012:root", IsRoot: true},
		Summary: AccountSummary{RootAccessKeysPresent: true},
	}
}

// baselineState is an account that already has the whole baseline.
func baselineState() State {
	st := freshState("aws")
	st.Summary = AccountSummary{RootMFAEnabled: true}
	p := DefaultPasswordPolicy()
	st.PasswordPolicy = &p
	st.Group = &GroupState{Name: "admin", AttachedPolicies: []string{"arn:aws:iam::aws:policy/AdministratorAccess"}}
	st.User = &UserState{Name: "administrator", Groups: []string{"admin"}}
	st.LoginProfile = &LoginProfileState{}
	st.MFADevices = []MFADevice{{SerialNumber: "arn:aws:iam::123456789012:mfa/administrator"}}
	doc := mfapolicy.Document("aws").JSON()
	st.GroupMFAPolicy = &doc
	st.GroupMembers = []string{"administrator"}
	return st
}

func actions(p Plan) map[StepID]Action {
	m := map[StepID]Action{}
	for _, c := range p.Changes {
		m[c.Step] = c.Action
	}
	return m
}

func change(t *testing.T, p Plan, step StepID) Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.Step == step {
			return c
		}
	}
	t.Fatalf("plan has no step %s", step)
	return Change{}
}

func TestMakePlanStepOrder(t *testing.T) {
	p := MakePlan(DefaultSpec(), freshState("aws"))
	var got []StepID
	for _, c := range p.Changes {
		got = append(got, c.Step)
	}
	want := []StepID{StepRootAccessKeys, StepRootMFA, StepAdminGroup, StepRequireMFA, StepAdminUser, StepPasswordPolicy, StepUserMFA, StepAccountAlias, StepSupportRole, StepSecurityContact, StepAccessAnalyzer, StepSignInURL}
	if !slices.Equal(got, want) {
		t.Fatalf("steps = %v, want %v", got, want)
	}
	if p.FormatVersion != PlanFormatVersion {
		t.Errorf("format version %d", p.FormatVersion)
	}
}

func TestMakePlanActions(t *testing.T) {
	tests := []struct {
		name  string
		spec  func(*Spec)
		state func() State
		want  map[StepID]Action
	}{
		{
			name:  "fresh account",
			state: func() State { return freshState("aws") },
			want: map[StepID]Action{
				StepRootAccessKeys: ActionManual, StepRootMFA: ActionManual, StepAdminGroup: ActionCreate,
				StepAdminUser: ActionCreate, StepPasswordPolicy: ActionCreate, StepUserMFA: ActionCreate,
				StepAccountAlias: ActionNone, StepSignInURL: ActionNone,
			},
		},
		{
			name:  "fresh account, skip mfa, alias",
			spec:  func(s *Spec) { s.SkipMFA = true; s.AccountAlias = "my-corp" },
			state: func() State { return freshState("aws") },
			want:  map[StepID]Action{StepUserMFA: ActionSkip, StepAccountAlias: ActionCreate},
		},
		{
			name:  "baseline reached",
			state: baselineState,
			want: map[StepID]Action{
				StepRootAccessKeys: ActionNone, StepRootMFA: ActionNone, StepAdminGroup: ActionNone,
				StepAdminUser: ActionNone, StepPasswordPolicy: ActionNone, StepUserMFA: ActionNone,
				StepAccountAlias: ActionNone, StepSignInURL: ActionNone,
			},
		},
		{
			name: "group without policy",
			state: func() State {
				st := baselineState()
				st.Group.AttachedPolicies = []string{"arn:aws:iam::aws:policy/ReadOnlyAccess"}
				return st
			},
			want: map[StepID]Action{StepAdminGroup: ActionUpdate},
		},
		{
			name: "user not in group",
			state: func() State {
				st := baselineState()
				st.User.Groups = []string{"developers"}
				return st
			},
			want: map[StepID]Action{StepAdminUser: ActionUpdate},
		},
		{
			name: "user in group named with other case",
			state: func() State {
				st := baselineState()
				st.User.Groups = []string{"Admin"}
				return st
			},
			want: map[StepID]Action{StepAdminUser: ActionNone},
		},
		{
			name: "user without login profile",
			state: func() State {
				st := baselineState()
				st.LoginProfile = nil
				return st
			},
			want: map[StepID]Action{StepAdminUser: ActionUpdate},
		},
		{
			name:  "reset password",
			spec:  func(s *Spec) { s.ResetPassword = true },
			state: baselineState,
			want:  map[StepID]Action{StepAdminUser: ActionUpdate},
		},
		{
			name: "user has mfa but skip asked",
			spec: func(s *Spec) { s.SkipMFA = true },
			state: func() State {
				return baselineState()
			},
			want: map[StepID]Action{StepUserMFA: ActionNone},
		},
		{
			name: "different alias exists",
			spec: func(s *Spec) { s.AccountAlias = "new-name" },
			state: func() State {
				st := baselineState()
				st.AccountAliases = []string{"old-name"}
				return st
			},
			want: map[StepID]Action{StepAccountAlias: ActionUpdate},
		},
		{
			name: "same alias exists",
			spec: func(s *Spec) { s.AccountAlias = "my-corp" },
			state: func() State {
				st := baselineState()
				st.AccountAliases = []string{"my-corp"}
				return st
			},
			want: map[StepID]Action{StepAccountAlias: ActionNone},
		},
		{
			name: "weaker policy in force",
			state: func() State {
				st := baselineState()
				st.PasswordPolicy = &PasswordPolicy{MinimumLength: 8}
				return st
			},
			want: map[StepID]Action{StepPasswordPolicy: ActionUpdate},
		},
		{
			name: "stricter policy in force",
			state: func() State {
				st := baselineState()
				p := DefaultPasswordPolicy()
				p.MinimumLength = 20
				p.MaxAgeDays = 90
				st.PasswordPolicy = &p
				return st
			},
			want: map[StepID]Action{StepPasswordPolicy: ActionNone},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := DefaultSpec()
			if tt.spec != nil {
				tt.spec(&spec)
			}
			got := actions(MakePlan(spec, tt.state()))
			for step, want := range tt.want {
				if got[step] != want {
					t.Errorf("%s: action %q, want %q", step, got[step], want)
				}
			}
		})
	}
}

func TestMakePlanPendingCountsOnlyMutations(t *testing.T) {
	spec := DefaultSpec()
	spec.SkipMFA = true
	if n := MakePlan(spec, baselineState()).Pending(); n != 0 {
		t.Errorf("baseline: pending %d, want 0", n)
	}
	st := baselineState()
	st.Summary = AccountSummary{RootAccessKeysPresent: true} // two manual steps
	st.MFADevices = nil                                      // skipped
	if n := MakePlan(spec, st).Pending(); n != 0 {
		t.Errorf("manual and skipped steps: pending %d, want 0", n)
	}
	if n := MakePlan(spec, freshState("aws")).Pending(); n != 4 {
		t.Errorf("fresh: pending %d, want 4 (group, its MFA policy, user, password policy)", n)
	}
}

func TestMakePlanPartitions(t *testing.T) {
	tests := []struct {
		partition, arn, url string
	}{
		{"aws", "arn:aws:iam::aws:policy/AdministratorAccess", "https://123456789012.signin.aws.amazon.com/console"},
		{"aws-cn", "arn:aws-cn:iam::aws:policy/AdministratorAccess", "https://123456789012.signin.amazonaws.cn/console"},
		{"aws-us-gov", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess", "https://123456789012.signin.amazonaws-us-gov.com/console"},
	}
	for _, tt := range tests {
		t.Run(tt.partition, func(t *testing.T) {
			p := MakePlan(DefaultSpec(), freshState(tt.partition))
			g := change(t, p, StepAdminGroup)
			if !slices.Contains(g.After.(GroupState).AttachedPolicies, tt.arn) {
				t.Errorf("group after = %+v, want %s", g.After, tt.arn)
			}
			if !slices.Contains(locale.English.Msgs(g.Details), "attach "+tt.arn) {
				t.Errorf("details %v", g.Details)
			}
			if p.Account.SignInURL != tt.url {
				t.Errorf("sign-in URL %q, want %q", p.Account.SignInURL, tt.url)
			}
			if got := change(t, p, StepSignInURL).After.(SignIn).URL; got != tt.url {
				t.Errorf("sign-in step URL %q", got)
			}
		})
	}
	// In the right partition an existing group with the wrong partition's ARN
	// still needs the policy.
	st := baselineState()
	st.Caller.Partition = "aws-us-gov"
	if a := actions(MakePlan(DefaultSpec(), st))[StepAdminGroup]; a != ActionUpdate {
		t.Errorf("aws-us-gov group with aws ARN: %s, want update", a)
	}
}

func TestMakePlanSignInURLUsesAlias(t *testing.T) {
	st := freshState("aws")
	st.AccountAliases = []string{"existing"}
	if got := MakePlan(DefaultSpec(), st).Account.SignInURL; got != "https://existing.signin.aws.amazon.com/console" {
		t.Errorf("existing alias: %s", got)
	}
	spec := DefaultSpec()
	spec.AccountAlias = "to-be"
	if got := MakePlan(spec, freshState("aws")).Account.SignInURL; got != "https://to-be.signin.aws.amazon.com/console" {
		t.Errorf("new alias: %s", got)
	}
}

// TestMakePlanAliasReplacementSaysTheOldURLStops: CreateAccountAlias
// replaces an account's alias, so another alias is a replacement whose
// reason carries what the views must warn about.
func TestMakePlanAliasReplacementSaysTheOldURLStops(t *testing.T) {
	st := freshState("aws")
	st.AccountAliases = []string{"old-name"}
	spec := DefaultSpec()
	spec.AccountAlias = "new-name"
	plan := MakePlan(spec, st)
	r, ok := plan.AliasReplacement()
	want := Reason{Code: ReasonAliasReplaces, Alias: "old-name", Asked: "new-name", URL: "https://old-name.signin.aws.amazon.com/console"}
	if !ok || !reflect.DeepEqual(r, want) {
		t.Errorf("AliasReplacement() = %+v, %v; want %+v", r, ok, want)
	}
	c := plan.Change(StepAccountAlias)
	if c.Before != (AccountAlias{Alias: "old-name"}) || c.After != (AccountAlias{Alias: "new-name"}) {
		t.Errorf("before %v after %v", c.Before, c.After)
	}
	if plan.Account.SignInURL != "https://new-name.signin.aws.amazon.com/console" {
		t.Errorf("sign-in URL %s, want the new alias's", plan.Account.SignInURL)
	}
	for _, alias := range []string{"", "old-name"} {
		spec.AccountAlias = alias
		if _, ok := MakePlan(spec, st).AliasReplacement(); ok {
			t.Errorf("--account-alias %q: planned as a replacement", alias)
		}
	}
}

func TestMergePasswordPolicyKeepsStricter(t *testing.T) {
	current := PasswordPolicy{MinimumLength: 20, ReusePrevention: 5, MaxAgeDays: 90, HardExpiry: true, RequireSymbols: true}
	want := DefaultPasswordPolicy()
	want.RequireSymbols = false
	merged, kept := MergePasswordPolicy(current, want, false)
	expect := PasswordPolicy{
		MinimumLength: 20, ReusePrevention: 24, MaxAgeDays: 90, HardExpiry: true,
		RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true,
		AllowUsersToChangePassword: true,
	}
	if merged != expect {
		t.Errorf("merged = %+v\nwant     %+v", merged, expect)
	}
	joined := strings.Join(locale.English.Msgs(kept), "\n")
	for _, s := range []string{"minimum length 20", "maximum age 90 days", "hard expiry", "symbols"} {
		if !strings.Contains(joined, s) {
			t.Errorf("kept %q does not mention %q", kept, s)
		}
	}
	if strings.Contains(joined, "reuse") {
		t.Errorf("kept %q mentions reuse, which was raised", kept)
	}

	weaker, kept := MergePasswordPolicy(current, want, true)
	if weaker != want || kept != nil {
		t.Errorf("allowWeaker: %+v %v, want the asked policy", weaker, kept)
	}
}

func TestMergePasswordPolicyAge(t *testing.T) {
	for _, tt := range []struct{ cur, want, got int }{
		{0, 0, 0}, {0, 90, 90}, {90, 0, 90}, {30, 90, 30}, {90, 30, 30},
	} {
		m, _ := MergePasswordPolicy(PasswordPolicy{MaxAgeDays: tt.cur}, PasswordPolicy{MaxAgeDays: tt.want}, false)
		if m.MaxAgeDays != tt.got {
			t.Errorf("current %d, asked %d: got %d, want %d", tt.cur, tt.want, m.MaxAgeDays, tt.got)
		}
	}
}

func TestPlanStricterPolicyReasonSaysKept(t *testing.T) {
	st := baselineState()
	p := DefaultPasswordPolicy()
	p.MinimumLength = 32
	p.ReusePrevention = 10 // weaker than 24: must be raised
	st.PasswordPolicy = &p
	c := change(t, MakePlan(DefaultSpec(), st), StepPasswordPolicy)
	if c.Action != ActionUpdate {
		t.Fatalf("action %s", c.Action)
	}
	after := c.After.(PasswordPolicy)
	if after.MinimumLength != 32 || after.ReusePrevention != 24 {
		t.Errorf("after = %+v", after)
	}
	if !slices.Equal(codes(c), []ReasonCode{ReasonPolicyWeaker, ReasonPolicyStricterKept}) {
		t.Errorf("reasons %v", codes(c))
	}
	if !slices.ContainsFunc(locale.English.Msgs(c.Details), func(d string) bool { return strings.HasPrefix(d, "keep minimum length 32") }) {
		t.Errorf("details %q", c.Details)
	}
	if !slices.Contains(locale.English.Msgs(c.Details), "reuse prevention: 10 passwords -> 24 passwords") {
		t.Errorf("details %q", c.Details)
	}

	spec := DefaultSpec()
	spec.AllowWeakerPasswordPolicy = true
	c = change(t, MakePlan(spec, st), StepPasswordPolicy)
	if c.After.(PasswordPolicy).MinimumLength != 14 || !slices.Equal(codes(c), []ReasonCode{ReasonPolicyWeakened}) {
		t.Errorf("allow weaker: %+v %v", c.After, codes(c))
	}
}

func codes(c Change) []ReasonCode {
	var out []ReasonCode
	for _, r := range c.Reasons {
		out = append(out, r.Code)
	}
	return out
}

func TestMakePlanMFARemovesLeftover(t *testing.T) {
	st := freshState("aws")
	st.UnassignedVirtualMFA = []string{"arn:aws:iam::123456789012:mfa/someone-else", "arn:aws:iam::123456789012:mfa/administrator"}
	c := change(t, MakePlan(DefaultSpec(), st), StepUserMFA)
	if got := c.After.(UserMFA).RemoveUnassigned; got != "arn:aws:iam::123456789012:mfa/administrator" {
		t.Errorf("RemoveUnassigned = %q", got)
	}
}

// TestPlanTextNamesNoFlag: the engine's words reach every view, the wizard
// included, so none may name a CLI flag; reasons are codes the views word.
func TestPlanTextNamesNoFlag(t *testing.T) {
	for _, partition := range []string{"aws", "aws-us-gov"} {
		st := freshState(partition)
		st.Caller.IsRoot = true
		st.Summary.RootAccessKeysPresent = true
		spec := DefaultSpec()
		spec.SkipMFA = true
		for _, c := range MakePlan(spec, st).Changes {
			for _, text := range append(locale.English.Msgs(c.Details), locale.English.Msgs(c.ManualSteps)...) {
				if strings.Contains(text, "--") {
					t.Errorf("%s: %q names a flag", c.Step, text)
				}
			}
		}
	}
}

func TestPlanSupportRole(t *testing.T) {
	support := "arn:aws:iam::aws:policy/AWSSupportAccess"
	for _, tc := range []struct {
		name   string
		asked  string
		role   *RoleState
		want   Action
		reason ReasonCode
	}{
		{"not asked", "", nil, ActionNone, ReasonSupportRoleNotAsked},
		{"missing", "support", nil, ActionCreate, ReasonSupportRoleMissing},
		{"without the policy", "support", &RoleState{Name: "support"}, ActionUpdate, ReasonSupportRoleNoPolicy},
		{"ready", "support", &RoleState{Name: "support", AttachedPolicies: []string{support}}, ActionNone, ReasonSupportRoleReady},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := DefaultSpec()
			spec.SupportRole = tc.asked
			st := baselineState()
			st.SupportRole = tc.role
			c := change(t, MakePlan(spec, st), StepSupportRole)
			if c.Action != tc.want || c.Reasons[0].Code != tc.reason {
				t.Fatalf("%s %+v, want %s %s", c.Action, c.Reasons, tc.want, tc.reason)
			}
			if after, ok := c.After.(RoleState); tc.want.Mutates() && (!ok || !after.HasPolicy(support)) {
				t.Errorf("after %+v lacks %s", c.After, support)
			}
		})
	}
}

func TestSupportRoleNameIsValidated(t *testing.T) {
	spec := DefaultSpec()
	spec.SupportRole = "bad name"
	errs := FieldErrors(spec.Validate())
	if len(errs) != 1 || errs[0].Field != FieldSupportRole {
		t.Fatalf("errors %v", errs)
	}
	spec.SupportRole = strings.Repeat("r", 65)
	if errs := FieldErrors(spec.Validate()); len(errs) != 1 || !strings.Contains(errs[0].Reason.String(), "at most 64") {
		t.Fatalf("errors %v", errs)
	}
}

func TestPlanSecurityContact(t *testing.T) {
	team := SecurityContact{Name: "Sec Team", Title: "Security", Email: "security@example.com", Phone: "+1 555 0100"}
	other := team
	other.Email = "old@example.com"
	for _, tc := range []struct {
		name      string
		want, got *SecurityContact
		action    Action
		reason    ReasonCode
	}{
		{"not asked, none", nil, nil, ActionNone, ReasonContactNotAsked},
		{"not asked, one in place", nil, &team, ActionNone, ReasonContactIs},
		{"missing", &team, nil, ActionCreate, ReasonContactMissing},
		{"the same", &team, &team, ActionNone, ReasonContactAlready},
		{"another", &team, &other, ActionUpdate, ReasonContactDiffers},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := DefaultSpec()
			spec.SecurityContact = tc.want
			st := baselineState()
			st.SecurityContact = tc.got
			c := change(t, MakePlan(spec, st), StepSecurityContact)
			if c.Action != tc.action || c.Reasons[0].Code != tc.reason {
				t.Fatalf("%s %+v, want %s %s", c.Action, c.Reasons, tc.action, tc.reason)
			}
			if after, _ := c.After.(SecurityContact); tc.action.Mutates() && after != team {
				t.Errorf("after %+v", c.After)
			}
		})
	}
}

func TestSecurityContactIsValidated(t *testing.T) {
	spec := DefaultSpec()
	spec.SecurityContact = &SecurityContact{Name: "Sec", Email: "not-an-address", Phone: "call me"}
	var fields []string
	for _, e := range FieldErrors(spec.Validate()) {
		fields = append(fields, e.Field)
	}
	want := []string{FieldContactTitle, FieldContactEmail, FieldContactPhone}
	if !slices.Equal(fields, want) {
		t.Fatalf("fields %v, want %v", fields, want)
	}
	spec.SecurityContact = &SecurityContact{Name: strings.Repeat("n", 65), Title: "t", Email: "a@b.co", Phone: "1"}
	if errs := FieldErrors(spec.Validate()); len(errs) != 1 || errs[0].Field != FieldContactName {
		t.Fatalf("errors %v", errs)
	}
}

func TestPlanAccessAnalyzer(t *testing.T) {
	covered := []RegionAnalyzers{{Region: "eu-west-1", Active: []string{"a"}}, {Region: "us-east-1", Active: []string{"b"}}}
	partial := []RegionAnalyzers{{Region: "eu-west-1", Active: []string{"a"}}, {Region: "us-east-1"}, {Region: "us-west-2"}}
	for _, tc := range []struct {
		name    string
		asked   bool
		state   []RegionAnalyzers
		action  Action
		reason  ReasonCode
		missing []string
	}{
		{"not asked", false, nil, ActionNone, ReasonAnalyzerNotAsked, nil},
		{"everywhere", true, covered, ActionNone, ReasonAnalyzerEverywhere, nil},
		{"two regions lack one", true, partial, ActionCreate, ReasonAnalyzerMissing, []string{"us-east-1", "us-west-2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec := DefaultSpec()
			spec.AccessAnalyzer = tc.asked
			st := baselineState()
			st.Analyzers = tc.state
			c := change(t, MakePlan(spec, st), StepAccessAnalyzer)
			if c.Action != tc.action || c.Reasons[0].Code != tc.reason || !slices.Equal(c.Reasons[0].Keys, tc.missing) {
				t.Fatalf("%s %+v, want %s %s %v", c.Action, c.Reasons, tc.action, tc.reason, tc.missing)
			}
			if after, ok := c.After.(AnalyzerCoverage); tc.action.Mutates() && (!ok || len(after.Missing) != 0 || len(after.Covered) != 3) {
				t.Errorf("after %+v", c.After)
			}
		})
	}
}

// An unassigned device of the name at another path is someone else's and
// does not block ours: the plan leaves it. A device of the name that
// another user holds is found by the plan, which cannot create ours.
func TestMakePlanMFADeviceNameElsewhere(t *testing.T) {
	spec := DefaultSpec()
	st := freshState("aws")
	st.UnassignedVirtualMFA = []string{"arn:aws:iam::123456789012:mfa/other/administrator"}
	c := MakePlan(spec, st).Change(StepUserMFA)
	if after, _ := c.After.(UserMFA); c.Action != ActionCreate || after.RemoveUnassigned != "" {
		t.Errorf("a device at another path: %s, removes %q; want a create that leaves it", c.Action, after.RemoveUnassigned)
	}
	st.UnassignedVirtualMFA = []string{"arn:aws:iam::123456789012:mfa/administrator"}
	if after, _ := MakePlan(spec, st).Change(StepUserMFA).After.(UserMFA); after.RemoveUnassigned != "arn:aws:iam::123456789012:mfa/administrator" {
		t.Errorf("a leftover at the root path is not removed: %+v", after)
	}

	st.UnassignedVirtualMFA = nil
	st.VirtualMFAUsers = map[string]string{"arn:aws:iam::123456789012:mfa/administrator": "bob"}
	p := MakePlan(spec, st)
	c = p.Change(StepUserMFA)
	if c.Action != ActionManual || len(c.Reasons) != 1 || c.Reasons[0].Code != ReasonMFANameTaken || c.Reasons[0].User != "bob" || p.EnrollsMFA() {
		t.Errorf("a name bob's device holds: %s %+v; want a manual step naming bob, no enrollment", c.Action, c.Reasons)
	}
}
