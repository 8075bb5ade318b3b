package mfa

import (
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// CodeLength is the number of digits of an IAM virtual MFA code.
const CodeLength = 6

// NormalizeCode removes the spaces people copy from apps that show codes as
// "123 456", and surrounding white space.
func NormalizeCode(code string) string {
	return strings.Join(strings.Fields(code), "")
}

// CheckCode reports whether code (after NormalizeCode) is six ASCII digits.
// Prompts use it to validate a field as it is typed. The error never contains
// the code.
func CheckCode(code string) error {
	code = NormalizeCode(code)
	if len(code) != CodeLength {
		return locale.Wrap(locale.M("%s: got %d character(s)", ErrCodeFormat, len([]rune(code))), ErrCodeFormat)
	}
	for _, c := range code {
		if c < '0' || c > '9' {
			return locale.Wrap(locale.M("%s: only digits 0-9", ErrCodeFormat), ErrCodeFormat)
		}
	}
	return nil
}

// CheckCodes checks a pair before it is sent: both codes six digits and the
// second one different from the first (the app shows a new code every 30
// seconds; typing the same one twice is the usual slip).
func CheckCodes(c Codes) error {
	if err := CheckCode(c.First.Reveal()); err != nil {
		return locale.Wrap(locale.M("first code: %s", err), err)
	}
	if err := CheckCode(c.Second.Reveal()); err != nil {
		return locale.Wrap(locale.M("second code: %s", err), err)
	}
	if NormalizeCode(c.First.Reveal()) == NormalizeCode(c.Second.Reveal()) {
		return locale.Wrap(locale.M("%s: wait until the app shows a new code, then enter that one as the second code", ErrCodesEqual), ErrCodesEqual)
	}
	return nil
}

func normalizeCodes(c Codes) Codes {
	c.First = secret.New(NormalizeCode(c.First.Reveal()))
	c.Second = secret.New(NormalizeCode(c.Second.Reveal()))
	return c
}
