package prompt

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// mfaTokenTries is how many malformed answers MFAToken accepts before giving
// up; AWS itself checks the code that is finally sent.
const mfaTokenTries = 3

// MFAToken asks on a terminal for the current code of the MFA device that a
// shared config profile names in mfa_serial, for the SDK's assume-role
// credential provider. in and out must be the terminal: the caller checks
// that (there is no one to ask otherwise). It reads one line at a time,
// byte by byte, so nothing after the line is taken from in (the wizard reads
// the same input afterwards).
func MFAToken(in io.Reader, out io.Writer, tr locale.Printer, profile, serial string) (string, error) {
	// A prompt that cannot be written still reads the code: the reader
	// may know what is asked.
	say := func(s string) { _, _ = io.WriteString(out, s) }
	say(tr.T("Profile %q assumes a role that requires MFA.", profile) + "\n")
	for try := 1; try <= mfaTokenTries; try++ {
		say(tr.T("MFA code for %s:", serial) + " ")
		line, err := readLine(in)
		if err != nil {
			say("\n")
			if errors.Is(err, io.EOF) {
				return "", locale.Wrap(locale.M("reading the MFA code for profile %q: input ended", profile), nil)
			}
			return "", fmt.Errorf("reading the MFA code for profile %q: %w", profile, err)
		}
		if err := mfa.CheckCode(line); err != nil {
			say(tr.T("%s (try %d of %d)", tr.Err(err), try, mfaTokenTries) + "\n")
			continue
		}
		return mfa.NormalizeCode(line), nil
	}
	return "", locale.Wrap(locale.M("no valid MFA code for profile %q after %d tries", profile, mfaTokenTries), nil)
}

// readLine reads up to a newline, one byte per Read.
func readLine(in io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := in.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				return strings.TrimRight(b.String(), "\r"), nil
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			if errors.Is(err, io.EOF) && b.Len() > 0 {
				return strings.TrimRight(b.String(), "\r"), nil
			}
			return "", err
		}
	}
}
