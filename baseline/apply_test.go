package baseline_test

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func simDeps(t *testing.T) (*iamsim.Server, baseline.Deps) {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	return srv, baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Rand: rand.Reader}
}

type recorder struct {
	mu     sync.Mutex
	events []baseline.Event
}

func (r *recorder) Report(e baseline.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

func TestApplyReportsStepsInPlanOrder(t *testing.T) {
	srv, deps := simDeps(t)
	// Latency lets the independent steps overlap, so the order of the
	// events is not an accident of timing.
	srv.Sim.SetLatency(20 * time.Millisecond)
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	spec.AccountAlias = "ordered"
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	plan := baseline.MakePlan(spec, st)
	rec := &recorder{}
	deps.Reporter = rec
	res, err := baseline.Apply(ctx, plan, deps)
	if err != nil {
		t.Fatal(err)
	}
	if len(rec.events) != 2*len(plan.Changes) {
		t.Fatalf("%d events for %d steps", len(rec.events), len(plan.Changes))
	}
	for i, c := range plan.Changes {
		start, end := rec.events[2*i], rec.events[2*i+1]
		if start.Step != c.Step || start.Kind != baseline.StepStarted || end.Step != c.Step || end.Kind != baseline.StepFinished {
			t.Errorf("events %d,%d = %s %s, %s %s; want %s started, finished", 2*i, 2*i+1, start.Step, start.Kind, end.Step, end.Kind, c.Step)
		}
		if c.Action.Mutates() && (len(end.Done) == 0 || end.Err != nil) {
			t.Errorf("%s: done %v err %v", c.Step, end.Done, end.Err)
		}
	}
	if !res.PasswordSet || res.Password.IsZero() {
		t.Error("no password in the result")
	}
	if err := baseline.DefaultPasswordPolicy().Satisfies(res.Password.Reveal()); err != nil {
		t.Error(err)
	}
	if res.SignInURL != "https://ordered.signin.aws.amazon.com/console" {
		t.Errorf("sign-in URL %s", res.SignInURL)
	}
	if got := len(res.Manual); got != 2 {
		t.Errorf("%d manual steps, want 2 (root keys, root MFA)", got)
	}
}

// TestApplyReplacesTheAlias: the account ends with the alias asked for, in
// place of the old one, and the result says which it replaced.
func TestApplyReplacesTheAlias(t *testing.T) {
	_, deps := simDeps(t)
	ctx := context.Background()
	if _, err := deps.IAM.CreateAccountAlias(ctx, &iam.CreateAccountAliasInput{AccountAlias: aws.String("old-name")}); err != nil {
		t.Fatal(err)
	}
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	spec.AccountAlias = "new-name"
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	res, err := baseline.Apply(ctx, baseline.MakePlan(spec, st), deps)
	if err != nil {
		t.Fatal(err)
	}
	out, err := deps.IAM.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})
	if err != nil || !slices.Equal(out.AccountAliases, []string{"new-name"}) {
		t.Fatalf("aliases %v, %v; want [new-name]", out.AccountAliases, err)
	}
	for _, s := range res.Steps {
		if s.Step == baseline.StepAccountAlias && !slices.Equal(s.Done, []string{"replaced account alias old-name with new-name"}) {
			t.Errorf("done %q", s.Done)
		}
	}
}

func TestApplyRefusesMFAWithoutCodeSourceBeforeAnyChange(t *testing.T) {
	srv, deps := simDeps(t)
	spec := baseline.DefaultSpec()
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	_, err = baseline.Apply(ctx, baseline.MakePlan(spec, st), deps)
	if !errors.Is(err, baseline.ErrMFAUnavailable) {
		t.Fatalf("err = %v, want ErrMFAUnavailable", err)
	}
	if m := srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Errorf("mutating requests: %+v", m)
	}
}

func TestApplyKeepsPasswordWhenALaterStepFails(t *testing.T) {
	srv, deps := simDeps(t)
	srv.Sim.AddFault(iamsim.Fault{Action: "AddUserToGroup", Code: "AccessDenied"})
	res, err := planAndApplySkippingMFA(t, deps)
	if err == nil {
		t.Fatal("apply succeeded despite the fault")
	}
	if !res.PasswordSet || res.Password.IsZero() {
		t.Error("the password that was set is lost from the result")
	}
	var failed []baseline.StepID
	for _, s := range res.Steps {
		if s.Err() != nil {
			failed = append(failed, s.Step)
		}
	}
	if !slices.Equal(failed, []baseline.StepID{baseline.StepAdminUser}) {
		t.Errorf("failed steps %v, want [admin-user]", failed)
	}
}

func TestApplyDoesNotAddUserToAGroupThatFailed(t *testing.T) {
	srv, deps := simDeps(t)
	srv.Sim.AddFault(iamsim.Fault{Action: "CreateGroup", Code: "AccessDenied"})
	if _, err := planAndApplySkippingMFA(t, deps); err == nil {
		t.Fatal("apply succeeded")
	}
	for _, e := range srv.Sim.Log() {
		if e.Action == "AddUserToGroup" || e.Action == "AttachGroupPolicy" {
			t.Errorf("%s sent although the group could not be created", e.Action)
		}
	}
}

func planAndApplySkippingMFA(t *testing.T, deps baseline.Deps) (baseline.Result, error) {
	t.Helper()
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, deps, spec)
	if err != nil {
		t.Fatal(err)
	}
	return baseline.Apply(ctx, baseline.MakePlan(spec, st), deps)
}
