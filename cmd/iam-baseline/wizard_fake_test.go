package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// fakeUI answers the wizard's questions from its fields and records what
// was asked and shown, so the wizard's decisions are tested without
// keystrokes: a new question changes one field here, not every test.
type fakeUI struct {
	// Answers to the questions that are asked ("" keeps the default).
	user, group, alias string
	applyPlan          bool
	deleteRootKeys     bool
	replaceAlias       bool
	noRequireMFA       bool // answers the MFA requirement question no
	confirmLockout     bool // answers the caller lockout question yes
	notSaved           bool // does not say the password shown early is saved
	opt                fakeOptIns

	asked []string // "names", "alias", "policy", "require-mfa", "replace alias <old> <URL>", "root key <id>", "lockout", "confirm"
	// failed are the failed steps' errors as the progress shows them.
	failed []string
	found  prompt.Found
	// status is the checklist shown to a returning operator.
	status []prompt.Finding
	// resetPassword, reenrollMFA answer the returning operator's questions.
	resetPassword, reenrollMFA bool
	plans                      []string
	notes                      []string
	card                       *prompt.ClosingCard
	early                      *prompt.ClosingCard // the password shown before the root key in use goes
}

func (f *fakeUI) ShowFound(found prompt.Found) { f.found = found }

func (f *fakeUI) ShowStatus(heading string, items []prompt.Finding) {
	f.asked = append(f.asked, "status")
	f.status = items
}

func (f *fakeUI) AskNames(_ context.Context, a *prompt.Answers, _ prompt.Validators) error {
	if a.Group.Given && a.User.Given {
		return nil
	}
	f.asked = append(f.asked, "names")
	if f.group != "" && !a.Group.Given {
		a.Group.Value = f.group
	}
	if f.user != "" && !a.User.Given {
		a.User.Value = f.user
	}
	return nil
}

func (f *fakeUI) AskAccountAlias(_ context.Context, a *prompt.Answers, _ prompt.Validators, _ func(string) string) error {
	if a.AccountAlias.Given {
		return nil
	}
	f.asked = append(f.asked, "alias")
	a.AccountAlias.Value = f.alias
	return nil
}

func (f *fakeUI) AskPasswordPolicy(_ context.Context, a *prompt.Answers, _ prompt.Validators, _ prompt.PolicyQuestion) error {
	if !a.Policy.Given {
		f.asked = append(f.asked, "policy")
	}
	return nil
}

func (f *fakeUI) ConfirmRootKeyDeletion(_ context.Context, keyID string, _ bool) (bool, error) {
	f.asked = append(f.asked, "root key "+keyID)
	return f.deleteRootKeys, nil
}

func (f *fakeUI) ConfirmAliasReplacement(_ context.Context, current, _, currentURL string) (bool, error) {
	f.asked = append(f.asked, "replace alias "+current+" "+currentURL)
	return f.replaceAlias, nil
}

func (f *fakeUI) AskYesNo(_ context.Context, title, _ string, value *bool) error {
	if strings.HasPrefix(title, "Require MFA") {
		f.asked = append(f.asked, "require-mfa")
		*value = !f.noRequireMFA
		return nil
	}
	switch {
	case strings.HasPrefix(title, "Set a new temporary console password"):
		f.asked = append(f.asked, "reset-password")
		*value = f.resetPassword
		return nil
	case strings.HasPrefix(title, "Replace"):
		f.asked = append(f.asked, "reenroll-mfa")
		*value = f.reenrollMFA
		return nil
	}
	f.asked = append(f.asked, "lockout")
	*value = f.confirmLockout
	return nil
}

func (f *fakeUI) ShowPlan(planText string) { f.plans = append(f.plans, planText) }

func (f *fakeUI) ConfirmPlan(_ context.Context, planText string, _ int) (bool, error) {
	f.asked = append(f.asked, "confirm")
	f.plans = append(f.plans, planText)
	return f.applyPlan, nil
}

func (f *fakeUI) Note(text string)             { f.notes = append(f.notes, text) }
func (f *fakeUI) Banner(_, text string)        { f.notes = append(f.notes, text) }
func (f *fakeUI) MFASource() *prompt.MFASource { return nil }
func (f *fakeUI) EndMFAScreen()                {}
func (f *fakeUI) StepStarted(string)           {}
func (f *fakeUI) StepDone(string, string)      {}
func (f *fakeUI) StepSkipped(string, string)   {}
func (f *fakeUI) StepFailed(_ string, err error) {
	f.failed = append(f.failed, err.Error())
}
func (f *fakeUI) ShowClosingCard(_ context.Context, c prompt.ClosingCard) error {
	f.card = &c
	return nil
}

func (f *fakeUI) ShowPasswordBeforeKeyDeletion(_ context.Context, c prompt.ClosingCard) error {
	f.early = &c
	if f.notSaved {
		return prompt.ErrAborted
	}
	return nil
}

// TestWizardDecisions covers the wizard's branches, flags given x account
// state, through fakeUI. A few accessible-mode and tmux runs
// (wizard_test.go, tmux_*_test.go) remain the end-to-end proof.
func TestWizardDecisions(t *testing.T) {
	withAlias := func(t *testing.T, c *iam.Client) {
		if _, err := c.CreateAccountAlias(context.Background(), &iam.CreateAccountAliasInput{AccountAlias: aws.String("acme")}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		account func(*testing.T, *iam.Client)
		given   []string
		spec    func(*baseline.Spec)
		ui      fakeUI
		// want
		asked   []string
		err     error
		applied bool
		user    string
		alias   string // the account's alias at the end ("" to not check)
		// usageFlag: a usage error naming this flag is wanted.
		usageFlag string
	}{
		{name: "fresh account, nothing given: every question", ui: fakeUI{user: "alice", applyPlan: true},
			asked: []string{"names", "alias", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "alice"},
		{name: "names given by flags are not asked", given: []string{flagGroup, flagUser}, ui: fakeUI{user: "ignored", applyPlan: true},
			asked: []string{"alias", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "administrator"},
		{name: "an account with an alias is not offered one", account: withAlias, ui: fakeUI{applyPlan: true},
			asked: []string{"names", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "administrator"},
		{name: "--account-alias over another alias asks to replace it", account: withAlias, given: []string{flagAccountAlias},
			spec: func(s *baseline.Spec) { s.AccountAlias = "newco" }, ui: fakeUI{applyPlan: true, replaceAlias: true},
			asked:   []string{"names", "policy", "require-mfa", "replace alias acme https://acme.signin.aws.amazon.com/console", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"},
			applied: true, user: "administrator", alias: "newco"},
		{name: "a declined alias replacement keeps the alias", account: withAlias, given: []string{flagAccountAlias},
			spec: func(s *baseline.Spec) { s.AccountAlias = "newco" }, ui: fakeUI{applyPlan: true},
			asked:   []string{"names", "policy", "require-mfa", "replace alias acme https://acme.signin.aws.amazon.com/console", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"},
			applied: true, user: "administrator", alias: "acme"},
		{name: "--replace-account-alias answers the alias question", account: withAlias, given: []string{flagAccountAlias, flagReplaceAccountAlias},
			spec: func(s *baseline.Spec) { s.AccountAlias = "newco" }, ui: fakeUI{applyPlan: true},
			asked: []string{"names", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "administrator", alias: "newco"},
		{name: "--yes does not replace an alias", account: withAlias, given: []string{flagAccountAlias, flagYes},
			spec: func(s *baseline.Spec) { s.AccountAlias = "newco" }, ui: fakeUI{},
			asked: []string{"names", "policy", "require-mfa"}, usageFlag: flagReplaceAccountAlias},
		{name: "--delete-root-access-keys answers the key question", given: []string{flagDeleteRootAccessKeys},
			spec: func(s *baseline.Spec) { s.DeleteRootAccessKeys = true }, ui: fakeUI{applyPlan: true},
			asked: []string{"names", "alias", "policy", "require-mfa", "confirm"}, applied: true, user: "administrator"},
		{name: "--yes skips the confirmation", given: []string{flagYes}, ui: fakeUI{},
			asked: []string{"names", "alias", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID}, applied: true, user: "administrator"},
		{name: "a declined plan changes nothing", ui: fakeUI{applyPlan: false},
			asked: []string{"names", "alias", "policy", "require-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, err: errNotApplied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := iamsim.NewServer(iamsim.Options{})
			t.Cleanup(srv.Close)
			cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
			if tt.account != nil {
				tt.account(t, iam.NewFromConfig(cfg))
			}
			srv.Sim.ResetLog()
			spec := skipMFA()
			if tt.spec != nil {
				tt.spec(&spec)
			}
			ui := tt.ui
			gotSpec, res, err := runWizard(context.Background(), wizardRun{
				Deps:     simDeps(cfg, iamsim.DefaultRootAccessKeyID),
				Spec:     spec,
				Given:    func(flag string) bool { return slices.Contains(tt.given, flag) },
				Yes:      slices.Contains(tt.given, flagYes),
				UI:       &ui,
				PlanText: renderPlanText(locale.English, false, 0),
			})
			var usage *usageError
			switch {
			case tt.usageFlag != "":
				if !errors.As(err, &usage) || !slices.Contains(usage.flags, tt.usageFlag) {
					t.Fatalf("error %v, want a usage error naming --%s", err, tt.usageFlag)
				}
			case !errors.Is(err, tt.err):
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if !slices.Equal(ui.asked, tt.asked) {
				t.Errorf("asked %q, want %q", ui.asked, tt.asked)
			}
			mutated := len(srv.Sim.MutatingRequests()) > 0
			if mutated != tt.applied || (ui.card != nil) != tt.applied {
				t.Fatalf("applied: requests %v, card %v; want %v", mutated, ui.card != nil, tt.applied)
			}
			if !tt.applied {
				return
			}
			if gotSpec.UserName != tt.user || gotSpec.MFADeviceName != tt.user || res.UserName != tt.user {
				t.Errorf("user %q, device %q, result %q; want %q for all", gotSpec.UserName, gotSpec.MFADeviceName, res.UserName, tt.user)
			}
			// Checked with a key of its own: the run may have deleted the
			// root key it signed with, and a deleted key stays refused.
			check := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, "AKIAIAMSIMCHECK00000"))
			if _, err := check.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String(tt.user)}); err != nil {
				t.Errorf("user %s was not created: %v", tt.user, err)
			}
			if tt.alias != "" {
				out, err := check.ListAccountAliases(context.Background(), &iam.ListAccountAliasesInput{})
				if err != nil || !slices.Equal(out.AccountAliases, []string{tt.alias}) {
					t.Errorf("aliases %v (%v), want [%s]", out.AccountAliases, err, tt.alias)
				}
			}
			if ui.card.Password.IsZero() == (ui.early == nil || ui.early.Password.IsZero()) {
				t.Error("the new password is not shown exactly once (card or before the root key in use was deleted)")
			}
		})
	}
}

// The wizard asks the lockout question when the administrator's own
// access key applies the MFA requirement: no changes nothing, yes applies;
// answering no to the requirement itself asks nothing more.
func TestWizardLockoutQuestion(t *testing.T) {
	for _, tt := range []struct {
		name    string
		ui      fakeUI
		asked   []string
		applied bool
	}{
		{name: "not confirmed", ui: fakeUI{applyPlan: true}, asked: []string{"names", "alias", "policy", "require-mfa", "lockout"}},
		{name: "confirmed", ui: fakeUI{applyPlan: true, confirmLockout: true}, asked: []string{"names", "alias", "policy", "require-mfa", "lockout", "confirm"}, applied: true},
		{name: "requirement declined", ui: fakeUI{applyPlan: true, noRequireMFA: true}, asked: []string{"names", "alias", "policy", "require-mfa"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := newMFAAccount(t)
			m.applied("--"+flagSkipMFA, "--"+flagRequireMFA+"=false")
			key := m.accessKey("administrator")
			cfg := iamsim.ClientConfig(m.srv.URL, key)
			m.srv.Sim.ResetLog()
			ui := tt.ui
			_, _, err := runWizard(context.Background(), wizardRun{
				Deps:     simDeps(cfg, key),
				Spec:     skipMFA(),
				Given:    func(string) bool { return false },
				UI:       &ui,
				PlanText: renderPlanText(locale.English, false, 0),
			})
			if !slices.Equal(ui.asked, tt.asked) {
				t.Errorf("asked %q, want %q", ui.asked, tt.asked)
			}
			mutated := m.srv.Sim.MutatingRequests()
			switch {
			case tt.applied && (err != nil || len(mutated) == 0):
				t.Fatalf("confirmed: %v, %d mutating requests", err, len(mutated))
			case !tt.applied && len(mutated) != 0:
				t.Fatalf("%d mutating requests, first %s", len(mutated), mutated[0].Action)
			case tt.name == "not confirmed" && (err == nil || !strings.Contains(err.Error(), "--"+flagConfirmRequireMFA)):
				t.Errorf("the refusal does not name the flag: %v", err)
			}
		})
	}
}

// The password is shown, and said to be saved, before the wizard deletes
// the root access key it signs with; unsaved, the key stays (issue 13,
// item 3: after that deletion no run could set another password).
func TestWizardShowsThePasswordBeforeDeletingTheKeyInUse(t *testing.T) {
	for _, saved := range []bool{true, false} {
		t.Run(fmt.Sprintf("saved=%v", saved), func(t *testing.T) {
			srv := iamsim.NewServer(iamsim.Options{})
			t.Cleanup(srv.Close)
			cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
			spec := skipMFA()
			spec.DeleteRootAccessKeys = true
			ui := fakeUI{applyPlan: true, notSaved: !saved}
			_, _, err := runWizard(context.Background(), wizardRun{
				Deps:     simDeps(cfg, iamsim.DefaultRootAccessKeyID),
				Spec:     spec,
				Given:    func(flag string) bool { return flag == flagDeleteRootAccessKeys },
				UI:       &ui,
				PlanText: renderPlanText(locale.English, false, 0),
			})
			if ui.early == nil || ui.early.Password.IsZero() {
				t.Fatal("the password was not shown before the root access key in use was to be deleted")
			}
			var deleted bool
			for _, e := range srv.Sim.Log() {
				deleted = deleted || (e.Action == "DeleteAccessKey" && e.Params["AccessKeyId"] == iamsim.DefaultRootAccessKeyID)
			}
			if saved {
				if err != nil || !deleted {
					t.Fatalf("saved: error %v, key deleted %v; want no error and the key deleted", err, deleted)
				}
				if ui.card == nil || !ui.card.Password.IsZero() || !strings.Contains(ui.card.PasswordNote, "shown before") {
					t.Errorf("the closing card shows the password again or does not say where it went: %+v", ui.card)
				}
				return
			}
			if err == nil || deleted {
				t.Fatalf("not saved: error %v, key deleted %v; want an error and the key kept", err, deleted)
			}
		})
	}
}
