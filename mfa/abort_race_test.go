package mfa

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// lateEnable plays an EnableMFADevice that the caller gave up on (its run
// was cancelled while the request was in flight) but that AWS applies a
// moment later: after the enrollment's check of the user's devices, before
// its attempt to delete the device.
type lateEnable struct {
	IAMAPI
	mu      sync.Mutex
	pending *iam.EnableMFADeviceInput
	lists   int
	applied error
}

func (l *lateEnable) EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput, _ ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pending = in
	return nil, context.Canceled
}

func (l *lateEnable) ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, opts ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error) {
	out, err := l.IAMAPI.ListMFADevices(ctx, in, opts...)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending != nil {
		l.lists++
		if l.lists == 1 {
			// The check has seen no device; now the request lands.
			_, l.applied = l.IAMAPI.EnableMFADevice(ctx, l.pending)
		}
	}
	return out, err
}

// TestEnrollEnableLandingDuringCleanupKeepsTheSecret: the device ends up
// enabled although the enrollment was being given up. Enroll must notice
// (the deletion meets DeleteConflict) and keep the secret file: removing it
// would leave an enabled device whose seed nobody has.
func TestEnrollEnableLandingDuringCleanupKeepsTheSecret(t *testing.T) {
	env := newEnv(t)
	api := &lateEnable{IAMAPI: env.api}
	path := filepath.Join(t.TempDir(), "administrator.mfa")
	src, _ := NewSecretFileSource(path, env.sim.Now)
	res, err := Enroll(context.Background(), api, src, request)
	if api.applied != nil {
		t.Fatalf("the late enable failed: %v", api.applied)
	}
	devs := env.userDevices("administrator")
	if len(devs) != 1 {
		t.Fatalf("devices %v, want the enabled one", devs)
	}
	if err != nil {
		t.Fatalf("the device is enabled but Enroll says: %v", err)
	}
	if res.SerialNumber != devs[0] {
		t.Errorf("result serial %q, device %q", res.SerialNumber, devs[0])
	}
	b, rerr := os.ReadFile(path)
	if rerr != nil || !strings.Contains(string(b), "otpauth://") {
		t.Fatalf("the secret file of the enabled device is gone: %v", rerr)
	}
}

// failingDelete refuses every deletion, as when the device cannot be
// reached.
type failingDelete struct{ IAMAPI }

func (failingDelete) DeleteVirtualMFADevice(context.Context, *iam.DeleteVirtualMFADeviceInput, ...func(*iam.Options)) (*iam.DeleteVirtualMFADeviceOutput, error) {
	return nil, errors.New("connection reset")
}

// TestEnrollUndeletedDeviceKeepsTheSecret: when a device that was shown
// cannot be deleted, its secret stays, and the error says so.
func TestEnrollUndeletedDeviceKeepsTheSecret(t *testing.T) {
	env := newEnv(t)
	path := filepath.Join(t.TempDir(), "administrator.mfa")
	src, _ := NewSecretFileSource(path, env.sim.Now)
	ctx, cancel := context.WithCancel(context.Background())
	api := &cancelOnEnable{IAMAPI: failingDelete{env.api}, cancel: cancel}
	_, err := Enroll(ctx, api, src, request)
	var ee *EnrollError
	if !errors.As(err, &ee) || ee.Cleanup == nil || !ee.SecretKept {
		t.Fatalf("err %v", err)
	}
	if !strings.Contains(err.Error(), "its secret was kept") {
		t.Errorf("message %q", err)
	}
	if _, serr := os.Stat(path); serr != nil {
		t.Fatalf("the secret file of a device that still exists was removed: %v", serr)
	}
}

// cancelOnEnable cancels the run as EnableMFADevice is called, before
// sending it.
type cancelOnEnable struct {
	IAMAPI
	cancel context.CancelFunc
}

func (c *cancelOnEnable) EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput, opts ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error) {
	c.cancel()
	return nil, ctx.Err()
}
