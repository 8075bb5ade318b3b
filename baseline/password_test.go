package baseline

import (
	"bytes"
	cryptorand "crypto/rand"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// seeded is a deterministic byte source standing in for crypto/rand.
func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}

func TestGenerateTemporaryPasswordSatisfiesPolicies(t *testing.T) {
	strict := PasswordPolicy{MinimumLength: 40, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	allClasses := PasswordPolicy{MinimumLength: 6, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	for seed := range uint64(500) {
		pw, err := GenerateTemporaryPassword(seeded(seed), DefaultPasswordPolicy(), strict)
		if err != nil {
			t.Fatal(err)
		}
		s := pw.Reveal()
		if len(s) != 40 {
			t.Fatalf("length %d, want 40 (the strictest policy)", len(s))
		}
		for _, p := range []PasswordPolicy{DefaultPasswordPolicy(), strict, AWSDefaultPasswordPolicy(), allClasses} {
			if err := p.Satisfies(s); err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
		}
		for _, r := range s {
			if !strings.ContainsRune(upperChars+lowerChars+digitChars+symbolChars, r) {
				t.Fatalf("seed %d: %q outside IAM's characters", seed, r)
			}
		}
	}
}

func TestGenerateTemporaryPasswordLength(t *testing.T) {
	pw, err := GenerateTemporaryPassword(seeded(1))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(pw.Reveal()); n != TemporaryPasswordMinLength {
		t.Errorf("no policy: length %d, want %d", n, TemporaryPasswordMinLength)
	}
	pw, err = GenerateTemporaryPassword(seeded(1), PasswordPolicy{MinimumLength: 128})
	if err != nil || len(pw.Reveal()) != 128 {
		t.Errorf("128: %d %v", len(pw.Reveal()), err)
	}
}

func TestGenerateTemporaryPasswordUsesInjectedRand(t *testing.T) {
	a, _ := GenerateTemporaryPassword(seeded(7))
	b, _ := GenerateTemporaryPassword(seeded(7))
	c, _ := GenerateTemporaryPassword(seeded(8))
	if a.Reveal() != b.Reveal() {
		t.Error("same seed, different passwords: the injected reader is not the only source")
	}
	if a.Reveal() == c.Reveal() {
		t.Error("different seeds, same password")
	}
	if _, err := GenerateTemporaryPassword(bytes.NewReader(nil)); err == nil {
		t.Error("an exhausted reader gave a password")
	}
	failing := iotestErrReader{errors.New("entropy gone")}
	if _, err := GenerateTemporaryPassword(failing); err == nil || !strings.Contains(err.Error(), "entropy gone") {
		t.Errorf("err = %v", err)
	}
	if _, err := GenerateTemporaryPassword(rand.NewChaCha8([32]byte{}), PasswordPolicy{MinimumLength: 129}); err == nil {
		t.Error("129 characters accepted")
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func TestGeneratedPasswordIsRedacted(t *testing.T) {
	pw, err := GenerateTemporaryPassword(cryptorand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if s := pw.String(); s != "[redacted]" {
		t.Errorf("String() = %q", s)
	}
}

func TestSatisfiesNamesWhatIsMissing(t *testing.T) {
	err := DefaultPasswordPolicy().Satisfies("short")
	for _, want := range []string{"14 characters", "uppercase", "a number", "a symbol"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Satisfies(short) = %v, want mention of %q", err, want)
		}
	}
}
