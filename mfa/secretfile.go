package mfa

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// totpPeriod is IAM's TOTP time step.
const totpPeriod = 30 * time.Second

// SecretFileSource is the non-interactive CodeSource behind
// --mfa-secret-file: it writes the otpauth URI to a new file that only the
// owner can read and computes the codes itself from the seed.
//
// The codes are those of the previous and the current 30-second step, the
// pair a person would type after waiting for the code to change, so both are
// already valid when they arrive. If AWS refuses them (this machine's clock is
// off), the next attempts try one step later and then one step earlier.
type SecretFileSource struct {
	path string
	now  func() time.Time

	written bool
	seed    secret.Value
}

// CheckSecretFilePath reports whether path can become the secret file: its
// directory must take new files, and the path must be free or a regular
// file. A file already there is replaced only when a new device is
// enrolled: the user then has no MFA device, so the seed in it (a run that
// stopped before enabling its device) opens nothing. Call it before any AWS
// call.
func CheckSecretFilePath(path string) error {
	if err := secret.CheckDir(path); err != nil {
		return locale.Wrap(locale.M("MFA secret file: %v", err), err)
	}
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return locale.Wrap(locale.M("MFA secret file: %s is not a regular file: refusing to replace it", path), nil)
	}
	return nil
}

// NewSecretFileSource checks path with CheckSecretFilePath. now is the clock
// the codes are computed at; nil means time.Now.
func NewSecretFileSource(path string, now func() time.Time) (*SecretFileSource, error) {
	if err := CheckSecretFilePath(path); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &SecretFileSource{path: path, now: now}, nil
}

// Unattended reports true: no person reads or types anything.
func (s *SecretFileSource) Unattended() bool { return true }

// Path is the file the URI is written to.
func (s *SecretFileSource) Path() string { return s.path }

// Present writes the URI and a newline to the file, mode 0600, replacing
// an earlier run's seed of a device never enabled (see CheckSecretFilePath),
// and syncs it to disk before the device can be enabled: a device whose seed
// was lost would lock the user out.
func (s *SecretFileSource) Present(_ context.Context, e Enrollment) error {
	if err := secret.ReplaceFile(s.path, e.URI); err != nil {
		return locale.Wrap(locale.M("writing MFA secret file %s: %v", s.path, err), err)
	}
	s.written = true
	s.seed = e.Seed
	return nil
}

// stepOffsets are the time steps, relative to now, of the pairs tried on
// successive attempts: previous+current, current+next, then two steps back.
var stepOffsets = [][2]int{{-1, 0}, {0, 1}, {-2, -1}}

// Codes computes two consecutive codes from the seed.
func (s *SecretFileSource) Codes(_ context.Context, req CodeRequest) (Codes, error) {
	if !s.written {
		return Codes{}, errors.New("no MFA secret was written")
	}
	offsets := stepOffsets[(max(req.Attempt, 1)-1)%len(stepOffsets)]
	now := s.now()
	if req.AWSNow != nil {
		now = req.AWSNow()
	}
	first, err := totpCode(s.seed, now.Add(time.Duration(offsets[0])*totpPeriod))
	if err != nil {
		return Codes{}, err
	}
	second, err := totpCode(s.seed, now.Add(time.Duration(offsets[1])*totpPeriod))
	if err != nil {
		return Codes{}, err
	}
	return Codes{First: first, Second: second, ClockTime: now.Add(time.Duration(offsets[1]) * totpPeriod)}, nil
}

func totpCode(seed secret.Value, t time.Time) (secret.Value, error) {
	code, err := totp.GenerateCodeCustom(seed.Reveal(), t, totp.ValidateOpts{
		Period:    uint(totpPeriod / time.Second),
		Digits:    otp.DigitsSix,
		Algorithm: otp.AlgorithmSHA1,
	})
	if err != nil {
		// The library's error can quote the seed; say only what failed.
		return secret.Value{}, locale.Wrap(locale.M("computing an MFA code: the seed from AWS is not valid base32"), nil)
	}
	return secret.New(code), nil
}

// Abandon removes the secret file: the device it describes has been deleted,
// and a seed should not outlive its purpose.
func (s *SecretFileSource) Abandon(Enrollment) (string, error) {
	if !s.written {
		return "", nil
	}
	s.written = false
	s.seed = secret.Value{}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", locale.Wrap(locale.M("could not remove the MFA secret file %s, which now holds a useless seed: %v", s.path, err), err)
	}
	return fmt.Sprintf("removed the MFA secret file %s", s.path), nil
}

// SeedFileReplaceable reports whether the file at path may be replaced by
// a run enrolling a new device for user, which therefore has none: it is
// empty (its run was killed before writing), or it holds an otpauth URI for
// user in the account named by one of labels (the account ID, its alias),
// written by a run that stopped before enabling that device, whose seed
// opens nothing now. A file holding anything else (another account's
// seed) must not be lost.
func SeedFileReplaceable(path, user string, labels ...string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	uri := strings.TrimSpace(string(b))
	if uri == "" {
		return true, nil
	}
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" {
		return false, nil
	}
	_, account, ok := strings.Cut(strings.TrimPrefix(u.Path, "/"), ":")
	if !ok {
		return false, nil
	}
	for _, l := range labels {
		if l != "" && account == user+"@"+l {
			return true, nil
		}
	}
	return false, nil
}
