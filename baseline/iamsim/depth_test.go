package iamsim_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// Depth counts the requests that had finished when a request arrived, not
// those that had merely started, and takes the deepest of them, not the
// last to finish.
func TestDepthCountsOnlyFinishedRequests(t *testing.T) {
	f := start(t, iamsim.Options{Latency: time.Second})
	slow := make(chan error, 1)
	go func() {
		_, err := f.iam.ListUsers(ctx, &iam.ListUsersInput{}) // A: in flight throughout B and C
		slow <- err
	}()
	// Let A arrive (and take its latency) before the latency is dropped.
	time.Sleep(200 * time.Millisecond)
	f.sim.SetLatency(0)
	must[*iam.ListGroupsOutput](t)(f.iam.ListGroups(ctx, &iam.ListGroupsInput{}))                         // B
	must[*iam.ListAccountAliasesOutput](t)(f.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{})) // C, after B
	if err := <-slow; err != nil {
		t.Fatal(err)
	}
	must[*iam.ListPoliciesOutput](t)(f.iam.ListPolicies(ctx, &iam.ListPoliciesInput{})) // D, after all
	depth := map[string]int{}
	for _, e := range f.sim.Log() {
		depth[e.Action] = e.Depth
	}
	want := map[string]int{"ListUsers": 1, "ListGroups": 1, "ListAccountAliases": 2, "ListPolicies": 3}
	for action, d := range want {
		if depth[action] != d {
			t.Errorf("%s depth %d, want %d (all: %v)", action, depth[action], d, depth)
		}
	}
	if f.sim.MaxDepth() != 3 {
		t.Errorf("MaxDepth %d, want 3", f.sim.MaxDepth())
	}
}
