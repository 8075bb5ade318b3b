package mfa

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

func testEnrollment() Enrollment {
	seed := secret.New(awsSeed)
	return Enrollment{
		UserName: "administrator", DeviceName: "administrator",
		SerialNumber: "arn:aws:iam::123456789012:mfa/administrator",
		Issuer:       DefaultIssuer, AccountName: "administrator@123456789012",
		Seed: seed, URI: BuildURI(DefaultIssuer, "administrator@123456789012", seed),
	}
}

func TestSecretFilePathChecks(t *testing.T) {
	dir := t.TempDir()
	existing := filepath.Join(dir, "exists")
	if err := os.WriteFile(existing, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"":                                     "needs a path",
		dir:                                    "not a regular file",
		filepath.Join(dir, "missing", "f.uri"): "directory",
		filepath.Join(existing, "f.uri"):       "not a directory",
	} {
		_, err := NewSecretFileSource(path, nil)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("NewSecretFileSource(%q) = %v, want an error with %q", path, err, want)
		}
	}
	if _, err := NewSecretFileSource(filepath.Join(dir, "new.uri"), nil); err != nil {
		t.Fatal(err)
	}
}

func TestSecretFileWritesURIOwnerOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mfa.uri")
	src, err := NewSecretFileSource(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	e := testEnrollment()
	if err := src.Present(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	data, _ := os.ReadFile(path)
	if string(data) != e.URI.Reveal()+"\n" {
		t.Fatalf("file holds %q", data)
	}
}

// Present replaces an earlier run's file whole (the caller decided it may,
// SeedFileReplaceable); Abandon removes what this source wrote.
func TestSecretFileReplacesAnEarlierSeed(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mfa.uri")
	src, err := NewSecretFileSource(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("an older seed"), 0o600); err != nil {
		t.Fatal(err)
	}
	e := testEnrollment()
	if err := src.Present(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if data, _ := os.ReadFile(path); err != nil || string(data) != e.URI.Reveal()+"\n" || st.Mode().Perm() != 0o600 {
		t.Fatalf("file holds %q (%v), want the new URI, mode 0600", data, err)
	}
	if _, err := src.Abandon(e); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the abandoned seed file is still there: %v", err)
	}
}

// Only an empty file, or this user's seed in this account, may be replaced.
func TestSeedFileReplaceable(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ours := testEnrollment().URI.Reveal() + "\n"
	for _, tt := range []struct {
		path string
		want bool
	}{
		{write("empty", ""), true},
		{write("ours", ours), true},
		{write("other-account", strings.Replace(ours, "123456789012", "210987654321", 1)), false},
		{write("other-user", strings.Replace(ours, "administrator@", "alice@", 1)), false},
		{write("text", "keep me"), false},
	} {
		got, err := SeedFileReplaceable(tt.path, "administrator", "123456789012", "my-corp")
		if err != nil || got != tt.want {
			t.Errorf("SeedFileReplaceable(%s) = %v, %v; want %v", filepath.Base(tt.path), got, err, tt.want)
		}
	}
}

func TestSecretFileCodesAreConsecutiveSteps(t *testing.T) {
	now := time.Date(2026, 11, 30, 3, 0, 10, 0, time.UTC)
	src, err := NewSecretFileSource(filepath.Join(t.TempDir(), "mfa.uri"), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.Codes(context.Background(), CodeRequest{Attempt: 1}); err == nil {
		t.Fatal("codes before the secret was written")
	}
	if err := src.Present(context.Background(), testEnrollment()); err != nil {
		t.Fatal(err)
	}
	step := func(n int) string { return totpAt(t, awsSeed, now.Add(time.Duration(n)*30*time.Second)) }
	for attempt, want := range map[int][2]string{
		1: {step(-1), step(0)},  // both already shown by an app: valid now
		2: {step(0), step(1)},   // this clock is behind AWS's
		3: {step(-2), step(-1)}, // this clock is ahead of AWS's
	} {
		c, err := src.Codes(context.Background(), CodeRequest{Attempt: attempt, MaxAttempts: MaxAttempts})
		if err != nil {
			t.Fatal(err)
		}
		if c.First.Reveal() != want[0] || c.Second.Reveal() != want[1] {
			t.Errorf("attempt %d: wrong pair", attempt)
		}
		if err := CheckCodes(c); err != nil {
			t.Errorf("attempt %d: %v", attempt, err)
		}
	}
}

func TestSecretFileAbandonRemovesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mfa.uri")
	src, _ := NewSecretFileSource(path, nil)
	if err := src.Present(context.Background(), testEnrollment()); err != nil {
		t.Fatal(err)
	}
	note, err := src.Abandon(testEnrollment())
	if err != nil || !strings.Contains(note, "removed the MFA secret file "+path) {
		t.Fatalf("Abandon = %q, %v", note, err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("file still there: %v", err)
	}
	if _, err := src.Codes(context.Background(), CodeRequest{Attempt: 1}); err == nil {
		t.Fatal("codes after Abandon")
	}
}
