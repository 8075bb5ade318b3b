package baseline_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// The MFA policy is put on a new group, read back as "no change", and a
// document that differs is replaced.
func TestApplyRequireMFA(t *testing.T) {
	_, deps := simDeps(t)
	ctx := context.Background()
	spec := baseline.DefaultSpec()
	spec.SkipMFA = true
	apply := func(want baseline.Action) {
		t.Helper()
		st, err := baseline.ReadState(ctx, deps, spec)
		if err != nil {
			t.Fatal(err)
		}
		plan := baseline.MakePlan(spec, st)
		if got := plan.Change(baseline.StepRequireMFA).Action; got != want {
			t.Fatalf("action %s, want %s", got, want)
		}
		if _, err := baseline.Apply(ctx, plan, deps); err != nil {
			t.Fatal(err)
		}
	}
	apply(baseline.ActionCreate)
	got, err := deps.IAM.(*iam.Client).GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String(mfapolicy.Name)})
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := url.QueryUnescape(aws.ToString(got.PolicyDocument))
	if !mfapolicy.Document("aws").Same(doc) {
		t.Fatalf("document put: %s", doc)
	}
	apply(baseline.ActionNone)

	edited := strings.Replace(doc, `"iam:ResyncMFADevice",`, "", 1)
	if _, err := deps.IAM.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{GroupName: aws.String("admin"), PolicyName: aws.String(mfapolicy.Name), PolicyDocument: aws.String(edited)}); err != nil {
		t.Fatal(err)
	}
	apply(baseline.ActionUpdate)
	apply(baseline.ActionNone)
}
