package baseline_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// A console password another run sets between this run's read and its
// CreateLoginProfile stays in force: this run hands over no password and
// says why. When this run's own attempt may have made the profile (its
// answer was lost), it sets its password and hands it over.
func TestApplyLeavesAPasswordAnotherRunSet(t *testing.T) {
	for _, lost := range []bool{false, true} {
		srv, deps := simDeps(t)
		spec := baseline.DefaultSpec()
		spec.SkipMFA = true
		ctx := context.Background()
		st, err := baseline.ReadState(ctx, deps, spec)
		if err != nil {
			t.Fatal(err)
		}
		plan := baseline.MakePlan(spec, st)
		const other = "Other-run-pw-123456!"
		if lost {
			srv.Sim.AddFault(iamsim.Fault{Action: "CreateLoginProfile", Nth: 1, Code: "ServiceFailure", AfterHandling: true})
		} else {
			if _, err := deps.IAM.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(spec.UserName)}); err != nil {
				t.Fatal(err)
			}
			if _, err := deps.IAM.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String(spec.UserName), Password: aws.String(other), PasswordResetRequired: true}); err != nil {
				t.Fatal(err)
			}
		}
		srv.Sim.ResetLog()
		res, err := baseline.Apply(ctx, plan, deps)
		if err != nil {
			t.Fatalf("lost=%v: %v", lost, err)
		}
		updated := false
		for _, l := range srv.Sim.Log() {
			updated = updated || l.Action == "UpdateLoginProfile"
		}
		if lost {
			ok, _ := srv.Sim.CheckConsolePassword(iamsim.DefaultAccountID, spec.UserName, res.Password.Reveal())
			if !res.PasswordSet || !ok {
				t.Errorf("lost answer: password set %v, works %v; want this run's password in force", res.PasswordSet, ok)
			}
			continue
		}
		if res.PasswordSet || res.PasswordUncertain || res.Password.Reveal() != "" || updated {
			t.Errorf("another run's profile: set %v, uncertain %v, password held %v, UpdateLoginProfile sent %v; want it left alone",
				res.PasswordSet, res.PasswordUncertain, res.Password.Reveal() != "", updated)
		}
		if ok, _ := srv.Sim.CheckConsolePassword(iamsim.DefaultAccountID, spec.UserName, other); !ok {
			t.Error("the other run's password no longer works")
		}
		var done []string
		for _, s := range res.Steps {
			done = append(done, s.Done...)
		}
		if !strings.Contains(strings.Join(done, "\n"), "left the console password another run or person gave administrator") {
			t.Errorf("the run does not say it left the password: %q", done)
		}
	}
}
