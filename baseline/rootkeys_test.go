package baseline_test

import (
	"context"
	"crypto/rand"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

const (
	rootKeyInUse  = "AKIAROOTINUSE0000001"
	rootKeySpare  = "AKIAROOTSPARE0000002"
	rootSession   = "ASIAROOTSESSION00003" // CloudShell-like: signs as root, not an access key
	rootAccountID = "111122223333"
)

type rootKeysEnv struct {
	srv  *iamsim.Server
	deps baseline.Deps
	spec baseline.Spec
}

// newRootKeysEnv is an account whose root has two access keys; the run signs
// with signer.
func newRootKeysEnv(t *testing.T, signer string) *rootKeysEnv {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{Accounts: []iamsim.AccountConfig{{
		ID: rootAccountID, RootAccessKeyIDs: []string{rootKeyInUse, rootKeySpare}, RootSigningKeyIDs: []string{rootSession},
	}}})
	t.Cleanup(srv.Close)
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	return &rootKeysEnv{srv: srv, deps: clientDeps(srv, signer), spec: spec}
}

func clientDeps(srv *iamsim.Server, key string) baseline.Deps {
	cfg := iamsim.ClientConfig(srv.URL, key)
	return baseline.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Rand: rand.Reader, SigningAccessKeyID: key}
}

func (e *rootKeysEnv) plan(t *testing.T) baseline.Plan {
	t.Helper()
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, e.deps, e.spec)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := baseline.PlanRootKeys(ctx, e.deps, e.spec, baseline.MakePlan(e.spec, st))
	if err != nil {
		t.Fatal(err)
	}
	return plan
}

func stepOf(t *testing.T, p baseline.Plan, step baseline.StepID) baseline.Change {
	t.Helper()
	for _, c := range p.Changes {
		if c.Step == step {
			return c
		}
	}
	t.Fatalf("no step %s in %v", step, p.Changes)
	return baseline.Change{}
}

func (e *rootKeysEnv) deletedKeys() []string {
	var out []string
	for _, l := range e.srv.Sim.MutatingRequests() {
		if l.Action == "DeleteAccessKey" && l.ErrorCode == "" {
			out = append(out, l.Params["AccessKeyId"])
		}
	}
	return out
}

func TestRootKeysDeletedWithTheKeyInUseLast(t *testing.T) {
	e := newRootKeysEnv(t, rootKeyInUse)
	e.spec.DeleteRootAccessKeys = true
	plan := e.plan(t)

	first := stepOf(t, plan, baseline.StepRootAccessKeys)
	if first.Action != baseline.ActionDelete || len(first.Details) != 1 || !strings.Contains(first.Details[0], rootKeySpare) {
		t.Fatalf("root-access-keys step: %s %v", first.Action, first.Details)
	}
	last := plan.Changes[len(plan.Changes)-1]
	if last.Step != baseline.StepRootAccessKeyInUse || last.Action != baseline.ActionDelete || !strings.Contains(last.Details[0], rootKeyInUse) {
		t.Fatalf("last step: %+v", last)
	}
	if r := last.Reasons; len(r) != 1 || r[0].Code != baseline.ReasonRootKeyInUseDelete || r[0].User != "administrator" || r[0].URL != plan.Account.SignInURL {
		t.Errorf("in-use step does not say how to sign in next: %+v", r)
	}

	e.srv.Sim.ResetLog()
	res, err := baseline.Apply(context.Background(), plan, e.deps)
	if err != nil {
		t.Fatal(err)
	}
	log := e.srv.Sim.MutatingRequests()
	if end := log[len(log)-1]; end.Action != "DeleteAccessKey" || end.Params["AccessKeyId"] != rootKeyInUse {
		t.Fatalf("the last request was %s %v, want the deletion of the key in use", end.Action, end.Params)
	}
	if got := e.deletedKeys(); len(got) != 2 || got[1] != rootKeyInUse {
		t.Errorf("deleted %v", got)
	}
	for _, l := range log[:len(log)-1] {
		if l.Params["AccessKeyId"] == rootKeyInUse {
			t.Errorf("the key in use was touched before the end: %+v", l)
		}
	}
	var done []string
	for _, s := range res.Steps {
		done = append(done, s.Done...)
	}
	if all := strings.Join(done, "\n"); !strings.Contains(all, "these credentials no longer work") || !strings.Contains(all, `sign in as "administrator"`) {
		t.Errorf("result does not say the credentials are gone:\n%s", all)
	}

	// The keys are gone: the old key is refused, and root (signing with a
	// session, as in CloudShell) sees no access key.
	_, err = clientDeps(e.srv, rootKeyInUse).IAM.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "InvalidClientTokenId" {
		t.Errorf("the deleted key still signs: %v", err)
	}
	sum, err := clientDeps(e.srv, rootSession).IAM.GetAccountSummary(context.Background(), &iam.GetAccountSummaryInput{})
	if err != nil || sum.SummaryMap["AccountAccessKeysPresent"] != 0 {
		t.Errorf("root still has access keys: %v %v", sum, err)
	}
}

func TestRootKeyInUseKeptWhenAStepFails(t *testing.T) {
	e := newRootKeysEnv(t, rootKeyInUse)
	e.spec.DeleteRootAccessKeys = true
	plan := e.plan(t)
	e.srv.Sim.AddFault(iamsim.Fault{Action: "CreateUser", Code: "ServiceFailure"})
	_, err := baseline.Apply(context.Background(), plan, e.deps)
	if err == nil {
		t.Fatal("apply succeeded although CreateUser failed")
	}
	for _, id := range e.deletedKeys() {
		if id == rootKeyInUse {
			t.Fatal("the key in use was deleted although a step failed: the next run could not finish")
		}
	}
	if !strings.Contains(err.Error(), "keeping root access key in use") {
		t.Errorf("error does not say the key was kept: %v", err)
	}
}

func TestRootKeysWithoutTheFlagStayManual(t *testing.T) {
	e := newRootKeysEnv(t, rootKeyInUse)
	plan := e.plan(t)
	c := stepOf(t, plan, baseline.StepRootAccessKeys)
	if c.Action != baseline.ActionManual || len(c.ManualSteps) == 0 {
		t.Fatalf("root-access-keys: %s %v", c.Action, c.ManualSteps)
	}
	for _, ch := range plan.Changes {
		if ch.Step == baseline.StepRootAccessKeyInUse {
			t.Fatal("an in-use deletion step without the flag")
		}
	}
	pending := plan.Pending()
	e.spec.DeleteRootAccessKeys = true
	if with := e.plan(t).Pending(); with != pending+2 {
		t.Errorf("pending %d without the flag, %d with it; want two more", pending, with)
	}
	for _, l := range e.srv.Sim.Log() {
		if l.Action == "DeleteAccessKey" {
			t.Fatal("planning deleted a key")
		}
	}
}

func TestRootKeysNonRootCallerIsManual(t *testing.T) {
	e := newRootKeysEnv(t, rootKeyInUse)
	ctx := context.Background()
	root := iam.NewFromConfig(iamsim.ClientConfig(e.srv.URL, rootKeyInUse))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
		t.Fatal(err)
	}
	if _, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
		t.Fatal(err)
	}
	key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	e.deps = clientDeps(e.srv, aws.ToString(key.AccessKey.AccessKeyId))
	e.spec.DeleteRootAccessKeys = true
	e.srv.Sim.ResetLog()
	plan := e.plan(t)
	c := stepOf(t, plan, baseline.StepRootAccessKeys)
	if c.Action != baseline.ActionManual || !strings.Contains(strings.Join(c.ManualSteps, " "), "Security credentials") {
		t.Fatalf("root-access-keys for an IAM caller: %s %v", c.Action, c.ManualSteps)
	}
	for _, l := range e.srv.Sim.Log() {
		if l.Action == "ListAccessKeys" {
			t.Error("listed access keys for a caller that cannot delete root's")
		}
	}
}

func TestRootKeysWizardConfirmsEachKey(t *testing.T) {
	e := newRootKeysEnv(t, rootKeyInUse)
	ctx := context.Background()
	st, err := baseline.ReadState(ctx, e.deps, e.spec)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := baseline.ReadRootAccessKeys(ctx, e.deps)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || !keys[0].InUse || keys[1].InUse || !keys[0].Active {
		t.Fatalf("keys %+v", keys)
	}
	// The operator typed the spare key's ID only.
	plan := baseline.PlanRootAccessKeyDeletion(baseline.MakePlan(e.spec, st), keys, func(k baseline.RootAccessKey) bool { return !k.InUse })
	c := stepOf(t, plan, baseline.StepRootAccessKeys)
	if r := c.Reasons; c.Action != baseline.ActionDelete || len(r) != 2 || r[1].Code != baseline.ReasonRootKeysKept || !slices.Equal(r[1].Keys, []string{rootKeyInUse}) {
		t.Errorf("root-access-keys: %s %+v", c.Action, r)
	}
	if last := plan.Changes[len(plan.Changes)-1]; last.Step == baseline.StepRootAccessKeyInUse {
		t.Error("the kept key in use is still deleted")
	}
	// Nothing typed: the plan is as before.
	none := baseline.PlanRootAccessKeyDeletion(baseline.MakePlan(e.spec, st), keys, func(baseline.RootAccessKey) bool { return false })
	if stepOf(t, none, baseline.StepRootAccessKeys).Action != baseline.ActionManual {
		t.Error("no key confirmed, yet the step is not manual")
	}
}

func TestRootKeysFromCloudShellAreAllUnused(t *testing.T) {
	e := newRootKeysEnv(t, rootSession)
	e.spec.DeleteRootAccessKeys = true
	plan := e.plan(t)
	if c := stepOf(t, plan, baseline.StepRootAccessKeys); c.Action != baseline.ActionDelete || len(c.Details) != 2 {
		t.Fatalf("root-access-keys: %s %v", c.Action, c.Details)
	}
	if _, err := baseline.Apply(context.Background(), plan, e.deps); err != nil {
		t.Fatal(err)
	}
	if got := e.deletedKeys(); len(got) != 2 {
		t.Errorf("deleted %v", got)
	}
}

// The new password is delivered before the key in use is deleted; when its
// delivery fails (a full disk), the key stays, so that the run the error
// asks for (--reset-password) can still sign.
func TestRootKeyInUseWaitsForThePasswordDelivery(t *testing.T) {
	for _, fail := range []bool{false, true} {
		e := newRootKeysEnv(t, rootKeyInUse)
		e.spec.DeleteRootAccessKeys = true
		plan := e.plan(t)
		deps := e.deps
		var deliveredBeforeDeletion bool
		deps.DeliverPassword = func(pw secret.Value, uncertain bool) error {
			deliveredBeforeDeletion = !pw.IsZero() && !slices.Contains(e.deletedKeys(), rootKeyInUse)
			if fail {
				return errors.New("write pw: no space left on device")
			}
			return nil
		}
		_, err := baseline.Apply(context.Background(), plan, deps)
		if !deliveredBeforeDeletion {
			t.Fatalf("fail=%v: the password was not delivered before the key in use could go", fail)
		}
		kept := !slices.Contains(e.deletedKeys(), rootKeyInUse)
		if fail && (!kept || err == nil || !strings.Contains(err.Error(), "no space left on device")) {
			t.Errorf("a failed delivery: key kept %v, error %v; want the key kept and the failure reported", kept, err)
		}
		if !fail && (kept || err != nil) {
			t.Errorf("a delivered password: key kept %v, error %v", kept, err)
		}
	}
}
