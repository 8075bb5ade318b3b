package mfa_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// knownFixture is a simulator with user "administrator" and a secret-file
// source whose clock is the simulator's.
func knownFixture(t *testing.T) (*iamsim.Server, *iam.Client, *mfa.SecretFileSource, string) {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	client := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	if _, err := client.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("administrator")}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "mfa.uri")
	src, err := mfa.NewSecretFileSource(path, srv.Sim.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv.Sim.ResetLog()
	return srv, client, src, path
}

func actions(s *iamsim.Sim) []string {
	var out []string
	for _, e := range s.Log() {
		out = append(out, e.Action)
	}
	return out
}

func TestEnrollWithKnownDevicesSkipsTheListings(t *testing.T) {
	srv, client, src, _ := knownFixture(t)
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Known: &mfa.KnownDevices{}})
	if err != nil || res.Outcome != mfa.OutcomeEnrolled {
		t.Fatalf("Enroll: %+v, %v", res, err)
	}
	if got := actions(srv.Sim); len(got) != 2 || got[0] != "CreateVirtualMFADevice" || got[1] != "EnableMFADevice" {
		t.Fatalf("requests %v, want CreateVirtualMFADevice, EnableMFADevice", got)
	}
}

func TestEnrollWithKnownUserDevicesChangesNothing(t *testing.T) {
	srv, client, src, path := knownFixture(t)
	known := &mfa.KnownDevices{UserDevices: []string{"arn:aws:iam::123456789012:mfa/phone"}}
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Known: known})
	if err != nil || res.Outcome != mfa.OutcomeAlreadyEnrolled || res.SerialNumber != known.UserDevices[0] {
		t.Fatalf("Enroll: %+v, %v", res, err)
	}
	if got := actions(srv.Sim); len(got) != 0 {
		t.Fatalf("requests %v, want none", got)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("secret file written")
	}
}

// A leftover that appeared after the caller looked is still found and
// deleted: the name it holds would otherwise fail the run.
func TestEnrollWithOutdatedKnownDevicesFindsTheLeftover(t *testing.T) {
	_, client, src, _ := knownFixture(t)
	ctx := context.Background()
	left, err := client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := mfa.Enroll(ctx, client, src, mfa.Request{UserName: "administrator", Known: &mfa.KnownDevices{}})
	if err != nil || res.Outcome != mfa.OutcomeEnrolled {
		t.Fatalf("Enroll: %+v, %v", res, err)
	}
	if len(res.RemovedStale) != 1 || res.RemovedStale[0] != aws.ToString(left.VirtualMFADevice.SerialNumber) {
		t.Fatalf("removed %v", res.RemovedStale)
	}
}

func TestEnrollWithKnownLeftoverDeletesIt(t *testing.T) {
	srv, client, src, _ := knownFixture(t)
	ctx := context.Background()
	left, err := client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		t.Fatal(err)
	}
	srv.Sim.ResetLog()
	serial := aws.ToString(left.VirtualMFADevice.SerialNumber)
	res, err := mfa.Enroll(ctx, client, src, mfa.Request{UserName: "administrator", Known: &mfa.KnownDevices{Unassigned: []string{serial}}})
	if err != nil || len(res.RemovedStale) != 1 {
		t.Fatalf("Enroll: %+v, %v", res, err)
	}
	// The leftover carries no run's tag, so it is deleted after one look.
	want := []string{"ListMFADeviceTags", "DeleteVirtualMFADevice", "CreateVirtualMFADevice", "EnableMFADevice"}
	if got := actions(srv.Sim); !slices.Equal(got, want) {
		t.Fatalf("requests %v, want %v", got, want)
	}
}

// Ready runs after the device exists; its error gives the enrollment up and
// leaves nothing behind: no device, no secret file.
func TestEnrollReadyErrorDeletesTheDevice(t *testing.T) {
	_, client, src, path := knownFixture(t)
	ctx := context.Background()
	userFailed := errors.New("the user step failed")
	var devicesAtReady int
	ready := func(ctx context.Context) error {
		out, err := client.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})
		if err != nil {
			return err
		}
		devicesAtReady = len(out.VirtualMFADevices)
		return userFailed
	}
	_, err := mfa.Enroll(ctx, client, src, mfa.Request{UserName: "administrator", Known: &mfa.KnownDevices{}, Ready: ready})
	var ee *mfa.EnrollError
	if !errors.As(err, &ee) || !errors.Is(err, userFailed) || ee.Cleanup != nil {
		t.Fatalf("err = %v", err)
	}
	if devicesAtReady != 1 {
		t.Fatalf("%d devices when Ready was called, want the new one", devicesAtReady)
	}
	out, err := client.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeAny})
	if err != nil || len(out.VirtualMFADevices) != 0 {
		t.Fatalf("devices left: %+v, %v", out, err)
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the secret file of the deleted device is still there")
	}
}
