package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// startProgram runs the real main (the test binary acting as iam-baseline,
// see TestMain) as a process against the rig, with credentials and the
// endpoint from the environment as an operator would give them.
func (r *rig) startProgram(args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	r.t.Helper()
	self, err := os.Executable()
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command(self, args...)
	home := r.t.TempDir()
	cmd.Env = []string{
		runMainEnv + "=1", "HOME=" + home, "PATH=" + os.Getenv("PATH"),
		"AWS_ACCESS_KEY_ID=" + r.key, "AWS_SECRET_ACCESS_KEY=iamsim-secret", "AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL=" + r.srv.URL, "AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

// TestSignalsCancelAndCleanUp sends SIGINT or SIGTERM to a real
// iam-baseline process while a request is in flight: the run stops with
// exit 130, an MFA device it created is deleted, and the next run finishes
// the baseline.
func TestSignalsCancelAndCleanUp(t *testing.T) {
	for _, tc := range []struct {
		sig    syscall.Signal
		during string
	}{
		{syscall.SIGINT, "EnableMFADevice"},
		{syscall.SIGTERM, "EnableMFADevice"},
		{syscall.SIGTERM, "CreateLoginProfile"},
		{syscall.SIGINT, "GetAccountPasswordPolicy"}, // while reading: nothing is changed
	} {
		t.Run(tc.sig.String()+" during "+tc.during, func(t *testing.T) {
			r := newRig(t, iamsim.Options{})
			var cmd *exec.Cmd
			var once sync.Once
			started := make(chan struct{})
			// The unattended enrollment runs alongside the other steps once
			// the user exists. Its EnableMFADevice is held, so the device
			// is created but not enabled when the run is stopped, which is
			// the cleanup under test; and a signal meant for a later write
			// waits until the enrollment has got that far (unheld, the
			// device could be enabled before the signal, and rightly stay;
			// sent earlier, the signal could catch its create in flight).
			enableSent := make(chan struct{})
			var enableOnce sync.Once
			hold := func(action string) bool {
				if action == "EnableMFADevice" {
					enableOnce.Do(func() { close(enableSent) })
				}
				if action != tc.during {
					return action == "EnableMFADevice"
				}
				once.Do(func() {
					<-started
					if iamsim.IsMutating(action) {
						select {
						case <-enableSent:
						case <-time.After(10 * time.Second):
						}
					}
					_ = cmd.Process.Signal(tc.sig)
				})
				return true
			}
			r.hold.Store(&hold)
			var stdout, stderr *bytes.Buffer
			cmd, stdout, stderr = r.startProgram("apply", "--non-interactive", "--yes", "--account-alias", "my-corp",
				"--password-file", r.path("run1.pw"), "--mfa-secret-file", r.path("run1.mfa"))
			close(started)
			err := cmd.Wait()
			r.hold.Store(nil)
			code := cmd.ProcessState.ExitCode()
			if code != ExitInterrupted {
				t.Fatalf("exit %d (%v), want %d\nstdout:\n%s\nstderr:\n%s", code, err, ExitInterrupted, stdout, stderr)
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say the run was interrupted:\n%s", stderr)
			}
			wantNoSDKText(t, stderr.String())
			if !iamsim.IsMutating(tc.during) {
				if m := r.mutating(); len(m) > 0 {
					t.Errorf("interrupted while reading, yet it changed %v", m)
				}
			}
			// Cleaned up at once, not left to the next run.
			devices, err := r.admin.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAny})
			if err != nil || len(devices.VirtualMFADevices) != 0 {
				t.Fatalf("virtual MFA devices after the interrupt: %+v %v", devices, err)
			}
			if _, err := os.Stat(r.path("run1.mfa")); err == nil {
				t.Error("the secret file of the deleted device is still there")
			}
			second := r.run("apply", "--non-interactive", "--yes", "--account-alias", "my-corp",
				"--password-file", r.path("run2.pw"), "--mfa-secret-file", r.path("run2.mfa"))
			r.wantCode(second, ExitOK)
			r.checkFullBaseline("my-corp")
			r.checkPasswordFiles(namedRun{"run1", runResult{stdout: stdout.String()}}, namedRun{"run2", second})
			r.checkMFASecretFiles(r.path("run1.mfa"), r.path("run2.mfa"))
		})
	}
}
