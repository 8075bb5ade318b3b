package mfa_test

import (
	"os"
	"os/exec"
	"testing"

	"github.com/iam-baseline/iam-baseline/mfa"
)

// On Linux this process is alive with its start time; a process that exited,
// or a process ID whose start time differs, has ended.
func TestLocalProcesses(t *testing.T) {
	var ps mfa.LocalProcesses
	self := ps.Self()
	if self.PID != os.Getpid() || self.Host == "" || self.Started == "" {
		t.Fatalf("Self() = %+v, want this process with its host and start", self)
	}
	if ps.Ended(self) {
		t.Error("this process counts as ended")
	}
	reused := self
	reused.Started += "1"
	if !ps.Ended(reused) {
		t.Error("a process ID held by a process of another start time counts as alive")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	gone := ps.Self()
	gone.PID = cmd.Process.Pid
	if !ps.Ended(gone) {
		t.Errorf("exited process %d counts as alive", gone.PID)
	}
}
