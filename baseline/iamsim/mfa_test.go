package iamsim_test

import (
	"bytes"
	"fmt"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func code(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := iamsim.TOTP(seed, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func createDevice(t *testing.T, c *iam.Client, name string) (serial, seed string) {
	t.Helper()
	d := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name)})).VirtualMFADevice
	return *d.SerialNumber, string(d.Base32StringSeed)
}

func enable(c *iam.Client, user, serial, c1, c2 string) error {
	_, err := c.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
		UserName: aws.String(user), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2),
	})
	return err
}

func TestVirtualMFAEnrollment(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	c := f.iam
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("administrator")}))

	out := must[*iam.CreateVirtualMFADeviceOutput](t)(c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})).VirtualMFADevice
	serial, seed := *out.SerialNumber, string(out.Base32StringSeed)
	if serial != "arn:aws:iam::123456789012:mfa/administrator" || len(seed) != 32 {
		t.Fatalf("serial %s, seed length %d", serial, len(seed))
	}
	if _, err := png.Decode(bytes.NewReader(out.QRCodePNG)); err != nil {
		t.Fatalf("QRCodePNG is not a PNG: %v", err)
	}
	if got, ok := f.sim.MFASeed(iamsim.DefaultAccountID, serial); !ok || got != seed {
		t.Fatal("MFASeed disagrees with the answer")
	}
	_, otherSeed := createDevice(t, c, "other")
	if otherSeed == seed {
		t.Fatal("two devices share a seed")
	}
	// The name stays taken while the device exists, assigned or not.
	_, err := c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("Administrator")})
	wantError(t, err, "EntityAlreadyExists", 409)
	_, err = c.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bad name")})
	wantError(t, err, "ValidationError", 400)

	now := clk.Now()
	prev, cur, next := code(t, seed, now.Add(-30*time.Second)), code(t, seed, now), code(t, seed, now.Add(30*time.Second))
	err = enable(c, "administrator", serial, "123456", "654321")
	wantError(t, err, "InvalidAuthenticationCode", 403, "not valid")
	err = enable(c, "administrator", serial, prev, next) // not consecutive
	wantError(t, err, "InvalidAuthenticationCode", 403)
	err = enable(c, "administrator", serial, cur, prev) // wrong order
	wantError(t, err, "InvalidAuthenticationCode", 403)
	err = enable(c, "administrator", serial, "12345", cur)
	wantError(t, err, "ValidationError", 400)
	err = enable(c, "administrator", serial, "12345a", cur)
	wantError(t, err, "ValidationError", 400)
	err = enable(c, "ghost", serial, prev, cur)
	wantError(t, err, "NoSuchEntity", 404)
	err = enable(c, "administrator", "arn:aws:iam::123456789012:mfa/nothing", prev, cur)
	wantError(t, err, "NoSuchEntity", 404)
	// Codes from eleven minutes ago are refused (late ones, see
	// TestEnableWithLateCodesIsOutOfSync, are not).
	clk.Advance(11 * time.Minute)
	err = enable(c, "administrator", serial, prev, cur)
	wantError(t, err, "InvalidAuthenticationCode", 403)
	clk.Advance(-11 * time.Minute)
	if err := enable(c, "administrator", serial, prev, cur); err != nil {
		t.Fatal(err)
	}
	if log := f.sim.Log(); log[len(log)-1].Params["AuthenticationCode1"] != "[redacted]" || log[len(log)-1].Params["AuthenticationCode2"] != "[redacted]" {
		t.Fatalf("codes logged: %v", log[len(log)-1].Params)
	}
	err = enable(c, "administrator", serial, prev, cur)
	wantError(t, err, "EntityAlreadyExists", 409)

	devs := must[*iam.ListMFADevicesOutput](t)(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("administrator")}))
	if len(devs.MFADevices) != 1 || *devs.MFADevices[0].SerialNumber != serial || *devs.MFADevices[0].UserName != "administrator" || !devs.MFADevices[0].EnableDate.Equal(now) {
		t.Fatalf("mfa devices %+v", devs.MFADevices)
	}
	s := summary(t, c)
	if s["MFADevices"] != 2 || s["MFADevicesInUse"] != 1 {
		t.Fatalf("summary %v", s)
	}

	assigned := listVirtual(t, c, types.AssignmentStatusTypeAssigned)
	unassigned := listVirtual(t, c, types.AssignmentStatusTypeUnassigned)
	all := listVirtual(t, c, types.AssignmentStatusTypeAny)
	if len(assigned) != 1 || *assigned[0].User.UserName != "administrator" || assigned[0].EnableDate == nil ||
		len(unassigned) != 1 || unassigned[0].User != nil || len(all) != 2 {
		t.Fatalf("assigned %d unassigned %d all %d", len(assigned), len(unassigned), len(all))
	}
	for _, d := range all {
		if len(d.Base32StringSeed) != 0 || len(d.QRCodePNG) != 0 {
			t.Fatal("a list answer carries a seed")
		}
	}
	_, err = c.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: "Broken"})
	wantError(t, err, "ValidationError", 400)

	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantError(t, err, "DeleteConflict", 409)
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("administrator")})
	wantError(t, err, "DeleteConflict", 409, "MFA device")

	// Resync accepts a fresh pair; replaying the pair already used does not.
	clk.Advance(5 * time.Minute)
	later := clk.Now()
	_, err = c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: aws.String(serial), AuthenticationCode1: aws.String(prev), AuthenticationCode2: aws.String(cur)})
	wantError(t, err, "InvalidAuthenticationCode", 403)
	must[*iam.ResyncMFADeviceOutput](t)(c.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: aws.String(serial),
		AuthenticationCode1: aws.String(code(t, seed, later.Add(-30*time.Second))), AuthenticationCode2: aws.String(code(t, seed, later))}))

	_, err = c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/other")})
	wantError(t, err, "NoSuchEntity", 404)
	must[*iam.DeactivateMFADeviceOutput](t)(c.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String("administrator"), SerialNumber: aws.String(serial)}))
	if n := len(listVirtual(t, c, types.AssignmentStatusTypeUnassigned)); n != 2 {
		t.Fatalf("%d unassigned after deactivation", n)
	}
	must[*iam.DeleteVirtualMFADeviceOutput](t)(c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)}))
	_, err = c.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	wantError(t, err, "NoSuchEntity", 404)
	if _, ok := f.sim.MFASeed(iamsim.DefaultAccountID, serial); ok {
		t.Fatal("deleted device still has a seed")
	}
	// The name is free again.
	createDevice(t, c, "administrator")
}

func listVirtual(t *testing.T, c *iam.Client, status types.AssignmentStatusType) []types.VirtualMFADevice {
	t.Helper()
	var out []types.VirtualMFADevice
	p := iam.NewListVirtualMFADevicesPaginator(c, &iam.ListVirtualMFADevicesInput{AssignmentStatus: status, MaxItems: aws.Int32(1)})
	for p.HasMorePages() {
		out = append(out, must[*iam.ListVirtualMFADevicesOutput](t)(p.NextPage(ctx)).VirtualMFADevices...)
	}
	return out
}

func TestEightMFADevicesPerUser(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now})
	c := f.iam
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}))
	for i := range 9 {
		serial, seed := createDevice(t, c, fmt.Sprintf("d%d", i))
		now := clk.Now()
		err := enable(c, "u", serial, code(t, seed, now.Add(-30*time.Second)), code(t, seed, now))
		if i < 8 && err != nil {
			t.Fatalf("device %d: %v", i, err)
		}
		if i == 8 {
			wantError(t, err, "LimitExceeded", 409, "MFADevicesPerUser")
		}
	}
	devs := must[*iam.ListMFADevicesOutput](t)(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("u")}))
	if len(devs.MFADevices) != 8 {
		t.Fatalf("%d devices", len(devs.MFADevices))
	}
}

func TestRootMFAListed(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "333333333333", RootAccessKeyIDs: []string{"AKIAROOT"}, RootMFA: true}}})
	c, _ := f.clients("AKIAROOT")
	devs := must[*iam.ListMFADevicesOutput](t)(c.ListMFADevices(ctx, &iam.ListMFADevicesInput{}))
	if len(devs.MFADevices) != 1 || !strings.HasSuffix(*devs.MFADevices[0].SerialNumber, ":mfa/root-account-mfa-device") {
		t.Fatalf("root devices %+v", devs.MFADevices)
	}
	v := listVirtual(t, c, types.AssignmentStatusTypeAssigned)
	if len(v) != 1 || *v[0].User.Arn != "arn:aws:iam::333333333333:root" {
		t.Fatalf("virtual %+v", v)
	}
}
