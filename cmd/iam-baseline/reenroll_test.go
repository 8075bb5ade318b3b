package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// Re-enrolling a lost virtual MFA device (--reenroll-mfa, the wizard's
// returning-operator question): the new device is enabled before the old
// one is deactivated and deleted, so the user is never without MFA.

// reenrollRig is an account at the baseline with the user's first device.
func reenrollRig(t *testing.T) *rig {
	t.Helper()
	r := newRig(t, iamsim.Options{})
	r.wantCode(r.run("apply", "--yes", "--password-file", r.path("pw"), "--mfa-secret-file", r.path("first.mfa")), ExitOK)
	if got := r.userDevices(); len(got) != 1 || !strings.HasSuffix(got[0], ":mfa/administrator") {
		t.Fatalf("after the first apply the user holds %v", got)
	}
	r.sim.ResetLog()
	return r
}

// userDevices are the serials of the administrator's MFA devices.
func (r *rig) userDevices() []string {
	r.t.Helper()
	out, err := r.admin.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil {
		r.t.Fatal(err)
	}
	var serials []string
	for _, d := range out.MFADevices {
		serials = append(serials, aws.ToString(d.SerialNumber))
	}
	return serials
}

// unassignedDevices are the account's virtual MFA devices no user holds:
// orphans.
func (r *rig) unassignedDevices() []string {
	r.t.Helper()
	out, err := r.admin.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeUnassigned})
	if err != nil {
		r.t.Fatal(err)
	}
	var serials []string
	for _, d := range out.VirtualMFADevices {
		serials = append(serials, aws.ToString(d.SerialNumber))
	}
	return serials
}

func TestReenrollMFAPlanChangesNothing(t *testing.T) {
	r := reenrollRig(t)
	res := r.run("plan", "--reenroll-mfa")
	r.wantCode(res, ExitOK)
	for _, want := range []string{"~ update Virtual MFA device", "create virtual MFA device administrator-2",
		"once it is enabled, deactivate and delete virtual MFA device arn:aws:iam::" + r.acct + ":mfa/administrator"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("the plan lacks %q:\n%s", want, res.stdout)
		}
	}
	if m := r.mutating(); len(m) > 0 {
		t.Errorf("plan --reenroll-mfa made writes: %v", m)
	}
	if got := r.userDevices(); len(got) != 1 {
		t.Errorf("the user holds %v", got)
	}
}

func TestReenrollMFAReplacesTheDeviceNewFirst(t *testing.T) {
	r := reenrollRig(t)
	old := r.userDevices()[0]
	res := r.run("apply", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("second.mfa"))
	r.wantCode(res, ExitOK)
	got := r.userDevices()
	if len(got) != 1 || got[0] == old || !strings.HasSuffix(got[0], ":mfa/administrator-2") {
		t.Fatalf("after re-enrolling the user holds %v (old %s)", got, old)
	}
	if orphans := r.unassignedDevices(); len(orphans) > 0 {
		t.Errorf("orphan devices: %v", orphans)
	}
	// The order on the wire: the new device is enabled before the old one
	// is deactivated, and deleted only after that.
	actions := r.mutating()
	enable, deactivate, del := slices.Index(actions, "EnableMFADevice"), slices.Index(actions, "DeactivateMFADevice"), slices.Index(actions, "DeleteVirtualMFADevice")
	if enable < 0 || deactivate < enable || del < deactivate {
		t.Errorf("writes in the wrong order: %v", actions)
	}
	if !strings.Contains(res.stdout, "deactivated and deleted virtual MFA device "+old) {
		t.Errorf("the summary does not say the old device went:\n%s", res.stdout)
	}
	seed, ok := fileSeed(t, r.path("second.mfa"))
	if want, _ := r.sim.MFASeed(r.acct, got[0]); !ok || seed != want {
		t.Error("the secret file does not hold the new device's seed")
	}

	// A re-run without the flag has nothing to do; with it, the name the
	// first device had is free again.
	r.sim.ResetLog()
	r.wantCode(r.run("apply", "--yes"), ExitOK)
	if m := r.mutating(); len(m) > 0 {
		t.Errorf("the re-run made writes: %v", m)
	}
	r.wantCode(r.run("apply", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("third.mfa")), ExitOK)
	if got := r.userDevices(); len(got) != 1 || !strings.HasSuffix(got[0], ":mfa/administrator") {
		t.Errorf("after the second re-enrollment the user holds %v", got)
	}
}

// A failed enrollment leaves the old device in place and no orphan.
func TestReenrollMFAFailingKeepsTheOldDevice(t *testing.T) {
	r := reenrollRig(t)
	old := r.userDevices()
	r.sim.AddFault(iamsim.Fault{Action: "EnableMFADevice", Code: "LimitExceeded", Message: "Cannot exceed quota for MFADevicesPerUser: 8"})
	res := r.run("apply", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("second.mfa"))
	if res.code == ExitOK {
		t.Fatalf("the enrollment failed but the run succeeded:\n%s", res.output())
	}
	if got := r.userDevices(); !slices.Equal(got, old) {
		t.Errorf("the user holds %v, want the old %v", got, old)
	}
	if orphans := r.unassignedDevices(); len(orphans) > 0 {
		t.Errorf("orphan devices: %v", orphans)
	}
	if slices.Contains(r.mutating(), "DeactivateMFADevice") {
		t.Errorf("the old device was deactivated: %v", r.mutating())
	}
}

// The process dies right after the new device was enabled, before the old
// one was deleted: the next run with the same flags keeps the new device
// (the one enabled last, whose secret the operator holds) and deletes the
// old one, enrolling nothing new.
func TestReenrollMFACrashBetweenEnableAndDeleteIsFinished(t *testing.T) {
	r := reenrollRig(t)
	old := r.userDevices()[0]
	_, fired := r.runKilledWhen("EnableMFADevice", nil, "apply", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("second.mfa"))
	if !fired {
		t.Fatal("the run never enabled the new device")
	}
	both := r.userDevices()
	if len(both) != 2 {
		t.Fatalf("after the crash the user holds %v, want the old and the new device", both)
	}
	plan := r.run("plan", "--reenroll-mfa")
	if !strings.Contains(plan.stdout, "- delete Virtual MFA device") || strings.Contains(plan.stdout, "create virtual MFA device") {
		t.Errorf("the plan does not finish the re-enrollment:\n%s", plan.stdout)
	}
	r.sim.ResetLog()
	res := r.run("apply", "--yes", "--reenroll-mfa", "--mfa-secret-file", r.path("third.mfa"))
	r.wantCode(res, ExitOK)
	got := r.userDevices()
	if len(got) != 1 || got[0] == old || !slices.Contains(both, got[0]) {
		t.Fatalf("after the re-run the user holds %v (old %s, before %v)", got, old, both)
	}
	if orphans := r.unassignedDevices(); len(orphans) > 0 {
		t.Errorf("orphan devices: %v", orphans)
	}
	if slices.Contains(r.mutating(), "CreateVirtualMFADevice") {
		t.Errorf("the re-run enrolled yet another device: %v", r.mutating())
	}
	if seed, ok := fileSeed(t, r.path("second.mfa")); ok {
		if want, _ := r.sim.MFASeed(r.acct, got[0]); seed != want {
			t.Error("the device kept is not the one whose secret the crashed run handed over")
		}
	} else {
		t.Error("the crashed run's secret file is gone")
	}
}

func TestReenrollMFAAndSkipMFAContradict(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	res := r.run("plan", "--reenroll-mfa", "--skip-mfa")
	r.wantCode(res, ExitUsage)
	if len(r.sim.Log()) > 0 {
		t.Errorf("a usage error made requests")
	}
}
