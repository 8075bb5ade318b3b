package main

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
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

	asked []string // "names", "alias", "policy", "root key <id>", "confirm"
	found prompt.Found
	plans []string
	notes []string
	card  *prompt.ClosingCard
}

func (f *fakeUI) ShowFound(found prompt.Found) { f.found = found }

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
func (f *fakeUI) StepFailed(string, error)     {}
func (f *fakeUI) ShowClosingCard(_ context.Context, c prompt.ClosingCard) error {
	f.card = &c
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
	}{
		{name: "fresh account, nothing given: every question", ui: fakeUI{user: "alice", applyPlan: true},
			asked: []string{"names", "alias", "policy", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "alice"},
		{name: "names given by flags are not asked", given: []string{flagGroup, flagUser}, ui: fakeUI{user: "ignored", applyPlan: true},
			asked: []string{"alias", "policy", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "administrator"},
		{name: "an account with an alias is not offered one", account: withAlias, ui: fakeUI{applyPlan: true},
			asked: []string{"names", "policy", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, applied: true, user: "administrator"},
		{name: "--delete-root-access-keys answers the key question", given: []string{flagDeleteRootAccessKeys},
			spec: func(s *baseline.Spec) { s.DeleteRootAccessKeys = true }, ui: fakeUI{applyPlan: true},
			asked: []string{"names", "alias", "policy", "confirm"}, applied: true, user: "administrator"},
		{name: "--yes skips the confirmation", given: []string{flagYes}, ui: fakeUI{},
			asked: []string{"names", "alias", "policy", "root key " + iamsim.DefaultRootAccessKeyID}, applied: true, user: "administrator"},
		{name: "a declined plan changes nothing", ui: fakeUI{applyPlan: false},
			asked: []string{"names", "alias", "policy", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"}, err: errNotApplied},
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
				Deps: baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Rand: rand.Reader,
					SigningAccessKeyID: iamsim.DefaultRootAccessKeyID},
				Spec:     spec,
				Given:    func(flag string) bool { return slices.Contains(tt.given, flag) },
				Yes:      slices.Contains(tt.given, flagYes),
				UI:       &ui,
				PlanText: renderPlanText(false),
			})
			if !errors.Is(err, tt.err) {
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
			if ui.card.Password.IsZero() {
				t.Error("the card does not carry the new password")
			}
		})
	}
}
