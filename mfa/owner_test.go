package mfa_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// otherRunsDevice creates an unassigned "administrator" device tagged as
// another run's, which gives up at enrollBy.
func otherRunsDevice(t *testing.T, client *iam.Client, enrollBy time.Time) (serial, seed string) {
	t.Helper()
	out, err := client.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("administrator"),
		Tags: []types.Tag{
			{Key: aws.String(mfa.TagRun), Value: aws.String("other")},
			{Key: aws.String(mfa.TagEnrollBy), Value: aws.String(enrollBy.UTC().Format(time.RFC3339))},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.VirtualMFADevice.SerialNumber), string(out.VirtualMFADevice.Base32StringSeed)
}

// deviceTags reads a device's tags.
func deviceTags(t *testing.T, client *iam.Client, serial string) map[string]string {
	t.Helper()
	out, err := client.ListMFADeviceTags(context.Background(), &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, tg := range out.Tags {
		got[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
	}
	return got
}

func deviceExists(t *testing.T, client *iam.Client, serial string) bool {
	t.Helper()
	_, err := client.ListMFADeviceTags(context.Background(), &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})
	return err == nil
}

// A device another run may still be enrolling is left alone, whether the
// caller listed it (Known) or the create runs into it; the run fails with a
// *BusyError and writes no secret file.
func TestEnrollLeavesAnotherRunsLiveDevice(t *testing.T) {
	now := time.Now()
	for _, known := range []bool{false, true} {
		srv, client, src, path := knownFixture(t)
		serial, _ := otherRunsDevice(t, client, now.Add(time.Minute))
		srv.Sim.ResetLog()
		req := mfa.Request{UserName: "administrator", Clock: func() time.Time { return now }}
		if known {
			req.Known = &mfa.KnownDevices{Unassigned: []string{serial}}
		}
		_, err := mfa.Enroll(context.Background(), client, src, req)
		var busy *mfa.BusyError
		if !errors.As(err, &busy) || busy.RunID != "other" || busy.SerialNumber != serial {
			t.Fatalf("known=%v: Enroll error %v, want a *BusyError naming run other and %s", known, err, serial)
		}
		if !deviceExists(t, client, serial) {
			t.Errorf("known=%v: the other run's device was deleted", known)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("known=%v: secret file %s exists (%v)", known, path, err)
		}
		for _, l := range srv.Sim.MutatingRequests() {
			if l.Action == "DeleteVirtualMFADevice" || (l.Action == "CreateVirtualMFADevice" && l.Status == 200) {
				t.Errorf("known=%v: %s sent", known, l.Action)
			}
		}
	}
}

// A device whose creator's enroll-by time passed more than StaleMargin ago
// is abandoned: it is deleted and a new one enrolled. One a minute short of
// that is not.
func TestEnrollReplacesAnAbandonedDevice(t *testing.T) {
	now := time.Now()
	_, client, src, _ := knownFixture(t)
	serial, _ := otherRunsDevice(t, client, now.Add(-mfa.StaleMargin+time.Minute))
	_, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Clock: func() time.Time { return now }})
	var busy *mfa.BusyError
	if !errors.As(err, &busy) {
		t.Fatalf("a minute before it is stale: %v, want a *BusyError", err)
	}
	later := now.Add(time.Minute + time.Second)
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Clock: func() time.Time { return later }})
	if err != nil || res.Outcome != mfa.OutcomeEnrolled || len(res.RemovedStale) != 1 || res.RemovedStale[0] != serial {
		t.Fatalf("once stale: %+v, %v; want the device replaced", res, err)
	}
}

// The device carries the run's identity and enroll-by time; an unattended
// run promises EnrollWindowUnattended.
func TestEnrollTagsItsDevice(t *testing.T) {
	now := time.Now().Truncate(time.Second)
	_, client, src, _ := knownFixture(t)
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", RunID: "run-1", Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	got := deviceTags(t, client, res.SerialNumber)
	want := now.Add(mfa.EnrollWindowUnattended).UTC().Format(time.RFC3339)
	if got[mfa.TagRun] != "run-1" || got[mfa.TagEnrollBy] != want {
		t.Errorf("tags %v, want %s=run-1 and %s=%s", got, mfa.TagRun, mfa.TagEnrollBy, want)
	}
}

// A device of the run's own (a create whose answer was lost, then retried)
// is deleted at once, however recent.
func TestEnrollReplacesItsOwnDevice(t *testing.T) {
	now := time.Now()
	_, client, src, _ := knownFixture(t)
	out, err := client.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("administrator"),
		Tags: []types.Tag{{Key: aws.String(mfa.TagRun), Value: aws.String("me")},
			{Key: aws.String(mfa.TagEnrollBy), Value: aws.String(now.Add(time.Hour).UTC().Format(time.RFC3339))}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", RunID: "me", Clock: func() time.Time { return now }})
	if err != nil || len(res.RemovedStale) != 1 || res.RemovedStale[0] != aws.ToString(out.VirtualMFADevice.SerialNumber) {
		t.Fatalf("Enroll: %+v, %v", res, err)
	}
}

// switchingSource plays a run whose device, while it waits for codes, is
// deleted by another run and replaced under the same serial by that run's
// device, which the other run enables. This run's codes then meet a device
// in use: it must not count that as its success, and it withdraws its secret.
type switchingSource struct {
	*mfa.SecretFileSource
	client *iam.Client
	sim    *iamsim.Sim
	t      *testing.T
}

func (s switchingSource) Codes(ctx context.Context, req mfa.CodeRequest) (mfa.Codes, error) {
	codes, err := s.SecretFileSource.Codes(ctx, req)
	if err != nil {
		return codes, err
	}
	serial := "arn:aws:iam::" + iamsim.DefaultAccountID + ":mfa/administrator"
	if _, err := s.client.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}); err != nil {
		s.t.Fatal(err)
	}
	_, seed := otherRunsDevice(s.t, s.client, time.Now().Add(time.Minute))
	c1, _ := iamsim.TOTP(seed, s.sim.Now().Add(-30*time.Second))
	c2, _ := iamsim.TOTP(seed, s.sim.Now())
	if _, err := s.client.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}); err != nil {
		s.t.Fatal(err)
	}
	return codes, nil
}

func TestEnrollDoesNotClaimAnotherRunsDevice(t *testing.T) {
	srv, client, src, path := knownFixture(t)
	sw := switchingSource{SecretFileSource: src, client: client, sim: srv.Sim, t: t}
	_, err := mfa.Enroll(context.Background(), client, sw, mfa.Request{UserName: "administrator"})
	var ee *mfa.EnrollError
	if !errors.As(err, &ee) || !ee.Replaced {
		t.Fatalf("Enroll error %v, want an *EnrollError saying the device was replaced", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the losing run's secret file is still there (%v)", err)
	}
}

// Codes that come after the device's enroll-by time are not sent: other
// runs may already treat the device as abandoned. The device is deleted.
func TestEnrollGivesUpAfterItsWindow(t *testing.T) {
	srv, client, src, path := knownFixture(t)
	now := time.Now()
	clock := func() time.Time { return now }
	late := lateSource{SecretFileSource: src, late: func() { now = now.Add(mfa.EnrollWindowUnattended + time.Second) }}
	_, err := mfa.Enroll(context.Background(), client, late, mfa.Request{UserName: "administrator", Clock: clock})
	if !errors.Is(err, mfa.ErrEnrollWindowPassed) {
		t.Fatalf("Enroll error %v, want ErrEnrollWindowPassed", err)
	}
	for _, l := range srv.Sim.Log() {
		if l.Action == "EnableMFADevice" {
			t.Error("EnableMFADevice sent after the window")
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("secret file left behind (%v)", err)
	}
}

type lateSource struct {
	*mfa.SecretFileSource
	late func()
}

func (s lateSource) Codes(ctx context.Context, req mfa.CodeRequest) (mfa.Codes, error) {
	s.late()
	return s.SecretFileSource.Codes(ctx, req)
}
