package main

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// errNoMFAScreen stands for the usage error of a plan that enrolls MFA in a
// view with no MFA screen.
var errNoMFAScreen = errors.New("no MFA screen")

// TestWizardReturningOperator: on an account that already has the
// baseline, the wizard says so first, with the checklist, before any
// question, and asks only what a returning operator wants: a new temporary
// password and replacing a lost MFA device, both no by default.
func TestWizardReturningOperator(t *testing.T) {
	tests := []struct {
		name    string
		ui      fakeUI
		asked   []string
		err     error
		writes  []string // the mutating actions wanted, in any order
		planHas string
		check   func(t *testing.T, ui fakeUI, spec baseline.Spec)
	}{
		{name: "neither: nothing to do", ui: fakeUI{},
			asked: []string{"status", "reset-password", "reenroll-mfa"},
			check: func(t *testing.T, ui fakeUI, _ baseline.Spec) {
				if !slices.ContainsFunc(ui.notes, func(n string) bool { return strings.HasPrefix(n, "Nothing to do") }) {
					t.Errorf("no \"nothing to do\" note: %q", ui.notes)
				}
				if len(ui.plans) > 0 {
					t.Errorf("a plan was shown although there is nothing to do")
				}
			}},
		{name: "a new password: the --reset-password path", ui: fakeUI{resetPassword: true, applyPlan: true},
			// The root access key question is the wizard's with any change.
			asked:   []string{"status", "reset-password", "reenroll-mfa", "root key " + iamsim.DefaultRootAccessKeyID, "confirm"},
			writes:  []string{"UpdateLoginProfile"},
			planHas: "a new temporary password was asked for",
			check: func(t *testing.T, ui fakeUI, _ baseline.Spec) {
				if ui.card == nil || ui.card.Password.IsZero() {
					t.Error("the new password is not on the closing card")
				}
			}},
		// fakeUI has no MFA screen, so the operation stops where it would
		// show the QR code: the answer did reach the one operation's plan.
		{name: "a lost MFA device: the --reenroll-mfa plan", ui: fakeUI{reenrollMFA: true},
			asked: []string{"status", "reset-password", "reenroll-mfa", "root key " + iamsim.DefaultRootAccessKeyID}, err: errNoMFAScreen,
			check: func(t *testing.T, _ fakeUI, spec baseline.Spec) {
				if !spec.ReenrollMFA || spec.ResetPassword {
					t.Errorf("the answers made ReenrollMFA %v ResetPassword %v", spec.ReenrollMFA, spec.ResetPassword)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t, iamsim.Options{})
			r.wantCode(r.run("apply", "--yes", "--password-file", r.path("pw"), "--mfa-secret-file", r.path("admin.mfa")), ExitOK)
			r.sim.ResetLog()
			cfg := iamsim.ClientConfig(r.srv.URL, r.key)
			ui := tt.ui
			spec, _, err := runWizard(context.Background(), wizardRun{
				Deps: baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Rand: rand.Reader,
					SigningAccessKeyID: r.key},
				Spec:     baseline.DefaultSpec(),
				Given:    func(string) bool { return false },
				UI:       &ui,
				PlanText: renderPlanText(locale.English, false, 0),
				Tr:       locale.English,
			})
			if tt.err == errNoMFAScreen {
				var usage *usageError
				if !errors.As(err, &usage) || !slices.Contains(usage.flags, flagMFASecretFile) {
					t.Fatalf("error %v, want the one that asks where the MFA device is shown", err)
				}
			} else if !errors.Is(err, tt.err) {
				t.Fatalf("error %v, want %v", err, tt.err)
			}
			if !slices.Equal(ui.asked, tt.asked) {
				t.Errorf("asked %q, want %q", ui.asked, tt.asked)
			}
			if i := slices.IndexFunc(ui.status, func(f prompt.Finding) bool { return strings.HasPrefix(f.Text, "Virtual MFA device") }); i < 0 || !ui.status[i].OK {
				t.Errorf("the checklist lacks the user's MFA device: %+v", ui.status)
			}
			got := r.mutating()
			slices.Sort(got)
			if !slices.Equal(got, tt.writes) {
				t.Errorf("writes %v, want %v", got, tt.writes)
			}
			if tt.planHas != "" && !slices.ContainsFunc(ui.plans, func(p string) bool { return strings.Contains(p, tt.planHas) }) {
				t.Errorf("no plan holds %q:\n%s", tt.planHas, strings.Join(ui.plans, "\n"))
			}
			tt.check(t, ui, spec)
		})
	}
}
