package baseline

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
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
			after, _ := r.change.After.(UserMFA)
			if after.DeviceName != "" {
				res, err := a.enrollMFA(ctx, r, unattended(a.deps.MFACodes))
				if err != nil || res.Outcome != mfa.OutcomeEnrolled {
					// A failed enrollment leaves the old devices: the
					// user is never without MFA.
					return err
				}
			}
			return a.removeReplaced(ctx, r, after.Replace)
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
	// Replace (After only) are the serials of the user's virtual MFA
	// devices deactivated and deleted once the new one is enabled
	// (Spec.ReenrollMFA).
	Replace []string `json:"replace,omitempty"`
	// RemoveUnassigned (After only) is the serial of an unassigned virtual
	// MFA device with the same name, left by an aborted run, that is deleted
	// before the new one is created.
	RemoveUnassigned string `json:"remove_unassigned,omitempty"`
}

func planUserMFA(in planInput) Change {
	spec, st := in.Spec, in.State
	c := Change{
		Step:    StepUserMFA,
		Subject: Subject{User: spec.UserName},
	}
	var devices []string
	for _, d := range st.MFADevices {
		devices = append(devices, d.SerialNumber)
	}
	if st.User != nil {
		c.Before = UserMFA{UserName: st.User.Name, Devices: devices}
	}
	if len(devices) > 0 && spec.ReenrollMFA {
		return planReenroll(c, spec, st)
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
			c.ManualSteps = []locale.Msg{locale.M("enroll a virtual MFA device of another name for %s (the name %s is taken by %s's device)", spec.UserName, spec.MFADeviceName, holder)}
			return c
		}
	}
	c = planNewDevice(c, spec, st, spec.MFADeviceName)
	c.Action = ActionCreate
	c.Reasons = []Reason{{Code: ReasonMFAMissing, User: spec.UserName}}
	return c
}

// planNewDevice plans creating and enabling a virtual MFA device named name
// for the spec's user, after deleting one of that name an earlier run left
// unassigned.
func planNewDevice(c Change, spec Spec, st State, name string) Change {
	after := UserMFA{UserName: spec.UserName, DeviceName: name, Devices: []string{"(new) " + name}}
	if serial := unassignedNamed(st.UnassignedVirtualMFA, name); serial != "" {
		after.RemoveUnassigned = serial
		c.Details = append(c.Details, locale.M("delete unassigned virtual MFA device %s (left by an earlier, unfinished run)", serial))
	}
	c.Details = append(c.Details,
		locale.M("create virtual MFA device %s", name),
		locale.M("show its QR code and enable it for %s with two consecutive codes", spec.UserName),
	)
	c.After = after
	return c
}

// planReenroll replaces the user's virtual MFA devices: a new one is
// enabled first, the old ones deleted after. A user holding several virtual
// devices is taken as a re-enrollment that stopped between the two (a user
// may hold up to 8): the device enabled last is kept and the others go, with
// no new enrollment. Devices that are not virtual (hardware, security keys)
// are left as they are.
func planReenroll(c Change, spec Spec, st State) Change {
	var virtual []MFADevice
	for _, d := range st.MFADevices {
		if awsfacts.IsVirtualMFASerial(d.SerialNumber) {
			virtual = append(virtual, d)
		}
	}
	slices.SortStableFunc(virtual, func(x, y MFADevice) int { return x.EnableDate.Compare(y.EnableDate) })
	var old []string
	for _, d := range virtual {
		old = append(old, d.SerialNumber)
	}
	if len(virtual) > 1 {
		keep := old[len(old)-1]
		c.Action = ActionDelete
		c.Reasons = []Reason{{Code: ReasonMFAReenrollFinish, User: spec.UserName, Keys: []string{keep}}}
		c.After = UserMFA{UserName: spec.UserName, Devices: []string{keep}, Replace: old[:len(old)-1]}
		for _, s := range old[:len(old)-1] {
			c.Details = append(c.Details, locale.M("deactivate and delete virtual MFA device %s", s))
		}
		return c
	}
	c = planNewDevice(c, spec, st, freeDeviceName(spec.MFADeviceName, st))
	after, _ := c.After.(UserMFA)
	after.Replace = old
	c.After = after
	for _, s := range old {
		c.Details = append(c.Details, locale.M("once it is enabled, deactivate and delete virtual MFA device %s", s))
	}
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonMFAReenroll, User: spec.UserName}}
	return c
}

// freeDeviceName is name, or name-2, name-3... when a device already holds
// it: the device being replaced still exists while the new one is enabled.
// A name only an unassigned device holds is free (that device is deleted
// first).
func freeDeviceName(name string, st State) string {
	held := map[string]bool{}
	for serial := range st.VirtualMFAUsers {
		if n, ok := awsfacts.MFADeviceNameAtRoot(serial); ok {
			held[strings.ToLower(n)] = true
		}
	}
	candidate := name
	for i := 2; held[strings.ToLower(candidate)]; i++ {
		suffix := fmt.Sprintf("-%d", i)
		candidate = name[:min(len(name), awsfacts.MaxMFADeviceNameLen-len(suffix))] + suffix
	}
	return candidate
}

// removeReplaced deactivates and deletes the devices a new one replaced,
// once it is enabled. One already gone (a run that stopped halfway through)
// is not an error.
func (a *applier) removeReplaced(ctx context.Context, r *stepRun, serials []string) error {
	for _, s := range serials {
		_, err := a.deps.IAM.DeactivateMFADevice(ctx, &iam.DeactivateMFADeviceInput{UserName: aws.String(a.userName), SerialNumber: aws.String(s)})
		if err != nil && !IsNoSuchEntity(err) {
			return locale.Wrap(locale.M("deactivating virtual MFA device %s of %q: %v", s, a.userName, err), err)
		}
		_, err = a.deps.IAM.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(s)})
		if err != nil && !IsNoSuchEntity(err) {
			return locale.Wrap(locale.M("deleting virtual MFA device %s of %q: %v", s, a.userName, err), err)
		}
		r.did = append(r.did, locale.M("deactivated and deleted virtual MFA device %s", s))
	}
	return nil
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
func (a *applier) enrollMFA(ctx context.Context, r *stepRun, overlap bool) (mfa.Result, error) {
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
				return mfa.Result{}, ctx.Err()
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
	if len(device.Replace) > 0 {
		// The devices being replaced are no reason to stop: the plan
		// read them, and they go once the new one is enabled.
		req.Known = &mfa.KnownDevices{}
		if device.RemoveUnassigned != "" {
			req.Known.Unassigned = []string{device.RemoveUnassigned}
		}
	}
	res, err := mfa.Enroll(ctx, a.deps.IAM, a.deps.MFACodes, req)
	r.did = append(r.did, a.enrolled(res, err)...)
	// mfa's errors name the user and say what was cleaned up.
	return res, err
}

// enrolled says what an enrollment did. A device enabled but left out of
// sync (its resync failed) is the user's: that is said beside the error.
func (a *applier) enrolled(res mfa.Result, err error) []locale.Msg {
	var did []locale.Msg
	for _, s := range res.RemovedStale {
		did = append(did, locale.M("deleted unassigned virtual MFA device %s", s))
	}
	if res.Outcome == mfa.OutcomeEnrolled && res.SerialNumber != "" {
		did = append(did, locale.M("enabled virtual MFA device %s for %s", res.SerialNumber, a.userName))
		if res.Resynced && err == nil {
			did = append(did, locale.M("resynced it with two fresh codes, as AWS got the first ones late"))
		}
	}
	return did
}
