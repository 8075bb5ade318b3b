package iamsim

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
)

// This is the simulator's own RFC 6238 implementation, independent of the
// TOTP library the product uses, so that library never checks itself.

const totpStep = 30 // seconds

// hotp is RFC 4226's HMAC-based one-time password for a counter.
func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	offset := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[offset:offset+4]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, bin%mod)
}

func timeStep(t time.Time) int64 { return t.Unix() / totpStep }

func decodeSeed(seed string) ([]byte, error) {
	s := strings.ToUpper(strings.TrimRight(seed, "="))
	return base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(s)
}

// TOTP is the 6-digit RFC 6238 code (SHA-1, 30-second steps) for a base32
// seed at time t, for tests that need a code without the product's library.
func TOTP(base32Seed string, t time.Time) (string, error) {
	key, err := decodeSeed(base32Seed)
	if err != nil {
		return "", fmt.Errorf("decoding TOTP seed: %w", err)
	}
	return hotp(key, uint64(timeStep(t)), 6), nil
}

// matchConsecutive finds the step T such that code1 is the code of T and
// code2 the code of T+1, with T+1 within skew steps of now's step and T later
// than lastStep (codes are never accepted twice). It returns T+1.
func matchConsecutive(seed string, code1, code2 string, now time.Time, skew int64, lastStep int64) (int64, bool) {
	key, err := decodeSeed(seed)
	if err != nil {
		return 0, false
	}
	cur := timeStep(now)
	for second := cur - skew; second <= cur+skew; second++ {
		first := second - 1
		if first <= lastStep || first < 0 {
			continue
		}
		if hmac.Equal([]byte(hotp(key, uint64(first), 6)), []byte(code1)) &&
			hmac.Equal([]byte(hotp(key, uint64(second), 6)), []byte(code2)) {
			return second, true
		}
	}
	return 0, false
}
