package mfa_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/mfa"
)

// fakeProcesses is a host whose process table holds self and the processes
// in alive.
type fakeProcesses struct {
	self  mfa.Process
	alive []mfa.Process
}

func (f fakeProcesses) Self() mfa.Process { return f.self }
func (f fakeProcesses) Ended(p mfa.Process) bool {
	if p == f.self {
		return false
	}
	for _, a := range f.alive {
		if a == p {
			return false
		}
	}
	return true
}

// processDevice creates an unassigned "administrator" device as another run
// on process p would, giving up an hour from now.
func processDevice(t *testing.T, client *iam.Client, p mfa.Process) string {
	t.Helper()
	out, err := client.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("administrator"),
		Tags: []types.Tag{
			{Key: aws.String(mfa.TagRun), Value: aws.String("other")},
			{Key: aws.String(mfa.TagEnrollBy), Value: aws.String(time.Now().Add(time.Hour).UTC().Format(time.RFC3339))},
			{Key: aws.String(mfa.TagHost), Value: aws.String(p.Host)},
			{Key: aws.String(mfa.TagPID), Value: aws.String(strconv.Itoa(p.PID))},
			{Key: aws.String(mfa.TagStarted), Value: aws.String(p.Started)},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.VirtualMFADevice.SerialNumber)
}

// A device whose run is proven dead on this host (killed: its process ID is
// free or reused) is taken over at once, long before its enroll-by time; a
// live run's, or one on another host, is left alone.
func TestEnrollTakesOverADeadRunsDevice(t *testing.T) {
	self := mfa.Process{Host: "ops-1", PID: 100, Started: "boot/5"}
	dead := mfa.Process{Host: "ops-1", PID: 99, Started: "boot/4"}
	tests := []struct {
		name     string
		other    mfa.Process
		takeOver bool
	}{
		{"killed on this host", dead, true},
		{"its process ID reused by a later process", mfa.Process{Host: "ops-1", PID: 101, Started: "boot/1"}, true},
		{"alive on this host", mfa.Process{Host: "ops-1", PID: 101, Started: "boot/3"}, false},
		{"on another host", mfa.Process{Host: "ops-2", PID: 99, Started: "boot/4"}, false},
	}
	ps := fakeProcesses{self: self, alive: []mfa.Process{{Host: "ops-1", PID: 101, Started: "boot/3"}}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, client, src, _ := knownFixture(t)
			serial := processDevice(t, client, tt.other)
			res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Processes: ps})
			if !tt.takeOver {
				var busy *mfa.BusyError
				if !errors.As(err, &busy) || busy.Process != tt.other {
					t.Fatalf("Enroll: %v, want a *BusyError naming process %+v", err, tt.other)
				}
				if !deviceExists(t, client, serial) {
					t.Error("the live run's device was deleted")
				}
				return
			}
			if err != nil || res.Outcome != mfa.OutcomeEnrolled || len(res.RemovedStale) != 1 || res.RemovedStale[0] != serial {
				t.Fatalf("Enroll: %+v, %v; want the dead run's device replaced", res, err)
			}
		})
	}
}

// The device names the process that made it; no tag holds anything secret.
func TestEnrollTagsItsProcess(t *testing.T) {
	self := mfa.Process{Host: "ops-1", PID: 100, Started: "boot/5"}
	_, client, src, _ := knownFixture(t)
	res, err := mfa.Enroll(context.Background(), client, src, mfa.Request{UserName: "administrator", Processes: fakeProcesses{self: self}})
	if err != nil {
		t.Fatal(err)
	}
	got := deviceTags(t, client, res.SerialNumber)
	if got[mfa.TagHost] != "ops-1" || got[mfa.TagPID] != "100" || got[mfa.TagStarted] != "boot/5" {
		t.Errorf("tags %v, want the host, pid and start of %+v", got, self)
	}
}
