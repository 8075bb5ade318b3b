package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/permissions"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// signAsOperator makes the rig's command line sign as a new IAM user,
// "operator", whose only permissions are policy (a customer managed policy
// attached to it).
func (r *rig) signAsOperator(policy permissions.Policy) {
	r.t.Helper()
	ctx := context.Background()
	must := func(_ any, err error) {
		r.t.Helper()
		if err != nil {
			r.t.Fatal(err)
		}
	}
	must(r.admin.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("operator")}))
	p, err := r.admin.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("iam-baseline"), PolicyDocument: aws.String(string(policy.JSON()))})
	if err != nil {
		r.t.Fatal(err)
	}
	must(r.admin.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("operator"), PolicyArn: p.Policy.Arn}))
	k, err := r.admin.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("operator")})
	if err != nil {
		r.t.Fatal(err)
	}
	r.key = aws.ToString(k.AccessKey.AccessKeyId)
}

// lpStep is one command of the end-to-end scenarios, with the exit codes
// that count as success.
type lpStep struct {
	name  string
	setup func(r *rig)
	args  func(r *rig) []string
	codes []int
}

// leastPrivilegeSteps are the end-to-end scenarios, in an order that takes
// one account from fresh to the full baseline and on.
var leastPrivilegeSteps = []lpStep{
	{name: "plan text", args: func(*rig) []string { return []string{"plan"} }, codes: []int{ExitOK}},
	{name: "plan json", args: func(*rig) []string { return []string{"plan", "--output", "json"} }, codes: []int{ExitOK}},
	{name: "dry-run with changes", args: func(*rig) []string { return []string{"apply", "--dry-run", "--detailed-exitcode"} }, codes: []int{ExitChanges}},
	{name: "status on a fresh account", args: func(*rig) []string { return []string{"status"} }, codes: []int{ExitOK, ExitFindings}},
	{
		name: "apply without MFA",
		args: func(r *rig) []string {
			return []string{"apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", r.path("first.pw")}
		},
		codes: []int{ExitOK},
	},
	{
		// An aborted run left an unassigned device with the name, and this
		// machine's clock is two minutes behind AWS's: the device is
		// resynced.
		name: "apply MFA and alias over a stale device, clock behind",
		setup: func(r *rig) {
			r.now = func() time.Time { return r.sim.Now().Add(-2 * time.Minute) }
			if _, err := r.admin.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")}); err != nil {
				r.t.Fatal(err)
			}
		},
		args: func(r *rig) []string {
			return []string{"apply", "--non-interactive", "--yes", "--mfa-secret-file", r.path("mfa.uri"), "--account-alias", "my-corp", "--support-role", "aws-support", "--access-analyzer",
				"--security-contact-name", "Sec Team", "--security-contact-title", "Security", "--security-contact-email", "security@example.com", "--security-contact-phone", "+1 555 0100"}
		},
		codes: []int{ExitOK},
	},
	{name: "plan with no changes", args: func(*rig) []string {
		return []string{"plan", "--detailed-exitcode", "--account-alias", "my-corp", "--support-role", "aws-support", "--access-analyzer",
			"--security-contact-name", "Sec Team", "--security-contact-title", "Security", "--security-contact-email", "security@example.com", "--security-contact-phone", "+1 555 0100"}
	}, codes: []int{ExitOK}},
	{name: "apply with no changes", args: func(*rig) []string { return []string{"apply", "--non-interactive", "--yes"} }, codes: []int{ExitOK}},
	{
		name: "reset the password, shown",
		args: func(*rig) []string {
			return []string{"apply", "--non-interactive", "--yes", "--reset-password", "--show-password", "--output", "json"}
		},
		codes: []int{ExitOK},
	},
	{
		name: "re-enroll the MFA device",
		args: func(r *rig) []string {
			return []string{"apply", "--non-interactive", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("mfa2.uri")}
		},
		codes: []int{ExitOK},
	},
	{name: "status text", args: func(*rig) []string { return []string{"status"} }, codes: []int{ExitOK, ExitFindings}},
	{name: "status json", args: func(*rig) []string { return []string{"status", "--output", "json"} }, codes: []int{ExitOK, ExitFindings}},
}

// runSteps runs the scenarios in order and returns the first that did not
// end with one of its codes (nil when all did).
func (r *rig) runSteps() (failed *lpStep, res runResult) {
	for i := range leastPrivilegeSteps {
		s := &leastPrivilegeSteps[i]
		if s.setup != nil {
			s.setup(r)
		}
		res = r.run(s.args(r)...)
		ok := false
		for _, c := range s.codes {
			ok = ok || res.code == c
		}
		// status carries on without what it may not read, and says so.
		if !ok || strings.Contains(res.stderr, "hint: the credentials may not call") {
			return s, res
		}
	}
	return nil, runResult{}
}

// TestScenariosNeedOnlyThePolicy runs every scenario signed as an IAM user
// that holds only `iam-baseline policy`, in the commercial and the GovCloud
// partition.
func TestScenariosNeedOnlyThePolicy(t *testing.T) {
	for _, acct := range []iamsim.AccountConfig{
		iamsim.DefaultAccount(),
		{ID: "111122223333", Partition: "aws-us-gov", RootAccessKeyIDs: []string{"AKIAGOVROOTEXAMPLE01"}},
	} {
		t.Run(acct.Partition, func(t *testing.T) {
			r := newRig(t, iamsim.Options{Accounts: []iamsim.AccountConfig{acct}})
			r.signAsOperator(permissions.Document())
			r.sim.ResetLog()
			if failed, res := r.runSteps(); failed != nil {
				t.Fatalf("%s (%v) exit %d under the least-privilege policy\nstdout:\n%s\nstderr:\n%s", failed.name, failed.args(r), res.code, res.stdout, res.stderr)
			}
			operator := "arn:" + r.partition + ":iam::" + r.acct + ":user/operator"
			for _, e := range r.sim.Log() {
				if e.ErrorCode == "AccessDenied" {
					t.Errorf("%s was denied (and the run carried on)", e.Action)
				}
				// Only the stale device the test itself made is signed by root.
				if e.Principal != operator && e.Action != "CreateVirtualMFADevice" {
					t.Errorf("%s signed by %s", e.Action, e.Principal)
				}
			}
			r.otherUsers = []string{"operator"}
			r.checkFullBaseline("my-corp")
			t.Logf("%d scenarios passed under the least-privilege policy", len(leastPrivilegeSteps))
		})
	}
}

// TestEachPolicyActionIsNeeded takes each action out of the policy in turn:
// some scenario then fails, exit 1, and says which action was denied and
// where the policy is.
func TestEachPolicyActionIsNeeded(t *testing.T) {
	var wg sync.WaitGroup
	for _, action := range permissions.Actions() {
		if action == "iam:ListEntitiesForPolicy" {
			continue // only the wizard needs it: TestWizardNeedsEachOptInRead
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(action, func(t *testing.T) {
				r := newRig(t, iamsim.Options{})
				r.signAsOperator(permissions.Document(action))
				failed, res := r.runSteps()
				if failed == nil {
					t.Fatalf("every scenario passed without %s: the policy allows more than the tool needs, or no scenario covers it", action)
				}
				// 1, or 3 for a status that could not make every check.
				if res.code != ExitError && res.code != ExitFindings {
					t.Errorf("%s: exit %d, want %d", failed.name, res.code, ExitError)
				}
				for _, want := range []string{action, "iam-baseline policy"} {
					if !strings.Contains(res.stderr, want) {
						t.Errorf("%s failed without naming %q:\n%s", failed.name, want, res.stderr)
					}
				}
				denied := false
				for _, e := range r.sim.Log() {
					// An implied action (iam:TagMFADevice) is denied to the
					// call it comes with.
					with := permissions.Implied()[strings.TrimPrefix(action, "iam:")]
					denied = denied || (strings.HasPrefix(e.ErrorCode, "AccessDenied") && (strings.HasSuffix(action, ":"+e.Action) || e.Action == with))
				}
				if !denied {
					t.Errorf("%s failed, but not because %s was denied:\n%s", failed.name, action, res.stderr)
				}
				t.Logf("without %s: %q fails", action, failed.name)
			})
		}()
	}
	wg.Wait()
}

func TestPolicyCommandPrintsThePolicy(t *testing.T) {
	r := runCLI(t, "policy") // fails the test if it loads AWS configuration
	mustCode(t, r, ExitOK)
	if r.stdout != string(permissions.Document().JSON()) || r.stderr != "" {
		t.Fatalf("stdout:\n%s\nstderr:\n%s", r.stdout, r.stderr)
	}
	mustCode(t, runCLI(t, "policy", "extra"), ExitUsage)
}

// TestWizardNeedsOnlyThePolicy drives the interactive wizard (accessible
// mode) signed as the IAM user that holds only `iam-baseline policy`, with
// the clients the app gives it, taking every opt-in fix its page offers.
func TestWizardNeedsOnlyThePolicy(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	r.signAsOperator(permissions.Document())
	r.sim.ResetLog()
	cfg := iamsim.ClientConfig(r.srv.URL, r.key)
	screen := &syncBuffer{}
	// names: defaults; alias: none; policy: recommended; MFA required;
	// every opt-in fix; plan: yes; password saved: yes.
	ui := prompt.New(prompt.Options{In: strings.NewReader("\n\n\n\ny\n" + optInsAll + "y\ny\n"), Out: screen, Accessible: true, NoColor: true})
	_, res, err := runWizard(context.Background(), wizardRun{
		Deps: simDeps(cfg, r.key),
		Spec: skipMFA(), Given: func(string) bool { return false }, UI: ui, PlanText: renderPlanText(locale.English, false, 0),
	})
	if err != nil {
		t.Fatalf("wizard as the least-privileged user: %v\n%s", err, screen)
	}
	if !res.PasswordSet {
		t.Fatalf("no password set:\n%s", screen)
	}
	if ok, _ := r.sim.CheckConsolePassword(r.acct, "administrator", res.Password.Reveal()); !ok {
		t.Error("the password the wizard showed is not the one in force")
	}
	for _, e := range r.sim.Log() {
		if e.ErrorCode == "AccessDenied" {
			t.Errorf("%s was denied", e.Action)
		}
	}
	m := r.mutating()
	for _, fix := range []string{"CreateRole", "AttachRolePolicy", "CreateAnalyzer", "PutAlternateContact"} {
		if !slices.Contains(m, fix) {
			t.Errorf("the opt-in fixes chosen made no %s: %v", fix, m)
		}
	}
	checkNoOptInGaps(t, iamsim.ClientConfig(r.srv.URL, iamsim.DefaultRootAccessKeyID))
}

// wizardOptInReads are what the wizard reads to offer the opt-in fixes, and
// how many of the page's input lines are left when each is denied (the part
// it reads is not offered).
var wizardOptInReads = map[string]int{
	"iam:ListEntitiesForPolicy":     5, // no support role question
	"account:ListRegions":           5, // no analyzer question
	"access-analyzer:ListAnalyzers": 5,
	"account:GetAlternateContact":   2, // no contact fields
}

// TestWizardNeedsEachOptInRead takes each of the opt-in page's reads out of
// the policy: the wizard still runs, says which part it cannot offer and
// why, and offers the rest. iam:ListEntitiesForPolicy is needed by the
// wizard alone, so this is its proof (TestEachPolicyActionIsNeeded runs the
// command line).
func TestWizardNeedsEachOptInRead(t *testing.T) {
	for action, lines := range wizardOptInReads {
		t.Run(action, func(t *testing.T) {
			r := newRig(t, iamsim.Options{})
			r.signAsOperator(permissions.Document(action))
			cfg := iamsim.ClientConfig(r.srv.URL, r.key)
			screen := &syncBuffer{}
			// The page answered with its defaults, then the plan declined.
			ui := prompt.New(prompt.Options{In: strings.NewReader("\n\n\n\ny\n" + strings.Repeat("\n", lines) + "n\n"), Out: screen, Accessible: true, NoColor: true})
			_, _, err := runWizard(context.Background(), wizardRun{
				Deps: simDeps(cfg, r.key),
				Spec: skipMFA(), Given: func(string) bool { return false }, UI: ui, PlanText: renderPlanText(locale.English, false, 0),
			})
			if !errors.Is(err, errNotApplied) {
				t.Fatalf("got %v, want the plan declined\n%s", err, screen)
			}
			_, name, _ := strings.Cut(action, ":")
			if !strings.Contains(screen.String(), "is not offered") || !strings.Contains(screen.String(), name) {
				t.Errorf("the wizard did not say which opt-in fix it cannot offer without %s:\n%s", action, screen)
			}
			denied := false
			for _, e := range r.sim.Log() {
				denied = denied || (strings.HasPrefix(e.ErrorCode, "AccessDenied") && e.Action == name)
			}
			if !denied {
				t.Errorf("%s was not denied", action)
			}
		})
	}
}
