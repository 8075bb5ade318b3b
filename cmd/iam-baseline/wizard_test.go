package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// syncBuffer is the wizard's screen in tests: written by the wizard,
// read by the test while it runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type wizardHarness struct {
	srv          *iamsim.Server
	iam          *iam.Client
	screen       *syncBuffer
	passwordFile string
	// tr is the wizard's language (the zero Printer: English).
	tr locale.Printer
}

func newWizardHarness(t *testing.T) *wizardHarness {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	return &wizardHarness{srv: srv, iam: iam.NewFromConfig(cfg), screen: &syncBuffer{}}
}

// run drives the wizard in accessible mode with input and returns its
// result.
func (h *wizardHarness) run(ctx context.Context, input string, spec baseline.Spec, given ...string) (baseline.Result, error) {
	cfg := iamsim.ClientConfig(h.srv.URL, iamsim.DefaultRootAccessKeyID)
	ui := prompt.New(prompt.Options{In: strings.NewReader(input), Out: h.screen, Accessible: true, NoColor: true, Tr: h.tr})
	_, res, err := runWizard(ctx, wizardRun{
		Deps:         simDeps(cfg, iamsim.DefaultRootAccessKeyID),
		Spec:         spec,
		Given:        func(flag string) bool { return contains(given, flag) },
		UI:           ui,
		PlanText:     renderPlanText(h.tr, false, 0),
		PasswordFile: h.passwordFile,
		Tr:           h.tr,
	})
	return res, err
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// optInsKept answers the opt-in page a fresh account gets (wizard_optin.go)
// with its defaults: no support role, no analyzer, the four security contact
// fields left empty.
const optInsKept = "\n\n\n\n\n\n"

// optInsAll answers the same page yes, yes and a valid security contact.
const optInsAll = "y\ny\nSec Team\nSecurity\nsecurity@example.com\n+1 555 0100\n"

func skipMFA() baseline.Spec {
	s := baseline.DefaultSpec()
	s.SkipMFA = true
	return s
}

func TestWizardDefaultsReachTheBaseline(t *testing.T) {
	h := newWizardHarness(t)
	// names: defaults; alias: none; policy: recommended; root key: kept;
	// plan: yes; password saved: yes.
	res, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\ny\n", skipMFA())
	if err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	screen := h.screen.String()
	for _, want := range []string{"What I found", "A root access key signs this run", "AWS CloudShell", "Apply 4 changes?", "https://123456789012.signin.aws.amazon.com/console"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if !res.PasswordSet || strings.Count(screen, res.Password.Reveal()) != 1 {
		t.Errorf("the temporary password must be on the screen exactly once:\n%s", screen)
	}
	ctx := context.Background()
	if _, err := h.iam.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("administrator")}); err != nil {
		t.Errorf("administrator has no console password: %v", err)
	}
	groups, err := h.iam.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("administrator")})
	if err != nil || len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != "admin" {
		t.Errorf("administrator is not in admin: %v %v", groups, err)
	}
	pol, err := h.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil || aws.ToInt32(pol.PasswordPolicy.MinimumPasswordLength) != 14 {
		t.Errorf("the recommended password policy was not set: %v %v", pol, err)
	}
}

func TestWizardAnswersShapeThePlan(t *testing.T) {
	h := newWizardHarness(t)
	// group: a bad name, then ops; user: alice; alias: acme-lab;
	// policy: AWS default; root key kept; apply; saved.
	res, err := h.run(context.Background(), "ops team\nops\nalice\nacme-lab\n2\n\n"+optInsKept+"\ny\ny\n", skipMFA())
	if err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	if !strings.Contains(h.screen.String(), "contains ' '") {
		t.Errorf("the bad group name was not refused with a reason:\n%s", h.screen)
	}
	if res.SignInURL != "https://acme-lab.signin.aws.amazon.com/console" || res.UserName != "alice" {
		t.Errorf("got sign-in URL %q for %q", res.SignInURL, res.UserName)
	}
	ctx := context.Background()
	groups, err := h.iam.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("alice")})
	if err != nil || len(groups.Groups) != 1 || aws.ToString(groups.Groups[0].GroupName) != "ops" {
		t.Errorf("alice is not in ops: %v %v", groups, err)
	}
	pol, err := h.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil || aws.ToInt32(pol.PasswordPolicy.MinimumPasswordLength) != 8 {
		t.Errorf("the AWS-default preset was not set: %v %v", pol, err)
	}
}

func TestWizardFlagsSkipTheirQuestions(t *testing.T) {
	h := newWizardHarness(t)
	spec := skipMFA()
	spec.GroupName, spec.UserName, spec.AccountAlias = "ops", "bob", "acme-ops"
	spec.PasswordPolicy.MinimumLength = 20
	// only the root key, the plan confirmation and the card are left.
	_, err := h.run(context.Background(), "\n"+optInsKept+"\ny\ny\n", spec, "group", "user", "account-alias", "password-min-length")
	if err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	for _, asked := range []string{"Name of the admin group", "Name of the administrator user", "Account alias (optional)", "Password policy"} {
		if strings.Contains(h.screen.String(), asked) {
			t.Errorf("%q was asked although its flag was given:\n%s", asked, h.screen)
		}
	}
	pol, err := h.iam.GetAccountPasswordPolicy(context.Background(), &iam.GetAccountPasswordPolicyInput{})
	if err != nil || aws.ToInt32(pol.PasswordPolicy.MinimumPasswordLength) != 20 {
		t.Errorf("--password-min-length 20 was not applied: %v %v", pol, err)
	}
}

func TestWizardRefusedConfirmationChangesNothing(t *testing.T) {
	h := newWizardHarness(t)
	_, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\nn\n", skipMFA())
	if !errors.Is(err, errNotApplied) {
		t.Fatalf("got %v, want errNotApplied\n%s", err, h.screen)
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Fatalf("declining the plan sent %d mutating requests, first %s", len(m), m[0].Action)
	}
}

func TestWizardAbortChangesNothing(t *testing.T) {
	for name, input := range map[string]string{
		"input ends at the names":        "",
		"input ends at the confirmation": "\n\n\n\n\n" + optInsKept + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			h := newWizardHarness(t)
			_, err := h.run(context.Background(), input, skipMFA())
			if !errors.Is(err, prompt.ErrAborted) || !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want an abort that exits as an interruption\n%s", err, h.screen)
			}
			if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
				t.Fatalf("an aborted wizard sent %d mutating requests, first %s", len(m), m[0].Action)
			}
		})
	}
}

// TestWizardSecondRunHasNothingToDo: a returning operator is told first
// that the account has the baseline, with its checklist, and asked only the
// returning operator's questions (here the new password; the user has no
// MFA device to replace), whose default No ends the run with nothing to do.
func TestWizardSecondRunHasNothingToDo(t *testing.T) {
	h := newWizardHarness(t)
	// The first run takes every opt-in fix the page offers.
	if _, err := h.run(context.Background(), "\n\n\n\n\n"+optInsAll+"\ny\ny\n", skipMFA()); err != nil {
		t.Fatalf("first run: %v\n%s", err, h.screen)
	}
	h.srv.Sim.ResetLog()
	h.screen = &syncBuffer{}
	// The returning operator's password question (the user has no MFA
	// device to replace); the account lacks no opt-in fix, so no page.
	if _, err := h.run(context.Background(), "\n", skipMFA()); err != nil {
		t.Fatalf("second run: %v\n%s", err, h.screen)
	}
	screen := h.screen.String()
	said, asked := strings.Index(screen, "The account already has the baseline"), strings.Index(screen, "Set a new temporary console password")
	if said < 0 || asked < said || !strings.Contains(screen, "Nothing to do") {
		t.Errorf("the second run should say first that the account has the baseline, then ask, then say there is nothing to do:\n%s", screen)
	}
	for _, q := range []string{"Name of the admin group", "Password policy", "Apply", "Create support role", "Create IAM Access Analyzer", "Security contact name"} {
		if strings.Contains(screen, q) {
			t.Errorf("the second run asked %q:\n%s", q, screen)
		}
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Errorf("the second run sent %d mutating requests", len(m))
	}
}

func TestWizardTypedRootKeyDeletionGoesLast(t *testing.T) {
	h := newWizardHarness(t)
	// a wrong confirmation is refused, then the key ID is typed.
	input := "\n\n\n\n\n" + optInsKept + "yes\n" + iamsim.DefaultRootAccessKeyID + "\n" + "y\ny\n"
	res, err := h.run(context.Background(), input, skipMFA())
	if err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	if !strings.Contains(h.screen.String(), "that is not "+iamsim.DefaultRootAccessKeyID) {
		t.Errorf("the wrong confirmation was not refused:\n%s", h.screen)
	}
	m := h.srv.Sim.MutatingRequests()
	if len(m) == 0 || m[len(m)-1].Action != "DeleteAccessKey" {
		t.Fatalf("the root key in use must be deleted last; mutating requests: %v", actionsOf(m))
	}
	last := res.Steps[len(res.Steps)-1]
	if last.Step != baseline.StepRootAccessKeyInUse || len(last.Done) == 0 {
		t.Fatalf("the last step is %s (%v), want the root key in use deleted", last.Step, last.Done)
	}
	if !strings.Contains(h.screen.String(), "these credentials no longer work") {
		t.Errorf("the card must say the credentials in use are gone:\n%s", h.screen)
	}
}

func TestWizardRootKeyKeptWhenNotTyped(t *testing.T) {
	h := newWizardHarness(t)
	if _, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\ny\n", skipMFA()); err != nil {
		t.Fatalf("wizard: %v", err)
	}
	for _, e := range h.srv.Sim.MutatingRequests() {
		if e.Action == "DeleteAccessKey" {
			t.Fatalf("a root key was deleted without its typed confirmation")
		}
	}
}

func actionsOf(entries []iamsim.LogEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Action)
	}
	return out
}

func TestWizardPasswordFile(t *testing.T) {
	h := newWizardHarness(t)
	h.passwordFile = filepath.Join(t.TempDir(), "administrator.pw")
	res, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\n", skipMFA())
	if err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	st, err := os.Stat(h.passwordFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("password file: %v, mode %v; want mode 0600\n%s", err, st, h.screen)
	}
	content, _ := os.ReadFile(h.passwordFile)
	if strings.TrimSpace(string(content)) != res.Password.Reveal() || res.Password.IsZero() {
		t.Fatalf("the file does not hold the password that was set")
	}
	if strings.Contains(h.screen.String(), res.Password.Reveal()) || strings.Contains(h.screen.String(), "Have you saved") {
		t.Errorf("with --password-file the password stays off the screen:\n%s", h.screen)
	}
}

// TestWizardPasswordFileBeforeAnyChange: the wizard shares flag mode's rule
// that the password file exists before any change, so a file that cannot be
// created stops the run with nothing changed (it used to be found out after
// the apply).
func TestWizardPasswordFileBeforeAnyChange(t *testing.T) {
	h := newWizardHarness(t)
	// A directory where the file should be: no secret file can be made.
	h.passwordFile = filepath.Join(t.TempDir(), "administrator.pw")
	if err := os.Mkdir(h.passwordFile, 0o700); err != nil {
		t.Fatal(err)
	}
	_, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\n", skipMFA())
	var usage *usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), "nothing was changed") {
		t.Fatalf("got %v, want a usage error saying nothing was changed", err)
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Fatalf("%d mutating requests before the password file existed: %v", len(m), actionsOf(m))
	}
}

func TestInteractiveDryRunPrintsThePlanOnly(t *testing.T) {
	h := newWizardHarness(t)
	cfg := iamsim.ClientConfig(h.srv.URL, iamsim.DefaultRootAccessKeyID)
	var stdout, stderr bytes.Buffer
	err := runInteractive(context.Background(), &Session{
		Env:              newTestEnv(&stdout, &stderr),
		Spec:             skipMFA(),
		FlagSet:          func(string) bool { return false },
		Deps:             simDeps(cfg, ""),
		DryRun:           true,
		DetailedExitcode: true,
	})
	var status exitStatus
	if !errors.As(err, &status) || status.code != ExitChanges {
		t.Fatalf("got %v, want the changes-present exit status", err)
	}
	if !strings.Contains(stdout.String(), "+ create") || stderr.Len() != 0 {
		t.Errorf("the plan goes to stdout and nothing is asked:\nstdout:\n%s\nstderr:\n%s", &stdout, &stderr)
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Fatalf("a dry run sent %d mutating requests", len(m))
	}
}

func TestWizardFailedStepSaysHowToFinish(t *testing.T) {
	h := newWizardHarness(t)
	// LimitExceeded: an error the SDK does not retry, so the test stays fast.
	h.srv.Sim.AddFault(iamsim.Fault{Action: "AttachGroupPolicy", Code: "LimitExceeded"})
	_, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\ny\n", skipMFA())
	if err == nil || !strings.Contains(err.Error(), "run again to finish") {
		t.Fatalf("got %v, want the failure with the hint to run again", err)
	}
	screen := h.screen.String()
	// The step's error is shown once: on its progress line, not again in
	// the final message.
	var final bytes.Buffer
	exitCode(&final, locale.English, 0, err, false, false)
	if n := strings.Count(screen+final.String(), "injected fault"); n != 1 {
		t.Errorf("the step's error is shown %d times:\n%s%s", n, screen, final.String())
	}
	for _, want := range []string{"Not finished", "Run iam-baseline again to finish", "✗ Group \"admin\" with AdministratorAccess"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	h.srv.Sim.ClearFaults()
	h.screen = &syncBuffer{}
	if _, err := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\n", skipMFA()); err != nil {
		t.Fatalf("the next run should finish the job: %v\n%s", err, h.screen)
	}
	if !strings.Contains(h.screen.String(), "attached arn:aws:iam::aws:policy/AdministratorAccess") {
		t.Errorf("the second run should attach the policy:\n%s", h.screen)
	}
}

// A password whose request was carried out but never answered (every
// attempt lost in a server error) may be in force: the wizard shows it with
// flag mode's "may not be in force" note instead of dropping it.
func TestWizardShowsAnUncertainPassword(t *testing.T) {
	h := newWizardHarness(t)
	h.srv.Sim.AddFault(iamsim.Fault{Action: "CreateLoginProfile", Code: "ServiceFailure", AfterHandling: true})
	h.srv.Sim.AddFault(iamsim.Fault{Action: "UpdateLoginProfile", Code: "ServiceFailure", AfterHandling: true})
	res, _ := h.run(context.Background(), "\n\n\n\n\n"+optInsKept+"\ny\ny\n", skipMFA())
	screen := h.screen.String()
	if !res.PasswordUncertain || res.Password.IsZero() || strings.Count(screen, res.Password.Reveal()) != 1 {
		t.Fatalf("the password that may be in force is not shown once (uncertain %v):\n%s", res.PasswordUncertain, screen)
	}
	if !strings.Contains(screen, "may not be in force") || strings.Contains(screen, "not set yet") {
		t.Errorf("the card lacks the note, or says no password was set:\n%s", screen)
	}
	if ok, _ := h.srv.Sim.CheckConsolePassword(iamsim.DefaultAccountID, "administrator", res.Password.Reveal()); !ok {
		t.Error("the password shown is not the one in force")
	}
}
