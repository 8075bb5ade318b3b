package mfa

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go/middleware"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// cleanupTimeout bounds the calls that delete an abandoned device. They run
// on a context detached from the caller's, which is usually the one that was
// cancelled (Ctrl-C).
const cleanupTimeout = 20 * time.Second

// Validate checks the request before any AWS call.
func (r Request) Validate() error {
	if r.UserName == "" {
		return errors.New("MFA enrollment needs a user name")
	}
	if !awsfacts.ValidIAMName(r.UserName, awsfacts.MaxUserNameLen) {
		return locale.Wrap(locale.M("user name %q: use 1-64 letters, digits or +=,.@_-", r.UserName), nil)
	}
	if d := r.DeviceName; d != "" && !awsfacts.ValidIAMName(d, awsfacts.MaxMFADeviceNameLen) {
		return locale.Wrap(locale.M("MFA device name %q: use 1-226 letters, digits or +=,.@_-", d), nil)
	}
	return nil
}

func (r Request) deviceName() string {
	if r.DeviceName != "" {
		return r.DeviceName
	}
	return r.UserName
}

func (r Request) issuer() string {
	if r.Issuer != "" {
		return r.Issuer
	}
	return DefaultIssuer
}

// Enroll gives req.UserName a virtual MFA device unless the user already has
// an MFA device. It deletes an unassigned device of the same name left by an
// aborted run, creates the device, has src present it, and enables it with
// codes from src, asking again (up to MaxAttempts pairs, same device) when a
// pair is refused.
//
// When the enrollment is given up (src returns an error such as ctx.Err() or
// io.EOF, too many refused pairs, or any AWS error) Enroll deletes the device
// on a fresh, bounded context, calls src.Abandon, and returns an *EnrollError.
// No error it returns contains the seed, the URI or a code.
func Enroll(ctx context.Context, api IAMAPI, src CodeSource, req Request) (Result, error) {
	if err := req.Validate(); err != nil {
		return Result{}, err
	}
	e := &enrollment{api: api, src: src, req: req, runID: req.RunID, window: EnrollWindowPerson}
	if u, ok := src.(Unattended); ok && u.Unattended() {
		e.window = EnrollWindowUnattended
	}
	if e.runID == "" {
		id, err := NewRunID()
		if err != nil {
			return Result{}, err
		}
		e.runID = id
	}
	res, err := e.run(ctx)
	if err != nil && e.enabled {
		// The device is the user's: deleting it is not this run's call.
		return res, locale.Wrap(locale.M("enrolling MFA for %q: %v", req.UserName, err), err)
	}
	if err != nil {
		if err := e.abort(ctx, err); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

// EnrollError is returned when an enrollment was given up. Unwrap gives the
// cause (for example context.Canceled, io.EOF, ErrTooManyAttempts or an AWS
// error).
type EnrollError struct {
	UserName string
	Cause    error
	// SerialNumber is the device that was created, "" if none was.
	SerialNumber string
	// Cleanup is the error deleting that device, nil when it is gone.
	Cleanup error
	// Withdrawn is the CodeSource's note on what it took back, for example
	// "removed the secret file mfa.uri".
	Withdrawn string
	// WithdrawErr is the CodeSource's error withdrawing it.
	WithdrawErr error
	// SecretKept says what was shown (the secret file) was left in place
	// because the device could not be deleted and may be in use.
	SecretKept bool
	// Replaced says the serial now names another run's device: this run's
	// was deleted by that run as abandoned (its enroll-by time had passed).
	Replaced bool
}

func (e *EnrollError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "enrolling MFA for %q: %v", e.UserName, e.Cause)
	if e.SerialNumber != "" {
		if e.Replaced {
			fmt.Fprintf(&b, "; the MFA device %s is another run's now (this run's was deleted as abandoned), so this run's secret opens nothing", e.SerialNumber)
		} else if e.Cleanup == nil {
			fmt.Fprintf(&b, "; deleted the unassigned MFA device %s, so the next run starts clean", e.SerialNumber)
		} else {
			fmt.Fprintf(&b, "; could not delete the unassigned MFA device %s (%v): the next run deletes it", e.SerialNumber, e.Cleanup)
		}
	}
	if e.SecretKept {
		b.WriteString("; its secret was kept (for example the --mfa-secret-file), as the device may be in use: check with `aws iam list-mfa-devices`")
	}
	if e.Withdrawn != "" {
		fmt.Fprintf(&b, "; %s", e.Withdrawn)
	}
	if e.WithdrawErr != nil {
		fmt.Fprintf(&b, "; %v", e.WithdrawErr)
	}
	return b.String()
}

func (e *EnrollError) Unwrap() error { return e.Cause }

// enrollment is the state of one Enroll call.
type enrollment struct {
	api IAMAPI
	src CodeSource
	req Request

	serial    string // the device created by this run
	shown     *Enrollment
	enableErr bool // an EnableMFADevice call failed other than by refusing codes

	// runID tags the device this run creates; enrollBy is when it gives up
	// enabling it, window after creating it.
	runID    string
	window   time.Duration
	enrollBy time.Time
	enabled  bool // the device is enabled (it may still need a resync)
}

// clearTheWay finds the user's devices (existing: nothing to enroll) or,
// when there are none, removes unassigned devices with the same name that an
// aborted run left (stale), from the caller's knowledge when it has it.
func (e *enrollment) clearTheWay(ctx context.Context) (existing, stale []string, err error) {
	k := e.req.Known
	if k != nil {
		existing = k.UserDevices
	} else if existing, err = e.userDevices(ctx); err != nil {
		return nil, nil, err
	}
	if len(existing) > 0 {
		return existing, nil, nil
	}
	if k != nil {
		stale, err = e.deleteUnassigned(ctx, k.Unassigned)
	} else {
		stale, err = e.removeUnassigned(ctx)
	}
	return nil, stale, err
}

func (e *enrollment) run(ctx context.Context) (Result, error) {
	user := e.req.UserName
	existing, stale, err := e.clearTheWay(ctx)
	if err != nil {
		return Result{}, err
	}
	if len(existing) > 0 {
		return Result{Outcome: OutcomeAlreadyEnrolled, SerialNumber: existing[0], ExistingDevices: existing}, nil
	}
	res := Result{Outcome: OutcomeEnrolled, RemovedStale: stale}

	out, more, err := e.create(ctx)
	res.RemovedStale = append(res.RemovedStale, more...)
	if err != nil {
		return Result{}, err
	}
	dev := out.VirtualMFADevice
	if dev == nil || dev.SerialNumber == nil {
		return Result{}, locale.Wrap(locale.M("creating virtual MFA device: the answer has no serial number"), nil)
	}
	e.serial = *dev.SerialNumber
	res.SerialNumber = e.serial
	if len(dev.Base32StringSeed) == 0 {
		return Result{}, locale.Wrap(locale.M("creating virtual MFA device: the answer has no seed"), nil)
	}
	seed := secret.New(string(dev.Base32StringSeed))
	name := accountName(user, e.req.AccountLabel)
	en := Enrollment{
		UserName:     user,
		DeviceName:   e.req.deviceName(),
		SerialNumber: e.serial,
		Issuer:       e.req.issuer(),
		AccountName:  name,
		Seed:         seed,
		URI:          BuildURI(e.req.issuer(), name, seed),
	}
	e.shown = &en
	if err := e.src.Present(ctx, en); err != nil {
		return Result{}, locale.Wrap(locale.M("presenting the MFA device: %v", err), err)
	}
	// Presenting first keeps the secret file's write and sync off the
	// critical path: they overlap the caller's creation of the user.
	if e.req.Ready != nil {
		if err := e.req.Ready(ctx); err != nil {
			return Result{}, err
		}
	}

	return e.enable(ctx, res)
}

// enable asks for codes and enables the device, up to MaxAttempts pairs.
func (e *enrollment) enable(ctx context.Context, res Result) (Result, error) {
	var refused error
	for attempt := 1; attempt <= MaxAttempts; attempt++ {
		codes, err := e.src.Codes(ctx, CodeRequest{Attempt: attempt, MaxAttempts: MaxAttempts, Refused: refused})
		if err != nil {
			return Result{}, locale.Wrap(locale.M("reading MFA codes: %v", err), err)
		}
		res.Attempts = attempt
		if err := CheckCodes(codes); err != nil {
			refused = err
			continue
		}
		readAt := e.now()
		codes = normalizeCodes(codes)
		if e.now().After(e.enrollBy) {
			// Other runs may treat the device as abandoned from now on.
			return Result{}, locale.Wrap(locale.M("%v (%s); run again", ErrEnrollWindowPassed, e.window), ErrEnrollWindowPassed)
		}
		out, err := e.api.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{
			UserName:            aws.String(e.req.UserName),
			SerialNumber:        aws.String(e.serial),
			AuthenticationCode1: aws.String(codes.First.Reveal()),
			AuthenticationCode2: aws.String(codes.Second.Reveal()),
		}, retryWhileInvisible)
		if err == nil {
			e.shown = nil
			e.enabled = true
			res.Resynced, err = e.syncIfLate(ctx, codes, readAt, out.ResultMetadata)
			return res, err
		}
		if awsfacts.HasErrorCode(err, "InvalidAuthenticationCode") {
			refused = locale.Wrap(locale.M("%s: enter two consecutive codes, the one the app shows now and then the next one after it changes; if they keep being refused, set the phone's clock to update automatically", ErrCodesRejected), ErrCodesRejected)
			continue
		}
		e.enableErr = true
		return res, locale.Wrap(locale.M("enabling MFA device %s: %v", e.serial, err), err)
	}
	// The device is deleted on the way out, so the entry the person just
	// scanned into the app can never produce a valid code again.
	return Result{}, locale.Wrap(locale.M("%v after %d attempts (%v); the entry just added to the authenticator app is dead now: remove it, and scan the new QR code the next run shows",
		ErrTooManyAttempts, MaxAttempts, refused), errors.Join(ErrTooManyAttempts, refused))
}

// inSyncSteps is how many TOTP steps the second code may lag AWS's clock
// and still enable the device in sync: AWS associates a device enabled with
// codes it deems too old, out of sync (its codes are then refused until
// ResyncMFADevice), and does not say so in its answer. AWS does not publish
// the window; one step is the usual TOTP allowance for network delay, and a
// resync of a device that was in sync is harmless.
const inSyncSteps = 1

// lateSteps estimates by how many TOTP steps the second code lagged AWS's
// clock when AWS answered, and returns AWS's clock as the answer's Date
// gives it (nil without one). Codes computed by a clock are compared with
// AWS's clock; codes a person read from an app lag by the time from reading
// them to the answer.
func (e *enrollment) lateSteps(codes Codes, readAt time.Time, md middleware.Metadata) (late int64, awsNow func() time.Time) {
	answered := e.now()
	server, haveServer := awsmiddleware.GetServerTime(md)
	if haveServer {
		// time.Now's differences are monotonic, whatever the wall clock
		// says.
		awsNow = func() time.Time { return server.Add(e.now().Sub(answered)) }
	}
	step := func(t time.Time) int64 { return t.Unix() / int64(totpPeriod/time.Second) }
	switch {
	case codes.ClockTime.IsZero():
		// The code shown when it was read may change right after.
		return int64((answered.Sub(readAt) + totpPeriod - 1) / totpPeriod), awsNow
	case haveServer:
		return step(server) - step(codes.ClockTime), awsNow
	}
	return 0, awsNow
}

// syncIfLate resyncs a device just enabled with codes that reached AWS late
// (which AWS does not say), and reports whether it did.
func (e *enrollment) syncIfLate(ctx context.Context, codes Codes, readAt time.Time, md middleware.Metadata) (bool, error) {
	late, awsNow := e.lateSteps(codes, readAt, md)
	if late <= inSyncSteps {
		return false, nil
	}
	return true, e.resync(ctx, awsNow)
}

func (e *enrollment) now() time.Time {
	if e.req.Clock != nil {
		return e.req.Clock()
	}
	return time.Now()
}

// resync brings a device enabled with late codes in sync with two fresh
// codes, asking again (up to MaxAttempts pairs) when a pair is refused. The
// device stays the user's either way; a failure says how to resync by hand.
func (e *enrollment) resync(ctx context.Context, awsNow func() time.Time) error {
	refused := locale.Wrap(locale.M("%s: enter two new consecutive codes from the app to resync it", ErrOutOfSync), ErrOutOfSync)
	err := func() error {
		for attempt := 1; attempt <= MaxAttempts; attempt++ {
			codes, err := e.src.Codes(ctx, CodeRequest{Attempt: attempt, MaxAttempts: MaxAttempts, Refused: refused, AWSNow: awsNow})
			if err != nil {
				return locale.Wrap(locale.M("reading MFA codes: %v", err), err)
			}
			if err := CheckCodes(codes); err != nil {
				refused = err
				continue
			}
			codes = normalizeCodes(codes)
			_, err = e.api.ResyncMFADevice(ctx, &iam.ResyncMFADeviceInput{
				UserName:            aws.String(e.req.UserName),
				SerialNumber:        aws.String(e.serial),
				AuthenticationCode1: aws.String(codes.First.Reveal()),
				AuthenticationCode2: aws.String(codes.Second.Reveal()),
			}, retryWhileInvisible)
			if !awsfacts.HasErrorCode(err, "InvalidAuthenticationCode") {
				return err
			}
			refused = locale.Wrap(locale.M("%s: AWS refused those codes too; wait for the app's next code, then enter two new consecutive codes", ErrOutOfSync), ErrOutOfSync)
		}
		return locale.Wrap(locale.M("%v after %d attempts: %v", ErrTooManyAttempts, MaxAttempts, refused), errors.Join(ErrTooManyAttempts, refused))
	}()
	if err != nil {
		return locale.Wrap(locale.M("MFA device %s was enabled with late codes and is out of sync, and resyncing it failed: %v; "+
			"hint: resync it with two consecutive codes from the app: aws iam resync-mfa-device --user-name %s --serial-number %s "+
			"--authentication-code1 CODE1 --authentication-code2 CODE2 (or the IAM console: the user's Security credentials > MFA > Resync)",
			e.serial, err, e.req.UserName, e.serial), err)
	}
	return nil
}

// create creates the device. EntityAlreadyExists has two harmless causes: a
// leftover that appeared after the caller's Known listing, and the SDK's
// retry of a create whose answer was lost (a connection closed while the
// answer was read) meeting its own device, whose seed is gone. Either way the
// name is held by an unassigned device: create deletes such devices (and
// returns them) and creates once more. Only an assigned device means the name
// belongs to someone else.
// create creates the device, tagged as this run's. EntityAlreadyExists has
// three causes: a leftover that appeared after the caller's Known listing;
// the SDK's retry of a create whose answer was lost (a connection closed
// while the answer was read) meeting this run's own device, whose seed is
// gone; and another run enrolling the same user right now. create deletes
// the unassigned devices of the name that are provably not another live
// run's (see mayDelete) and creates once more; it fails with a *BusyError
// when one may be, and says so when the user got a device meanwhile.
func (e *enrollment) create(ctx context.Context) (_ *iam.CreateVirtualMFADeviceOutput, removed []string, _ error) {
	name := e.req.deviceName()
	e.enrollBy = e.now().Add(e.window)
	in := &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String(name), Tags: e.ownerTags()}
	out, err := e.api.CreateVirtualMFADevice(ctx, in)
	if awsfacts.HasErrorCode(err, "EntityAlreadyExists") {
		var rerr error
		removed, rerr = e.removeUnassigned(ctx)
		if rerr != nil {
			return nil, removed, rerr
		}
		if len(removed) == 0 && e.req.Serial != "" {
			// Not listed yet: look it up by serial, waiting out IAM's
			// eventual consistency. NoSuchEntity after the retries means
			// the name is held by something else.
			done, derr := e.deleteIfAbandoned(ctx, e.req.Serial, retryWhileInvisible)
			if derr != nil {
				return nil, removed, derr
			}
			removed = append(removed, done...)
		}
		if len(removed) > 0 {
			out, err = e.api.CreateVirtualMFADevice(ctx, in)
		}
		if awsfacts.HasErrorCode(err, "EntityAlreadyExists") {
			if devs, lerr := e.userDevices(ctx); lerr == nil && len(devs) > 0 {
				return nil, removed, locale.Wrap(locale.M("user %q got the MFA device %s from another run (or person) while this run was enrolling one; this run enrolled none (hint: that device is the user's MFA now; run again to check)", e.req.UserName, devs[0]), nil)
			}
			return nil, removed, locale.Wrap(locale.M("creating virtual MFA device %q: %v (hint: a device of that name belongs to another user; choose another device name)", name, err), err)
		}
	}
	if err != nil {
		// The answer may have been lost after the device was made: sweep
		// for it now rather than leave it to the next run.
		cctx, cancel := cleanupContext(ctx)
		if swept, _ := e.removeUnassigned(cctx); len(swept) == 0 && e.req.Serial != "" {
			// Not listed yet (IAM shows new devices late): its tags, read
			// by serial once it is visible, tell whether it is this run's.
			_, _ = e.deleteIfAbandoned(cctx, e.req.Serial, retryWhileInvisible)
		}
		cancel()
		return nil, removed, locale.Wrap(locale.M("creating virtual MFA device %q: %v", name, err), err)
	}
	return out, removed, nil
}

// abort gives the enrollment up: it deletes the device this run created and
// has the source withdraw what it showed. It returns nil in the one case where
// the enrollment turns out to have succeeded after all.
func (e *enrollment) abort(ctx context.Context, cause error) error {
	if e.serial == "" {
		// Nothing was created (or shown): a plain wrapped error reads better.
		return locale.Wrap(locale.M("enrolling MFA for %q: %v", e.req.UserName, cause), cause)
	}
	ee := &EnrollError{UserName: e.req.UserName, Cause: cause, SerialNumber: e.serial}
	ctx, cancel := cleanupContext(ctx)
	defer cancel()
	if e.enableErr && e.enabledByUs(ctx) {
		// A lost answer hid a successful EnableMFADevice.
		return nil
	}
	_, err := e.api.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(e.serial)}, retryWhileInvisible)
	if awsfacts.HasErrorCode(err, "DeleteConflict") {
		if e.enabledByUs(ctx) {
			// In use: an EnableMFADevice that seemed to fail (the run was
			// cancelled while it was in flight) went through after the
			// check above. The enrollment did succeed.
			return nil
		}
		if o, oerr := e.owner(ctx, e.serial); oerr == nil && !o.gone && o.runID != e.runID {
			// The serial is another run's device now: this run's was
			// deleted as abandoned, and its secret opens nothing.
			ee.Replaced = true
			err = nil
		}
	}
	if err != nil && !awsfacts.HasErrorCode(err, "NoSuchEntity") {
		ee.Cleanup = err
		// The device still exists and may be enabled: its secret is the
		// only way to use it, so what was shown is not withdrawn.
		ee.SecretKept = e.shown != nil
		return ee
	}
	if e.shown != nil {
		ee.Withdrawn, ee.WithdrawErr = e.src.Abandon(*e.shown)
	}
	return ee
}

// enabledByUs reports whether the device this run created is the user's
// now. The serial alone does not prove it: had another run deleted this
// run's device as abandoned and made its own under the same name, the
// serial would be the same, so the device's tags must name this run.
func (e *enrollment) enabledByUs(ctx context.Context) bool {
	devs, err := e.userDevices(ctx)
	return err == nil && slices.Contains(devs, e.serial) && e.ours(ctx, e.serial)
}

// userDevices lists the serials of the user's MFA devices of any kind.
func (e *enrollment) userDevices(ctx context.Context) ([]string, error) {
	var serials []string
	p := iam.NewListMFADevicesPaginator(e.api, &iam.ListMFADevicesInput{UserName: aws.String(e.req.UserName)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, retryWhileInvisible)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing MFA devices of %q: %v", e.req.UserName, err), err)
		}
		for _, d := range page.MFADevices {
			serials = append(serials, aws.ToString(d.SerialNumber))
		}
	}
	return serials, nil
}

// removeUnassigned deletes unassigned virtual devices named like ours: an
// aborted run's leftovers, which keep the name taken.
func (e *enrollment) removeUnassigned(ctx context.Context) ([]string, error) {
	var removed []string
	p := iam.NewListVirtualMFADevicesPaginator(e.api, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return removed, locale.Wrap(locale.M("listing unassigned virtual MFA devices: %v", err), err)
		}
		var named []string
		for _, d := range page.VirtualMFADevices {
			serial := aws.ToString(d.SerialNumber)
			if d.User == nil && isDeviceNamed(serial, e.req.deviceName()) {
				named = append(named, serial)
			}
		}
		done, err := e.deleteUnassigned(ctx, named)
		removed = append(removed, done...)
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// deleteUnassigned deletes those of the given unassigned virtual devices
// that no other live run may be enrolling.
func (e *enrollment) deleteUnassigned(ctx context.Context, serials []string) ([]string, error) {
	var removed []string
	for _, serial := range serials {
		done, err := e.deleteIfAbandoned(ctx, serial)
		removed = append(removed, done...)
		if err != nil {
			return removed, err
		}
	}
	return removed, nil
}

// deleteIfAbandoned deletes an unassigned device named like ours when
// mayDelete allows it, and returns it then.
func (e *enrollment) deleteIfAbandoned(ctx context.Context, serial string, optFns ...func(*iam.Options)) ([]string, error) {
	ok, err := e.mayDelete(ctx, serial, optFns...)
	if err != nil || !ok {
		return nil, err
	}
	_, err = e.api.DeleteVirtualMFADevice(ctx, &iam.DeleteVirtualMFADeviceInput{SerialNumber: aws.String(serial)})
	if err != nil && !awsfacts.HasErrorCode(err, "NoSuchEntity") {
		if awsfacts.HasErrorCode(err, "DeleteConflict") {
			// Enabled since it was listed: not a leftover after all.
			return nil, nil
		}
		return nil, locale.Wrap(locale.M("deleting unassigned virtual MFA device %s left by an earlier run: %v", serial, err), err)
	}
	return []string{serial}, nil
}

// isDeviceNamed reports whether a virtual device's serial
// (arn:<partition>:iam::<account>:mfa/<path><name>) ends in name.
func isDeviceNamed(serial, name string) bool {
	n, ok := awsfacts.MFADeviceNameAtRoot(serial)
	return ok && strings.EqualFold(n, name)
}

// retryWhileInvisible lets the SDK's retryer wait out IAM's eventual
// consistency: a device or user created moments ago can answer NoSuchEntity.
func retryWhileInvisible(o *iam.Options) {
	if o.Retryer == nil {
		return
	}
	r := retry.AddWithErrorCodes(o.Retryer, "NoSuchEntity")
	r = retry.AddWithMaxAttempts(r, 8)
	o.Retryer = retry.AddWithMaxBackoffDelay(r, 2*time.Second)
}

// cleanupContext keeps ctx's values but not its cancellation, for cleaning
// up after the caller gave up, and bounds the cleanup instead.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
}
