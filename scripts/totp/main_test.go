package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// The helper's codes must be the ones iamsim's own RFC 6238 code computes
// for the same steps, or the benchmark's enable-mfa-device would fail.
func TestCodesMatchTheSimulator(t *testing.T) {
	const seed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	now := time.Date(2026, 11, 30, 3, 15, 7, 0, time.UTC)
	file := filepath.Join(t.TempDir(), "seed")
	if err := os.WriteFile(file, []byte(seed+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(file, now, &out); err != nil {
		t.Fatal(err)
	}
	want1, err := iamsim.TOTP(seed, now.Add(-30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	want2, _ := iamsim.TOTP(seed, now)
	if got, want := strings.TrimSpace(out.String()), want1+" "+want2; got != want {
		t.Fatalf("codes %q, want %q", got, want)
	}
	if want1 == want2 {
		t.Fatalf("the two steps gave the same code %q; pick another instant", want1)
	}
}

func TestBadSeedIsRefusedWithoutQuotingIt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "seed")
	if err := os.WriteFile(file, []byte("not base32 at all!\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err := run(file, time.Now(), &bytes.Buffer{})
	if err == nil || strings.Contains(err.Error(), "not base32") {
		t.Fatalf("err = %v", err)
	}
}
