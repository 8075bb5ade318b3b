package main

import (
	"bytes"
	"context"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"golang.org/x/text/language"
)

// update rewrites the golden files of the renderers from their output:
// go test ./cmd/iam-baseline -run Golden -update, then review the diff.
var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the renderer's output (run with -update to accept, then review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// planCases are account states that reach every reason the plan words.
func planCases() map[string]baseline.Plan {
	root := baseline.Caller{AccountID: "123456789012", Partition: "aws", ARN: "arn:aws:iam::123456789012:root", IsRoot: true}
	admin := baseline.Caller{AccountID: "123456789012", Partition: "aws", ARN: "arn:aws:iam::123456789012:user/ops", UserID: "AIDAOPS", UserName: "ops"}
	spec := baseline.DefaultSpec()
	used := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	done := baseline.State{
		Caller:         admin,
		Summary:        baseline.AccountSummary{RootMFAEnabled: true},
		PasswordPolicy: ptr(baseline.DefaultPasswordPolicy()),
		Group:          &baseline.GroupState{Name: "admin", AttachedPolicies: []string{baseline.AdminPolicyARN("aws")}},
		User:           &baseline.UserState{Name: "administrator", Groups: []string{"admin"}, PasswordLastUsed: &used},
		LoginProfile:   &baseline.LoginProfileState{},
		MFADevices:     []baseline.MFADevice{{SerialNumber: "arn:aws:iam::123456789012:mfa/administrator"}},
		AccountAliases: []string{"acme"},
		GroupMembers:   []string{"administrator"},
		GroupMFAPolicy: ptr(mfapolicy.Document("aws").JSON()),
	}

	cases := map[string]baseline.Plan{}
	fresh := baseline.State{Caller: root, Summary: baseline.AccountSummary{RootAccessKeysPresent: true}}
	cases["fresh-root"] = baseline.MakePlan(spec, fresh)
	cases["done"] = baseline.MakePlan(spec, done)

	reenroll := spec
	reenroll.ReenrollMFA = true
	cases["reenroll-mfa"] = baseline.MakePlan(reenroll, done)
	unfinished := done
	unfinished.MFADevices = append(slices.Clone(done.MFADevices),
		baseline.MFADevice{SerialNumber: "arn:aws:iam::123456789012:mfa/administrator-2", EnableDate: used})
	cases["reenroll-mfa-unfinished"] = baseline.MakePlan(reenroll, unfinished)

	withAlias := spec
	withAlias.AccountAlias = "other"
	withAlias.ResetPassword = true
	cases["alias-taken-reset"] = baseline.MakePlan(withAlias, done)

	partial := done
	partial.Caller = admin
	partial.Group = &baseline.GroupState{Name: "admin"}
	partial.User = &baseline.UserState{Name: "administrator"}
	partial.LoginProfile = nil
	partial.MFADevices = nil
	partial.AccountAliases = nil
	partial.UnassignedVirtualMFA = []string{"arn:aws:iam::123456789012:mfa/administrator"}
	partial.PasswordPolicy = &baseline.PasswordPolicy{MinimumLength: 20, ReusePrevention: 3, RequireSymbols: true}
	// The caller is in the group and signs with an access key; the policy
	// there is an older one.
	partial.Caller.LongTermKey = true
	partial.GroupMembers = []string{"ops"}
	partial.GroupMFAPolicy = ptr(strings.Replace(mfapolicy.Document("aws").JSON(), `"iam:ResyncMFADevice",`, "", 1))
	newAlias := spec
	newAlias.AccountAlias = "acme"
	cases["partial"] = baseline.MakePlan(newAlias, partial)

	tempPassword := done
	tempPassword.User = &baseline.UserState{Name: "administrator"}
	tempPassword.LoginProfile = &baseline.LoginProfileState{PasswordResetRequired: true}
	tempPassword.MFADevices = nil
	tempPassword.AccountAliases = nil
	tempPassword.PasswordPolicy = &baseline.PasswordPolicy{MinimumLength: 20, ReusePrevention: 24, MaxAgeDays: 30}
	tempPassword.GroupMFAPolicy = partial.GroupMFAPolicy
	skip := spec
	skip.SkipMFA = true
	skip.RequireMFA = false
	cases["temp-password-skip-mfa"] = baseline.MakePlan(skip, tempPassword)

	weaker := skip
	weaker.AllowWeakerPasswordPolicy = true
	cases["allow-weaker"] = baseline.MakePlan(weaker, tempPassword)

	keys := []baseline.RootAccessKey{{ID: "AKIAUNUSED", Active: true}, {ID: "AKIAKEPT"}, {ID: "AKIAINUSE", Active: true, InUse: true}}
	cases["root-keys-deleted"] = baseline.PlanRootAccessKeyDeletion(baseline.MakePlan(spec, fresh), keys,
		func(k baseline.RootAccessKey) bool { return k.ID != "AKIAKEPT" })
	cases["root-key-in-use-only"] = baseline.PlanRootAccessKeyDeletion(baseline.MakePlan(spec, fresh), keys[2:], nil)

	support := spec
	support.SupportRole = "aws-support"
	cases["support-role-new"] = baseline.MakePlan(support, done)
	noPolicy := done
	noPolicy.SupportRole = &baseline.RoleState{Name: "aws-support", ARN: "arn:aws:iam::123456789012:role/aws-support"}
	cases["support-role-without-policy"] = baseline.MakePlan(support, noPolicy)
	ready := done
	ready.SupportRole = &baseline.RoleState{Name: "aws-support", ARN: "arn:aws:iam::123456789012:role/aws-support",
		AttachedPolicies: []string{"arn:aws:iam::aws:policy/AWSSupportAccess"}}
	cases["support-role-ready"] = baseline.MakePlan(support, ready)

	team := baseline.SecurityContact{Name: "Sec Team", Title: "Security", Email: "security@example.com", Phone: "+1 555 0100"}
	contact := spec
	contact.SecurityContact = &team
	cases["security-contact-new"] = baseline.MakePlan(contact, done)
	oldContact := done
	oldContact.SecurityContact = &baseline.SecurityContact{Name: "Old", Title: "CISO", Email: "old@example.com", Phone: "+1 555 0199"}
	cases["security-contact-differs"] = baseline.MakePlan(contact, oldContact)
	sameContact := done
	sameContact.SecurityContact = &team
	cases["security-contact-already"] = baseline.MakePlan(contact, sameContact)
	cases["security-contact-is"] = baseline.MakePlan(spec, sameContact)

	analyzers := spec
	analyzers.AccessAnalyzer = true
	someRegions := done
	someRegions.Analyzers = []baseline.RegionAnalyzers{{Region: "eu-west-1", Active: []string{"existing"}}, {Region: "us-east-1"}, {Region: "us-west-2"}}
	cases["access-analyzer-missing"] = baseline.MakePlan(analyzers, someRegions)
	allRegions := done
	allRegions.Analyzers = []baseline.RegionAnalyzers{{Region: "eu-west-1", Active: []string{"existing"}}, {Region: "us-east-1", Active: []string{"iam-baseline"}}}
	cases["access-analyzer-everywhere"] = baseline.MakePlan(analyzers, allRegions)

	gov := fresh
	gov.Caller = baseline.Caller{AccountID: "123456789012", Partition: "aws-us-gov", ARN: "arn:aws-us-gov:iam::123456789012:user/ops"}
	cases["govcloud"] = baseline.MakePlan(spec, gov)

	// A group member signing with temporary credentials (maybe with MFA),
	// and a role, which a group's policy does not cover.
	member := done
	member.GroupMFAPolicy = nil
	member.GroupMembers = []string{"administrator", "ops"}
	cases["member-session"] = baseline.MakePlan(spec, member)
	role := member
	role.Caller = baseline.Caller{AccountID: "123456789012", Partition: "aws", ARN: "arn:aws:sts::123456789012:assumed-role/Admin/alice"}
	cases["assumed-role"] = baseline.MakePlan(spec, role)
	return cases
}

func ptr[T any](v T) *T { return &v }

// korean words the views in Korean.
var korean = locale.New(language.Korean)

// TestPlanGolden pins the text and JSON plan views, byte for byte: the JSON
// is a versioned contract (docs/plan-format.md).
func TestPlanGolden(t *testing.T) {
	for name, plan := range planCases() {
		t.Run(name, func(t *testing.T) {
			var text, js bytes.Buffer
			if err := (flagView{stdout: &text}).ShowPlan(plan); err != nil {
				t.Fatal(err)
			}
			if err := (flagView{stdout: &js, json: true, dryRun: true}).ShowPlan(plan); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("plans", name+".txt"), text.Bytes())
			golden(t, filepath.Join("plans", name+".json"), js.Bytes())

			var koText, koJS bytes.Buffer
			if err := (flagView{stdout: &koText, tr: korean}).ShowPlan(plan); err != nil {
				t.Fatal(err)
			}
			if err := (flagView{stdout: &koJS, json: true, dryRun: true, tr: korean}).ShowPlan(plan); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("plans", name+".ko.txt"), koText.Bytes())
			if koJS.String() != js.String() {
				t.Errorf("the JSON plan changes with the language:\nko:\n%s\nen:\n%s", koJS.String(), js.String())
			}
		})
	}
}

// TestEveryReasonCodeIsWorded: a reason code added to the engine without
// its wording here would reach the user as a bare code.
func TestEveryReasonCodeIsWorded(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filepath.Join("..", "..", "baseline", "reason.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok {
					continue
				}
				n++
				code := baseline.ReasonCode(strings.Trim(lit.Value, `"`))
				if got := wordReason(locale.English, baseline.Reason{Code: code}); got == string(code) || got == "" {
					t.Errorf("%s (%q) has no wording", name.Name, code)
				}
			}
		}
	}
	if n < 30 {
		t.Fatalf("found only %d reason codes in baseline/reason.go", n)
	}
}

func TestPlanTextColour(t *testing.T) {
	plan := planCases()["fresh-root"]
	var plain, colored bytes.Buffer
	if err := writePlanText(&plain, locale.English, plan, false, 0); err != nil {
		t.Fatal(err)
	}
	if err := writePlanText(&colored, locale.English, plan, true, 0); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") || !strings.Contains(colored.String(), "\x1b[") {
		t.Errorf("escape codes belong in the coloured plan only:\nplain:\n%q\ncoloured:\n%q", plain.String(), colored.String())
	}
}

// summaryCases are the ends of runs the summaries word.
func summaryCases() map[string]outcome {
	plan := planCases()["fresh-root"]
	done := []baseline.StepResult{
		{Step: baseline.StepAdminGroup, Action: baseline.ActionCreate, Done: []locale.Msg{locale.M("created group %s", "admin"), locale.M("attached %s to group %s", "arn:aws:iam::aws:policy/AdministratorAccess", "admin")}},
		{Step: baseline.StepAdminUser, Action: baseline.ActionCreate, Done: []locale.Msg{locale.M("created user %s", "administrator"), locale.M("created a console password for %s (must be changed at first sign-in)", "administrator")}},
		{Step: baseline.StepUserMFA, Action: baseline.ActionCreate, Done: []locale.Msg{locale.M("enabled virtual MFA device %s for %s", "arn:aws:iam::123456789012:mfa/administrator", "administrator")}},
	}
	res := baseline.Result{Account: plan.Account, UserName: "administrator", SignInURL: plan.Account.SignInURL,
		Steps: done, Password: secret.New("Example-Temp-Pa55word"), PasswordSet: true, Manual: plan.Manual()}
	nothing := planCases()["done"]
	return map[string]outcome{
		"applied-password-file": {plan: plan, applied: true, res: res,
			delivery: delivery{file: "/tmp/administrator.pw", mfaSecretFile: "/tmp/administrator.mfa"}},
		"applied-password-shown-uncertain": {plan: plan, applied: true, res: res, delivery: delivery{shown: true, uncertain: true}},
		"nothing-to-change": {plan: nothing, res: baseline.Result{Account: nothing.Account, UserName: "administrator",
			SignInURL: nothing.Account.SignInURL, Manual: nothing.Manual()}},
	}
}

// TestSummaryGolden pins the text and JSON summaries of flag mode.
func TestSummaryGolden(t *testing.T) {
	for name, out := range summaryCases() {
		t.Run(name, func(t *testing.T) {
			var text, js bytes.Buffer
			if err := (flagView{stdout: &text}).Summary(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			if err := (flagView{stdout: &js, json: true}).Summary(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("summaries", name+".txt"), text.Bytes())
			golden(t, filepath.Join("summaries", name+".json"), js.Bytes())

			var koText, koJS bytes.Buffer
			if err := (flagView{stdout: &koText, tr: korean}).Summary(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			if err := (flagView{stdout: &koJS, json: true, tr: korean}).Summary(context.Background(), out); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("summaries", name+".ko.txt"), koText.Bytes())
			if koJS.String() != js.String() {
				t.Errorf("the JSON summary changes with the language:\nko:\n%s\nen:\n%s", koJS.String(), js.String())
			}
		})
	}
}
