package main

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/pquerna/otp"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// The secret file holds a URI an authenticator app can use: the device's own
// seed, labelled with the user and the account alias, readable by the owner
// only.
func TestSecretFileHoldsTheDevicesURI(t *testing.T) {
	h := newHarness(t)
	secretFile := h.path("admin.mfa")
	r := h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", secretFile, "--account-alias", "my-corp")
	mustCode(t, r, ExitOK)
	st, err := os.Stat(secretFile)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v, %v", st, err)
	}
	data, _ := os.ReadFile(secretFile)
	key, err := otp.NewKeyFromURL(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	devices, err := h.iam.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices %+v, %v", devices, err)
	}
	seed, ok := h.srv.Sim.MFASeed(iamsim.DefaultAccountID, aws.ToString(devices.MFADevices[0].SerialNumber))
	if !ok || key.Secret() != seed {
		t.Fatal("the file does not hold the enabled device's seed")
	}
	if key.Type() != "totp" || key.Issuer() != "Amazon Web Services" || key.AccountName() != "administrator@my-corp" {
		t.Errorf("URI type %q issuer %q account %q", key.Type(), key.Issuer(), key.AccountName())
	}
	for _, leak := range []string{seed, "otpauth://", "secret="} {
		if strings.Contains(r.stdout+r.stderr, leak) {
			t.Errorf("the output holds %q", leak)
		}
	}
}

// TestSecretFileWithSkewedClockEndsInSync: this machine's clock runs two
// minutes behind AWS's, so AWS associates the device out of sync; the run
// notices from AWS's Date and resyncs, and says so.
func TestSecretFileWithSkewedClockEndsInSync(t *testing.T) {
	h := newHarness(t)
	h.now = func() time.Time { return h.srv.Sim.Now().Add(-2 * time.Minute) }
	r := h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", h.path("admin.mfa"))
	mustCode(t, r, ExitOK)
	devices, err := h.iam.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices %+v, %v", devices, err)
	}
	if _, inSync := h.srv.Sim.MFADeviceInSync(h.acct, aws.ToString(devices.MFADevices[0].SerialNumber)); !inSync {
		t.Error("the device was left out of sync")
	}
	if !strings.Contains(r.stdout, "resynced it with two fresh codes") {
		t.Errorf("the summary does not say the device was resynced:\n%s", r.stdout)
	}
}

// An existing file holding anything but a seed of this user in this
// account is never overwritten, and that is known before any change.
func TestSecretFileThatExistsIsAUsageError(t *testing.T) {
	h := newHarness(t)
	existing := h.path("old.mfa")
	if err := os.WriteFile(existing, []byte("otpauth://totp/old"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", existing)
	mustCode(t, r, ExitUsage)
	if !strings.Contains(r.stderr, "--mfa-secret-file") || !strings.Contains(r.stderr, "refusing to overwrite") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if b, _ := os.ReadFile(existing); string(b) != "otpauth://totp/old" {
		t.Errorf("the file changed to %q", b)
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Errorf("%d mutating requests sent", len(m))
	}
	// Only looking never fails because of an output file.
	mustCode(t, h.run("plan", "--detailed-exitcode", "--password-file", h.path("pw"), "--mfa-secret-file", existing), ExitChanges)
}

// When the device cannot be enabled it is deleted, and so is the file that
// describes it; the error says both, and the next run enrolls.
func TestSecretFileRemovedWhenEnablingFails(t *testing.T) {
	h := newHarness(t)
	h.srv.Sim.AddFault(iamsim.Fault{Action: "EnableMFADevice", Code: "AccessDenied", Message: "not authorized to perform iam:EnableMFADevice"})
	secretFile := h.path("admin.mfa")
	r := h.run("apply", "--non-interactive", "--yes", "--password-file", h.path("pw"), "--mfa-secret-file", secretFile)
	mustCode(t, r, ExitError)
	if _, err := os.Stat(secretFile); !os.IsNotExist(err) {
		t.Errorf("the secret file of a deleted device is still there: %v", err)
	}
	for _, want := range []string{`enrolling MFA for "administrator"`, "AccessDenied", "deleted the unassigned MFA device", "removed the MFA secret file " + secretFile} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, r.stderr)
		}
	}
	left, err := h.iam.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAny})
	if err != nil || len(left.VirtualMFADevices) != 0 {
		t.Fatalf("virtual MFA devices left: %+v, %v", left, err)
	}
	if strings.Contains(r.stdout+r.stderr, "otpauth://") || strings.Contains(r.stdout+r.stderr, "secret=") {
		t.Error("the URI leaked into the output")
	}

	h.srv.Sim.ClearFaults()
	mustCode(t, h.run("apply", "--non-interactive", "--yes", "--mfa-secret-file", secretFile), ExitOK)
	devices, err := h.iam.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices after the rerun %+v, %v", devices, err)
	}
}
