package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// Round-trip depth (iamsim's LogEntry.Depth: 1 + the largest depth among the
// requests that had finished when a request arrived) is what a distant IAM
// endpoint turns into waiting: at 150 ms a round trip, each level costs
// 150 ms. These tests count levels, never time.

// depthLatency is added to every request in the depth tests so that
// requests sent together really are in flight together: without it a
// loopback answer can come back before a sibling request has left, and the
// simulator would rightly count them as a chain. Scheduling delays, and
// local work between dependent calls (the MFA secret file's fsync), can only
// make a measured depth larger, never smaller: the latency must outlast them
// on a loaded 2-core CI machine, where 50 ms did not (a clean-cache
// `go test ./...` counted one level too many).
const depthLatency = 150 * time.Millisecond

func newDepthHarness(t *testing.T) *harness {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{Latency: depthLatency})
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, key: iamsim.DefaultRootAccessKeyID, acct: iamsim.DefaultAccountID,
		env: map[string]string{}, dir: t.TempDir(), iam: iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))}
}

// chain lists the logged requests with their depth, for failure messages.
func chain(log []iamsim.LogEntry) string {
	var b strings.Builder
	for _, e := range log {
		fmt.Fprintf(&b, "  depth %d: %s %s\n", e.Depth, e.Action, e.ErrorCode)
	}
	return b.String()
}

// wantDepth runs the command on a fresh log and checks its depth.
func (h *harness) wantDepth(maxDepth, code int, args ...string) result {
	h.t.Helper()
	h.srv.Sim.ResetLog()
	r := h.run(args...)
	mustCode(h.t, r, code)
	if d := h.srv.Sim.MaxDepth(); d > maxDepth {
		h.t.Errorf("%s: round-trip depth %d, want at most %d\n%s", strings.Join(args, " "), d, maxDepth, chain(h.srv.Sim.Log()))
	}
	return r
}

func TestPlanIsOneRoundTrip(t *testing.T) {
	h := newDepthHarness(t)
	// Every read is sent at once: on a fresh account...
	h.wantDepth(1, 0, "plan")
	if n := len(h.srv.Sim.Log()); n < 10 {
		t.Fatalf("plan made %d requests; the depth check needs the full read", n)
	}
	// ...and on one that has the baseline.
	mustCode(t, h.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--show-password"), 0)
	h.wantDepth(1, 0, "plan", "--skip-mfa", "--detailed-exitcode")
}

func TestApplyWithMFAIsThreeRoundTrips(t *testing.T) {
	h := newDepthHarness(t)
	secretFile := h.path("mfa.uri")
	r := h.wantDepth(3, 0, "apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", secretFile)
	h.checkBaseline("admin", "administrator", "aws", true)

	// The chain is read -> create -> the write that needs it: the device
	// is created with the user and enabled as soon as the user exists.
	depth := map[string]int{}
	for _, e := range h.srv.Sim.Log() {
		if e.ErrorCode != "" && e.Mutating {
			t.Errorf("%s failed with %s", e.Action, e.ErrorCode)
		}
		depth[e.Action] = max(depth[e.Action], e.Depth)
	}
	for action, want := range map[string]int{
		"CreateGroup": 2, "CreateUser": 2, "UpdateAccountPasswordPolicy": 2, "CreateVirtualMFADevice": 2,
		"AttachGroupPolicy": 3, "CreateLoginProfile": 3, "AddUserToGroup": 3, "EnableMFADevice": 3,
	} {
		if depth[action] == 0 || depth[action] > want {
			t.Errorf("%s at depth %d, want 1..%d\n%s", action, depth[action], want, chain(h.srv.Sim.Log()))
		}
	}
	devices, err := h.iam.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices %+v, %v", devices, err)
	}
	if st, err := os.Stat(secretFile); err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", st, err)
	}

	// The work overlaps, but progress is still reported in plan order.
	var order []string
	for _, line := range strings.Split(r.stderr, "\n") {
		if step, ok := strings.CutPrefix(line, "applying "); ok {
			order = append(order, strings.SplitN(step, ":", 2)[0])
		}
	}
	if got, want := strings.Join(order, " "), "admin-group require-mfa admin-user password-policy user-mfa"; got != want {
		t.Errorf("progress order %q, want %q\nstderr:\n%s", got, want, r.stderr)
	}

	// Nothing left to do: the reads alone.
	h.wantDepth(1, 0, "apply", "--non-interactive", "--yes")
}

// The MFA device is created before the user exists; when the user cannot be
// created, the device must not be left behind.
func TestApplyWithMFALeavesNoDeviceWhenTheUserFails(t *testing.T) {
	h := newDepthHarness(t)
	h.srv.Sim.AddFault(iamsim.Fault{Action: "CreateUser", Code: "AccessDenied"})
	secretFile := h.path("mfa.uri")
	r := h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw1"), "--mfa-secret-file", secretFile)
	mustCode(t, r, ExitError)
	ctx := context.Background()
	left, err := h.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAny})
	if err != nil {
		t.Fatal(err)
	}
	if len(left.VirtualMFADevices) != 0 {
		t.Errorf("virtual MFA devices left: %d\nstderr:\n%s", len(left.VirtualMFADevices), r.stderr)
	}
	if _, err := os.Stat(secretFile); err == nil {
		t.Errorf("secret file %s written for a device that was deleted", secretFile)
	}

	h.srv.Sim.ClearFaults()
	mustCode(t, h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw2"), "--mfa-secret-file", h.path("mfa2.uri")), 0)
	h.checkBaseline("admin", "administrator", "aws", true)
	devices, err := h.iam.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices %+v, %v", devices, err)
	}
}

// An unassigned device left by an aborted run is deleted first, from what
// the plan read: two more levels, its tags (the proof that no other live run
// is enrolling it) and the deletion, not a listing as well.
func TestApplyWithMFADeletesTheLeftoverInOneRoundTrip(t *testing.T) {
	h := newDepthHarness(t)
	ctx := context.Background()
	if _, err := h.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")}); err != nil {
		t.Fatal(err)
	}
	h.wantDepth(5, 0, "apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", h.path("mfa.uri"))
	left, err := h.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeUnassigned})
	if err != nil || len(left.VirtualMFADevices) != 0 {
		t.Fatalf("unassigned devices %+v, %v", left, err)
	}
}

func TestStatusDepth(t *testing.T) {
	h := newDepthHarness(t)
	// The first status has the credential report generated: a chain of its
	// own (get, generate, poll, get), the other reads beside it.
	h.wantDepth(4, ExitFindings, "status")
	// Later runs find the report and read everything at once, but for the
	// analyzers: the enabled regions first, then every region together.
	h.wantDepth(2, ExitFindings, "status")

	// 5,000 users: the only chain is GetAccountAuthorizationDetails' pages
	// of 1,000, which IAM hands out one marker at a time.
	large := newDepthHarness(t)
	if err := large.srv.Sim.SeedUsers(large.acct, "user", 5000); err != nil {
		t.Fatal(err)
	}
	large.run("status") // has the report generated
	// The simulator counts a page after any request that finished before it
	// started: the regions-then-analyzers chain, done before the second
	// page, lifts the pages by one level without a round trip of their own.
	r := large.wantDepth(6, ExitFindings, "status")
	if !strings.Contains(r.stdout, "5000 user(s)") {
		t.Errorf("the credential report read does not have the 5,000 users:\n%s", r.stdout)
	}
}
