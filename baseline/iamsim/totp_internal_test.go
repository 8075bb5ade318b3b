package iamsim

import (
	"testing"
	"time"
)

// The RFC 6238 appendix B vectors for HMAC-SHA1 (8 digits, 30-second steps,
// the ASCII key "12345678901234567890").
func TestHOTPMatchesRFC6238Vectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		want string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		if got := hotp(key, uint64(timeStep(time.Unix(v.unix, 0))), 8); got != v.want {
			t.Errorf("T=%d: got %s, want %s", v.unix, got, v.want)
		}
	}
}

// The same key in base32, through the exported 6-digit TOTP: the last six
// digits of the 8-digit vectors.
func TestTOTPSixDigits(t *testing.T) {
	const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" // base32("12345678901234567890")
	got, err := TOTP(seed, time.Unix(1111111109, 0))
	if err != nil || got != "081804" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := TOTP("not base32!", time.Now()); err == nil {
		t.Fatal("bad seed accepted")
	}
}

func TestMatchConsecutive(t *testing.T) {
	const seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	key, _ := decodeSeed(seed)
	now := time.Unix(1111111111, 0)
	cur := timeStep(now)
	code := func(step int64) string { return hotp(key, uint64(step), 6) }
	cases := []struct {
		name         string
		c1, c2       string
		last         int64
		wantOK       bool
		wantAccepted int64
	}{
		{"current pair", code(cur - 1), code(cur), -1, true, cur},
		{"one step ahead", code(cur), code(cur + 1), -1, true, cur + 1},
		{"one step behind", code(cur - 2), code(cur - 1), -1, true, cur - 1},
		{"too old", code(cur - 3), code(cur - 2), -1, false, 0},
		{"too new", code(cur + 1), code(cur + 2), -1, false, 0},
		{"reversed", code(cur), code(cur - 1), -1, false, 0},
		{"not consecutive", code(cur - 1), code(cur + 1), -1, false, 0},
		{"same code twice", code(cur), code(cur), -1, false, 0},
		{"replayed", code(cur - 1), code(cur), cur - 1, false, 0},
		{"wrong", "000000", "000000", -1, false, 0},
	}
	for _, tc := range cases {
		got, ok := matchConsecutive(seed, tc.c1, tc.c2, now, 1, tc.last)
		if ok != tc.wantOK || got != tc.wantAccepted {
			t.Errorf("%s: got %d %v", tc.name, got, ok)
		}
	}
}
