package iamsim

import (
	"crypto/rand"
	"encoding/base32"
	"net/url"
	"sort"
	"strings"
	"time"

	"rsc.io/qr"
)

const (
	// enableSkew is how many 30-second steps the second code of
	// EnableMFADevice may be away from the server's current step.
	enableSkew = 1
	// resyncSkew is wider: resynchronising exists for drifted devices.
	resyncSkew = 20
	// lateSkew: codes this many steps from the clock still associate the
	// device in EnableMFADevice, out of sync. AWS documents the behaviour
	// ("wait too long ... the MFA device successfully associates with the
	// user but ... becomes out of sync") but not the window; this is ours.
	lateSkew   = resyncSkew
	rootDevice = "root-account-mfa-device"
)

func (c *call) deviceSerial(path, name string) string { return c.acct.arn("mfa" + path + name) }

func (c *call) createVirtualMFADevice() error {
	name, err := c.entityName("VirtualMFADeviceName")
	if err != nil {
		return err
	}
	path := c.path("Path")
	tags, err := c.tagsParam("TagMFADevice")
	if err != nil {
		return err
	}
	serial := c.deviceSerial(path, name)
	for _, d := range c.acct.devices {
		if strings.EqualFold(d.serial, serial) {
			return errf("EntityAlreadyExists", "MFADevice entity at the same path and name already exists.")
		}
	}
	if len(c.acct.devices) >= c.s.deviceQuota {
		return quotaExceeded("VirtualMFADevicesPerAccount", c.s.deviceQuota)
	}
	seed := make([]byte, 20) // 160 bits, as RFC 4226 recommends
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	d := &mfaDevice{
		serial: serial, name: name, path: path, created: c.now, visibleAt: c.visibleAt(),
		seed: base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(seed), lastStep: -1, tags: tags,
	}
	png, err := c.qrPNG(d)
	if err != nil {
		return err
	}
	c.acct.devices[key(serial)] = d
	c.out.open("VirtualMFADevice")
	c.out.blob("Base32StringSeed", []byte(d.seed))
	c.out.blob("QRCodePNG", png)
	c.out.text("SerialNumber", serial)
	if len(tags) > 0 {
		c.writeTags(tags)
	}
	c.out.close("VirtualMFADevice")
	return nil
}

// qrPNG draws the otpauth URI the way the IAM console's QR code carries it.
func (c *call) qrPNG(d *mfaDevice) ([]byte, error) {
	account := c.acct.id
	if c.acct.alias != "" {
		account = c.acct.alias
	}
	label := url.PathEscape("Amazon Web Services:" + d.name + "@" + account)
	uri := "otpauth://totp/" + label + "?secret=" + d.seed + "&issuer=" + url.QueryEscape("Amazon Web Services")
	code, err := qr.Encode(uri, qr.M)
	if err != nil {
		return nil, err
	}
	return code.PNG(), nil
}

// serialParam reads SerialNumber and finds the account's virtual device.
func (c *call) serialParam() (string, *mfaDevice, error) {
	serial, err := c.required("SerialNumber")
	if err != nil {
		return "", nil, err
	}
	d := c.acct.devices[key(serial)]
	if d != nil && !c.visible(d.visibleAt) {
		d = nil
	}
	return serial, d, nil
}

func (c *call) codeParams() (string, string, error) {
	var codes [2]string
	for i, name := range []string{"AuthenticationCode1", "AuthenticationCode2"} {
		v, err := c.required(name)
		if err != nil {
			return "", "", err
		}
		codes[i] = v
	}
	return codes[0], codes[1], nil
}

func invalidCode() error {
	return errf("InvalidAuthenticationCode", "Authentication code for device is not valid.")
}

func (c *call) enableMFADevice() error {
	u, err := c.modifiableUser(false)
	if err != nil {
		return err
	}
	serial, d, err := c.serialParam()
	if err != nil {
		return err
	}
	code1, code2, err := c.codeParams()
	if err != nil {
		return err
	}
	if d == nil {
		return noSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
	}
	if d.user != nil || d.root {
		return errf("EntityAlreadyExists", "MFA Device is already in use.")
	}
	if len(u.mfa) >= mfaDevicesPerUser {
		return quotaExceeded("MFADevicesPerUser", mfaDevicesPerUser)
	}
	step, ok := matchConsecutive(d.seed, code1, code2, c.now, enableSkew, d.lastStep)
	late := false
	if !ok {
		step, ok = matchConsecutive(d.seed, code1, code2, c.now, lateSkew, d.lastStep)
		late = ok
	}
	if !ok {
		return invalidCode()
	}
	d.lastStep = step
	d.outOfSync = late
	d.user = u
	d.enabled = c.now
	u.mfa = append(u.mfa, d)
	return nil
}

// assignedDevice finds the device with the serial assigned to u.
func (c *call) assignedDevice(u *user) (*mfaDevice, error) {
	serial, d, err := c.serialParam()
	if err != nil {
		return nil, err
	}
	if d == nil || d.user != u {
		return nil, noSuchEntity("MFA Device with serial number %s does not exist.", serial)
	}
	return d, nil
}

func (c *call) deactivateMFADevice() error {
	u, err := c.modifiableUser(false)
	if err != nil {
		return err
	}
	d, err := c.assignedDevice(u)
	if err != nil {
		return err
	}
	for i, x := range u.mfa {
		if x == d {
			u.mfa = append(u.mfa[:i:i], u.mfa[i+1:]...)
			break
		}
	}
	d.user = nil
	d.enabled = time.Time{}
	return nil
}

func (c *call) resyncMFADevice() error {
	u, err := c.modifiableUser(false)
	if err != nil {
		return err
	}
	d, err := c.assignedDevice(u)
	if err != nil {
		return err
	}
	code1, code2, err := c.codeParams()
	if err != nil {
		return err
	}
	step, ok := matchConsecutive(d.seed, code1, code2, c.now, resyncSkew, d.lastStep)
	if !ok {
		return invalidCode()
	}
	d.lastStep = step
	d.outOfSync = false
	return nil
}

// MFADeviceInSync reports whether an assigned virtual MFA device accepts
// codes: false after an EnableMFADevice with late codes, until
// ResyncMFADevice. AWS shows this only by refusing the device's codes.
func (s *Sim) MFADeviceInSync(accountID, serialNumber string) (assigned, inSync bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		return false, false
	}
	d := a.devices[key(serialNumber)]
	if d == nil || d.user == nil {
		return false, false
	}
	return true, !d.outOfSync
}

func (c *call) deleteVirtualMFADevice() error {
	serial, d, err := c.serialParam()
	if err != nil {
		return err
	}
	if d == nil {
		return noSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
	}
	if d.user != nil {
		return errf("DeleteConflict", "MFA Device is still in use.")
	}
	delete(c.acct.devices, key(d.serial))
	return nil
}

func (c *call) listMFADevices() error {
	u, err := c.userParam(true)
	if err != nil {
		return err
	}
	type row struct {
		serial, user string
		enabled      time.Time
	}
	var rows []row
	if u == nil {
		if c.acct.rootMFA {
			rows = append(rows, row{c.acct.arn("mfa/" + rootDevice), c.acct.id, c.acct.created})
		}
	} else {
		for _, d := range u.mfa {
			rows = append(rows, row{d.serial, u.name, d.enabled})
		}
	}
	page, truncated, next, err := pageOf(c, rows, func(r row) string { return r.serial })
	if err != nil {
		return err
	}
	c.out.page(truncated, next)
	c.out.open("MFADevices")
	for _, r := range page {
		c.out.open("member")
		c.out.time("EnableDate", r.enabled)
		c.out.text("SerialNumber", r.serial)
		c.out.text("UserName", r.user)
		c.out.close("member")
	}
	c.out.close("MFADevices")
	return nil
}

func (c *call) listVirtualMFADevices() error {
	status := "Any"
	if c.has("AssignmentStatus") {
		status = c.str("AssignmentStatus")
	}
	var devices []*mfaDevice
	for _, d := range c.acct.devices {
		if !c.visible(d.visibleAt) {
			continue
		}
		assigned := d.user != nil
		if status == "Any" || (status == "Assigned") == assigned {
			devices = append(devices, d)
		}
	}
	if c.acct.rootMFA && status != "Unassigned" {
		devices = append(devices, &mfaDevice{serial: c.acct.arn("mfa/" + rootDevice), root: true, enabled: c.acct.created})
	}
	sort.Slice(devices, func(i, j int) bool { return devices[i].serial < devices[j].serial })
	page, truncated, next, err := pageOf(c, devices, func(d *mfaDevice) string { return d.serial })
	if err != nil {
		return err
	}
	c.out.page(truncated, next)
	c.out.open("VirtualMFADevices")
	for _, d := range page {
		// List answers never carry the seed or the QR code.
		c.out.open("member")
		if d.user != nil || d.root {
			c.out.time("EnableDate", d.enabled)
		}
		c.out.text("SerialNumber", d.serial)
		if d.root {
			c.out.open("User")
			c.writeRootUser()
			c.out.close("User")
		} else if d.user != nil {
			c.out.open("User")
			c.writeUser(d.user)
			c.out.close("User")
		}
		c.out.close("member")
	}
	c.out.close("VirtualMFADevices")
	return nil
}

// MFASeed returns a virtual MFA device's base32 seed, for tests that play
// the part of the authenticator app.
func (s *Sim) MFASeed(accountID, serialNumber string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		return "", false
	}
	d := a.devices[key(serialNumber)]
	if d == nil {
		return "", false
	}
	return d.seed, true
}
