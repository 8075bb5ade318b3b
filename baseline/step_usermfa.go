package baseline

import (
	"context"
	"fmt"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// The user's virtual MFA device. With a person taking part (the QR code on
// the terminal) it starts once the group, the user and the password policy
// are done, so the screen is not drawn over; unattended (a secret file) it
// creates the device alongside the other steps and enables it as soon as
// the user exists.
func userMFAStep() step {
	return step{
		id:   StepUserMFA,
		plan: planUserMFA,
		waitsFor: func(a *applier) []StepID {
			if unattended(a.deps.MFACodes) {
				return nil
			}
			return []StepID{StepAdminGroup, StepAdminUser, StepPasswordPolicy}
		},
		apply: func(ctx context.Context, a *applier, r *stepRun) error {
			return a.enrollMFA(ctx, r, unattended(a.deps.MFACodes))
		},
	}
}

// unattended reports whether no person reads or types the MFA codes.
func unattended(codes mfa.CodeSource) bool {
	u, ok := codes.(mfa.Unattended)
	return ok && u.Unattended()
}

// UserMFA is the user-mfa step's view.
type UserMFA struct {
	UserName   string   `json:"user_name"`
	DeviceName string   `json:"device_name,omitempty"`
	Devices    []string `json:"devices"`
	// RemoveUnassigned (After only) is the serial of an unassigned virtual
	// MFA device with the same name, left by an aborted run, that is deleted
	// before the new one is created.
	RemoveUnassigned string `json:"remove_unassigned,omitempty"`
}

func planUserMFA(in planInput) Change {
	spec, st := in.Spec, in.State
	c := Change{
		Step:  StepUserMFA,
		Title: fmt.Sprintf("Virtual MFA device for %q", spec.UserName),
	}
	var devices []string
	for _, d := range st.MFADevices {
		devices = append(devices, d.SerialNumber)
	}
	if st.User != nil {
		c.Before = UserMFA{UserName: st.User.Name, Devices: devices}
	}
	if len(devices) > 0 {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonMFAPresent, User: spec.UserName}}
		return c
	}
	if spec.SkipMFA {
		c.Action = ActionSkip
		c.Reasons = []Reason{{Code: ReasonMFASkipped, User: spec.UserName}}
		return c
	}
	for serial, holder := range st.VirtualMFAUsers {
		if name, ok := awsfacts.MFADeviceNameAtRoot(serial); ok && strings.EqualFold(name, spec.MFADeviceName) && !strings.EqualFold(holder, spec.UserName) {
			// Creating it would fail with EntityAlreadyExists after the
			// other changes were made: say so now.
			c.Action = ActionManual
			c.Reasons = []Reason{{Code: ReasonMFANameTaken, User: holder, Asked: spec.MFADeviceName}}
			c.ManualSteps = []string{fmt.Sprintf("enroll a virtual MFA device of another name for %s (the name %s is taken by %s's device)", spec.UserName, spec.MFADeviceName, holder)}
			return c
		}
	}
	after := UserMFA{UserName: spec.UserName, DeviceName: spec.MFADeviceName, Devices: []string{"(new) " + spec.MFADeviceName}}
	if serial := unassignedNamed(st.UnassignedVirtualMFA, spec.MFADeviceName); serial != "" {
		after.RemoveUnassigned = serial
		c.Details = append(c.Details, "delete unassigned virtual MFA device "+serial+" (left by an earlier, unfinished run)")
	}
	c.Details = append(c.Details,
		"create virtual MFA device "+spec.MFADeviceName,
		"show its QR code and enable it for "+spec.UserName+" with two consecutive codes",
	)
	c.After = after
	c.Action = ActionCreate
	c.Reasons = []Reason{{Code: ReasonMFAMissing, User: spec.UserName}}
	return c
}

// unassignedNamed finds the serial of an unassigned virtual MFA device with
// the given name at the root path, the one place where a device of that name
// blocks creating ours; one at another path is someone else's and is left.
func unassignedNamed(serials []string, name string) string {
	for _, s := range serials {
		if n, ok := awsfacts.MFADeviceNameAtRoot(s); ok && strings.EqualFold(n, name) {
			return s
		}
	}
	return ""
}

// enrollMFA enrolls the user's virtual MFA device. With overlap, it trusts
// the plan's view of the devices (read moments ago) and creates the device
// at once, enabling it when the user exists.
func (a *applier) enrollMFA(ctx context.Context, r *stepRun, overlap bool) error {
	// The authenticator app lists the account by alias when it has one,
	// including one this run is creating. A person's enrollment waits for
	// the alias to exist; an unattended one does not hold the device back
	// for a label, and names the planned alias even if creating it fails.
	label := a.plan.Account.Alias
	if c, ok := a.runs[StepAccountAlias]; ok {
		if !overlap {
			select {
			case <-c.done:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if al, ok := c.change.After.(AccountAlias); ok && al.Alias != "" && (overlap || c.err == nil) {
			label = al.Alias
		}
	}
	if label == "" {
		label = a.plan.Account.ID
	}
	device, _ := r.change.After.(UserMFA)
	req := mfa.Request{
		UserName:     a.userName,
		DeviceName:   device.DeviceName,
		AccountLabel: label,
		Issuer:       a.deps.MFAIssuer,
		Serial:       "arn:" + a.plan.Account.Partition + ":iam::" + a.plan.Account.ID + ":mfa/" + device.DeviceName,
		Clock:        a.deps.Now,
		Processes:    a.deps.Processes,
	}
	if overlap {
		before, _ := r.change.Before.(UserMFA)
		req.Known = &mfa.KnownDevices{UserDevices: before.Devices}
		if device.RemoveUnassigned != "" {
			req.Known.Unassigned = []string{device.RemoveUnassigned}
		}
		req.Ready = func(ctx context.Context) error {
			_, err := a.entityExists(ctx, StepAdminUser)
			return err
		}
	}
	res, err := mfa.Enroll(ctx, a.deps.IAM, a.deps.MFACodes, req)
	r.did = append(r.did, a.enrolled(res, err)...)
	// mfa's errors name the user and say what was cleaned up.
	return err
}

// enrolled says what an enrollment did. A device enabled but left out of
// sync (its resync failed) is the user's: that is said beside the error.
func (a *applier) enrolled(res mfa.Result, err error) []string {
	var did []string
	for _, s := range res.RemovedStale {
		did = append(did, "deleted unassigned virtual MFA device "+s)
	}
	if res.Outcome == mfa.OutcomeEnrolled && res.SerialNumber != "" {
		did = append(did, "enabled virtual MFA device "+res.SerialNumber+" for "+a.userName)
		if res.Resynced && err == nil {
			did = append(did, "resynced it with two fresh codes, as AWS got the first ones late")
		}
	}
	return did
}
