// Package mfa enrolls an IAM user's virtual MFA device: it creates the
// device, builds the otpauth URI a phone app scans, asks a CodeSource for two
// consecutive TOTP codes and enables the device, deleting it again when the
// enrollment is given up so that a later run starts clean.
//
// The package never touches a terminal. Package prompt implements CodeSource
// for people (it draws the QR code with RenderQR and shows the grouped secret
// with GroupSecret); SecretFileSource implements it for scripts.
//
// The seed, the URI and the codes travel as secret.Value: they print as
// "[redacted]" everywhere except where a CodeSource deliberately reveals them.
package mfa

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// IAMAPI is the part of *iam.Client that enrollment uses.
type IAMAPI interface {
	ListMFADevices(ctx context.Context, in *iam.ListMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListMFADevicesOutput, error)
	ListVirtualMFADevices(ctx context.Context, in *iam.ListVirtualMFADevicesInput, optFns ...func(*iam.Options)) (*iam.ListVirtualMFADevicesOutput, error)
	CreateVirtualMFADevice(ctx context.Context, in *iam.CreateVirtualMFADeviceInput, optFns ...func(*iam.Options)) (*iam.CreateVirtualMFADeviceOutput, error)
	EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput, optFns ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error)
	ResyncMFADevice(ctx context.Context, in *iam.ResyncMFADeviceInput, optFns ...func(*iam.Options)) (*iam.ResyncMFADeviceOutput, error)
	DeleteVirtualMFADevice(ctx context.Context, in *iam.DeleteVirtualMFADeviceInput, optFns ...func(*iam.Options)) (*iam.DeleteVirtualMFADeviceOutput, error)
	// ListMFADeviceTags tells this run's devices from another run's.
	ListMFADeviceTags(ctx context.Context, in *iam.ListMFADeviceTagsInput, optFns ...func(*iam.Options)) (*iam.ListMFADeviceTagsOutput, error)
}

var _ IAMAPI = (*iam.Client)(nil)

// DefaultIssuer names the service in authenticator apps, as the AWS console
// does.
const DefaultIssuer = "Amazon Web Services"

// MaxAttempts is how many pairs of codes Enroll asks for before giving up.
const MaxAttempts = 3

// Request says whose device to enroll.
type Request struct {
	// UserName is the IAM user who gets the device, for example
	// "administrator".
	UserName string
	// DeviceName is the virtual MFA device's name; empty means UserName, so
	// the device is easy to recognise in the console.
	DeviceName string
	// AccountLabel names the account in the authenticator app next to the
	// user: the account alias when there is one, else the account ID.
	AccountLabel string
	// Issuer overrides DefaultIssuer.
	Issuer string
	// Known, when not nil, is what the caller read about the devices moments
	// ago (for example to make its plan): Enroll trusts it instead of
	// listing them again, which saves two round trips one after the other.
	Known *KnownDevices
	// Ready, when not nil, is called after the device is created and
	// presented and before it is enabled, and Enroll waits for it. It lets a
	// caller with an Unattended source create and present the device while
	// it is still creating the user, then enable it once the user exists.
	// An error aborts the enrollment: the device is deleted and what was
	// presented is withdrawn.
	Ready func(context.Context) error
	// Serial, when not empty, is the serial number the device gets
	// (arn:<partition>:iam::<account>:mfa/<name>). When the name is taken
	// and no unassigned device is listed, Enroll deletes the device by this
	// serial, waiting out IAM's eventual consistency: a device an
	// interrupted run created moments ago is not listed yet.
	Serial string
	// RunID identifies this run in the tags of the device it creates (see
	// TagRun); empty means a random one (NewRunID).
	RunID string
	// Processes names this run's process in the device's tags and proves
	// another run on this host dead; nil means neither (a device another
	// run left is then deleted only after its enroll-by time).
	Processes Processes
	// Clock is this machine's clock (nil: time.Now), which times how long
	// a person's codes took to reach AWS and sets the device's enroll-by time.
	Clock func() time.Time
}

// KnownDevices are the devices a caller has already read.
type KnownDevices struct {
	// UserDevices are the serials of the user's MFA devices; the user may
	// not exist yet.
	UserDevices []string
	// Unassigned are the serials of unassigned virtual MFA devices named
	// like the new one (left by an aborted run), to delete first.
	Unassigned []string
}

// Unattended is implemented by a CodeSource that involves no person (such
// as SecretFileSource), so a caller may overlap the enrollment with other
// work instead of holding someone's attention through it.
type Unattended interface {
	Unattended() bool
}

// Enrollment is what a person (or a script) needs to add the device to an
// authenticator app.
type Enrollment struct {
	UserName     string
	DeviceName   string
	SerialNumber string // the device's ARN, passed to EnableMFADevice
	Issuer       string
	// AccountName is "user@account", the name the app lists under Issuer.
	AccountName string
	// Seed is the base32 TOTP secret, for people who cannot scan the QR code.
	Seed secret.Value
	// URI is the otpauth:// URI that the QR code and the secret file carry.
	URI secret.Value
}

// CodeRequest tells a CodeSource which attempt this is and, from the second
// attempt on, why the previous pair was refused.
type CodeRequest struct {
	Attempt     int // 1-based
	MaxAttempts int
	// Refused is nil on the first attempt. Otherwise it wraps one of
	// ErrCodeFormat, ErrCodesEqual, ErrCodesRejected or ErrOutOfSync, and
	// its message explains what to do; show it to the person.
	Refused error
	// AWSNow is AWS's clock, read from the Date of the answer that enabled
	// the device (nil before): sources that compute codes from this
	// machine's clock compute the resync's codes at AWS's time instead.
	AWSNow func() time.Time
}

// Codes are two consecutive TOTP codes, the second one generated after the
// first.
type Codes struct {
	First, Second secret.Value
	// ClockTime is the instant, by the clock that made the codes, at which
	// Second is current, for codes computed from this
	// machine's clock (the secret file); zero for codes a person read from
	// an app, whose clock is not this machine's.
	ClockTime time.Time
}

// CodeSource presents an enrollment and supplies the codes that prove the
// authenticator holds the seed. Enroll calls Present once, then Codes up to
// MaxAttempts times, and Abandon once if the enrollment is given up after
// Present was called.
//
// Returning an error from Present or Codes aborts the enrollment (use
// ctx.Err() or io.EOF when the person cancels or input ends): the device is
// deleted and nothing is left behind.
type CodeSource interface {
	// Present shows the enrollment: draw the QR code and offer the grouped
	// secret, or write the secret file.
	Present(ctx context.Context, e Enrollment) error
	// Codes returns two consecutive codes for the device Present showed.
	Codes(ctx context.Context, req CodeRequest) (Codes, error)
	// Abandon withdraws what Present handed out, because the device it
	// describes has been deleted (for example removes the secret file). It
	// returns a short note on what it did for the error message ("" for
	// nothing to say). It must not block on the person.
	Abandon(e Enrollment) (note string, err error)
}

// Outcome says what Enroll did.
type Outcome string

const (
	// OutcomeEnrolled means a new virtual MFA device was created and enabled.
	OutcomeEnrolled Outcome = "enrolled"
	// OutcomeAlreadyEnrolled means the user already had an MFA device (virtual,
	// hardware or passkey); nothing was changed.
	OutcomeAlreadyEnrolled Outcome = "already-enrolled"
)

// Result describes a successful Enroll.
type Result struct {
	Outcome Outcome
	// SerialNumber is the enabled device's serial (ARN); for
	// OutcomeAlreadyEnrolled the first of the user's existing devices.
	SerialNumber string
	// ExistingDevices are the serials the user already had.
	ExistingDevices []string
	// RemovedStale are unassigned devices of the same name, left by an
	// aborted run, that were deleted before creating the new one.
	RemovedStale []string
	// Attempts is how many pairs of codes were sent.
	Attempts int
	// Resynced: AWS got the enabling codes late, so the device was
	// resynced (ResyncMFADevice) with two fresh codes.
	Resynced bool
}

// Reasons a pair of codes is refused. They are wrapped with an explanation
// and passed back in CodeRequest.Refused, and wrapped in Enroll's error when
// the last attempt fails.
var (
	ErrCodeFormat    = locale.Wrap(locale.M("an MFA code is six digits"), nil)
	ErrCodesEqual    = locale.Wrap(locale.M("the two MFA codes are the same"), nil)
	ErrCodesRejected = locale.Wrap(locale.M("AWS refused the MFA codes"), nil)
	// ErrOutOfSync: the device was enabled with codes AWS received late, so
	// AWS associated it out of sync and refuses its codes until it is
	// resynced with two fresh ones.
	ErrOutOfSync = locale.Wrap(locale.M("the MFA device was enabled with late codes and is out of sync"), nil)
	// ErrTooManyAttempts ends an enrollment after MaxAttempts refused pairs.
	ErrTooManyAttempts = locale.Wrap(locale.M("too many refused MFA codes"), nil)
)
