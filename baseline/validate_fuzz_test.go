package baseline

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// IAM's documented patterns, written independently of the validators.
var (
	iamGroupName     = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	iamMFADeviceName = regexp.MustCompile(`^[\w+=,.@-]{1,226}$`)
)

// checkFieldError fails unless err is nil or a *FieldError for field that
// names the value, so a rejection always says what was wrong and where.
func checkFieldError(t *testing.T, err error, field, value string) {
	t.Helper()
	if err == nil {
		return
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error %v is not a *FieldError", err)
	}
	if fe.Field != field || fe.Value != value || fe.Reason.IsZero() {
		t.Fatalf("field error %+v: want field %s, value %q and a reason", fe, field, value)
	}
}

func FuzzValidateGroupName(f *testing.F) {
	for _, s := range []string{"admin", "", "a b", strings.Repeat("g", 128), strings.Repeat("g", 129), "ádmin", "a\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateGroupName(name)
		checkFieldError(t, err, FieldGroupName, name)
		if accepted, want := err == nil, iamGroupName.MatchString(name) && utf8.ValidString(name); accepted != want {
			t.Fatalf("ValidateGroupName(%q) accepted=%v, IAM's pattern says %v", name, accepted, want)
		}
	})
}

func FuzzValidateMFADeviceName(f *testing.F) {
	for _, s := range []string{"administrator", "", "a/b", strings.Repeat("m", 226), strings.Repeat("m", 227), "x y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		err := ValidateMFADeviceName(name)
		checkFieldError(t, err, FieldMFADeviceName, name)
		if accepted, want := err == nil, iamMFADeviceName.MatchString(name) && utf8.ValidString(name); accepted != want {
			t.Fatalf("ValidateMFADeviceName(%q) accepted=%v, IAM's pattern says %v", name, accepted, want)
		}
	})
}

// FuzzSpecPasswordPolicy checks Spec.Validate's number ranges against IAM's
// documented ones.
func FuzzSpecPasswordPolicy(f *testing.F) {
	f.Add(14, 24, 0, false)
	f.Add(5, 0, 0, false)
	f.Add(129, 25, 1096, true)
	f.Add(6, 1, 1, true)
	f.Add(128, -1, -1, false)
	f.Fuzz(func(t *testing.T, minLength, reuse, maxAge int, hardExpiry bool) {
		s := DefaultSpec()
		s.PasswordPolicy.MinimumLength = minLength
		s.PasswordPolicy.ReusePrevention = reuse
		s.PasswordPolicy.MaxAgeDays = maxAge
		s.PasswordPolicy.HardExpiry = hardExpiry
		got := map[string]bool{}
		for _, fe := range FieldErrors(s.Validate()) {
			got[fe.Field] = true
		}
		want := map[string]bool{
			FieldPasswordMinimumLength:      minLength < 6 || minLength > 128,
			FieldPasswordReusePrevention:    reuse < 0 || reuse > 24,
			FieldPasswordMaxAgeDays:         maxAge < 0 || maxAge > 1095,
			FieldPasswordHardExpiryNeedsAge: hardExpiry && maxAge == 0,
		}
		for field, bad := range want {
			if got[field] != bad {
				t.Fatalf("min %d reuse %d age %d hard %v: %s rejected=%v, want %v", minLength, reuse, maxAge, hardExpiry, field, got[field], bad)
			}
		}
		if len(got) != countTrue(want) {
			t.Fatalf("unexpected field errors %v", got)
		}
	})
}

func countTrue(m map[string]bool) int {
	n := 0
	for _, v := range m {
		if v {
			n++
		}
	}
	return n
}

// FuzzGenerateTemporaryPassword: whatever the random bytes and whatever valid
// policy is in force, the password satisfies it, AWS's default and the
// 20-character floor, and uses only characters IAM accepts.
func FuzzGenerateTemporaryPassword(f *testing.F) {
	f.Add(bytes.Repeat([]byte{0}, 64), 14, true, true, true, true)
	f.Add(bytes.Repeat([]byte{0xff}, 300), 128, false, false, false, false)
	f.Add([]byte("seed"), 6, true, false, true, false)
	f.Fuzz(func(t *testing.T, random []byte, minLength int, upper, lower, numbers, symbols bool) {
		if minLength < MinPasswordLengthLimit || minLength > MaxPasswordLengthLimit {
			return
		}
		p := PasswordPolicy{MinimumLength: minLength, RequireUppercase: upper, RequireLowercase: lower, RequireNumbers: numbers, RequireSymbols: symbols}
		// Cycle the fuzzer's bytes so generation never runs out of input.
		if len(random) == 0 {
			random = []byte{1}
		}
		pw, err := GenerateTemporaryPassword(&cycleReader{b: random}, p)
		if err != nil {
			t.Fatalf("generating for %+v: %v", p, err)
		}
		s := pw.Reveal()
		if err := p.Satisfies(s); err != nil {
			t.Fatalf("password for %+v: %v", p, err)
		}
		if err := AWSDefaultPasswordPolicy().Satisfies(s); err != nil {
			t.Fatal(err)
		}
		if len(s) < TemporaryPasswordMinLength || len(s) > MaxPasswordLengthLimit {
			t.Fatalf("password length %d", len(s))
		}
		for _, c := range []byte(s) {
			if c < 0x21 || c > 0x7e {
				t.Fatalf("password has byte %#x", c)
			}
		}
	})
}

type cycleReader struct {
	b []byte
	i int
}

func (r *cycleReader) Read(p []byte) (int, error) {
	for k := range p {
		p[k] = r.b[r.i%len(r.b)] + byte(r.i/len(r.b))
		r.i++
	}
	return len(p), nil
}
