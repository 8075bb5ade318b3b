package mfa

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// totpAt is the tests' own RFC 6238 code (SHA1, 30 s, 6 digits), written
// from the RFC rather than with the product's library, so that a test does not
// check pquerna/otp against itself.
func totpAt(t testing.TB, base32Seed string, at time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(strings.ToUpper(base32Seed), "="))
	if err != nil {
		t.Fatalf("seed is not base32: %v", err)
	}
	return hotp(key, uint64(at.Unix()/30), 6)
}

func hotp(key []byte, counter uint64, digits int) string {
	mac := hmac.New(sha1.New, key)
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

// The RFC's own test vectors (Appendix B, SHA1) check the helper.
func TestTOTPHelperMatchesRFC6238(t *testing.T) {
	key := []byte("12345678901234567890")
	for unix, want := range map[int64]string{
		59:          "94287082",
		1111111109:  "07081804",
		1111111111:  "14050471",
		1234567890:  "89005924",
		2000000000:  "69279037",
		20000000000: "65353130",
	} {
		if got := hotp(key, uint64(unix/30), 8); got != want {
			t.Errorf("T=%d: %s, want %s", unix, got, want)
		}
	}
	seed := base32.StdEncoding.EncodeToString(key)
	if got := totpAt(t, seed, time.Unix(59, 0)); got != "287082" {
		t.Errorf("6-digit code at T=59: %s", got)
	}
}
