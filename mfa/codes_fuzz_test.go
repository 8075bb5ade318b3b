package mfa

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// FuzzCheckCode: a code is accepted exactly when, without white space, it is
// six ASCII digits, and a refusal never repeats what was typed.
func FuzzCheckCode(f *testing.F) {
	for _, s := range []string{"123456", "123 456", " 123456\n", "12345", "1234567", "12345a", "١٢٣٤٥٦", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		err := CheckCode(code)
		stripped := strings.Join(strings.Fields(code), "")
		if accepted, want := err == nil, sixDigits.MatchString(stripped); accepted != want {
			t.Fatalf("CheckCode(%q) accepted=%v, want %v", code, accepted, want)
		}
		if err != nil {
			if !errors.Is(err, ErrCodeFormat) {
				t.Fatalf("CheckCode(%q) = %v, not ErrCodeFormat", code, err)
			}
			if len(stripped) >= 3 && strings.Contains(err.Error(), stripped) {
				t.Fatalf("error %q repeats the code", err)
			}
		}
	})
}

// FuzzCheckCodes: a pair passes only when both are codes and they differ.
func FuzzCheckCodes(f *testing.F) {
	f.Add("123456", "654321")
	f.Add("123456", "123 456")
	f.Add("12345", "654321")
	f.Fuzz(func(t *testing.T, first, second string) {
		err := CheckCodes(Codes{First: secret.New(first), Second: secret.New(second)})
		a, b := strings.Join(strings.Fields(first), ""), strings.Join(strings.Fields(second), "")
		want := sixDigits.MatchString(a) && sixDigits.MatchString(b) && a != b
		if (err == nil) != want {
			t.Fatalf("CheckCodes(%q, %q) = %v, want accepted=%v", first, second, err, want)
		}
		if err != nil && !errors.Is(err, ErrCodeFormat) && !errors.Is(err, ErrCodesEqual) {
			t.Fatalf("unexpected error kind %v", err)
		}
	})
}

var iamName = regexp.MustCompile(`^[\w+=,.@-]+$`)

// FuzzRequestValidate: Enroll refuses, before any call, every user or
// device name IAM would refuse.
func FuzzRequestValidate(f *testing.F) {
	f.Add("administrator", "")
	f.Add("", "x")
	f.Add("a b", "dev")
	f.Add("ok", "bad/name")
	f.Fuzz(func(t *testing.T, user, device string) {
		err := Request{UserName: user, DeviceName: device}.Validate()
		want := user != "" && len(user) <= 64 && iamName.MatchString(user) &&
			(device == "" || len(device) <= 226 && iamName.MatchString(device))
		if (err == nil) != want {
			t.Fatalf("Validate(%q, %q) = %v, want accepted=%v", user, device, err, want)
		}
	})
}
