package secret

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileOwnerOnlyNeverOverwrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	if err := WriteFile(path, New("s3cret")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, %v; want 0600", st, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "s3cret\n" {
		t.Fatalf("content %q", b)
	}
	if err := WriteFile(path, New("other")); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second write: %v, want a refusal", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "s3cret\n" {
		t.Fatalf("the first secret was overwritten: %q", b)
	}
	if err := CheckNewFile(path); err == nil {
		t.Error("CheckNewFile accepts an existing file")
	}
}

func TestCreatedFileDiscardedWhenNoSecretCame(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pw")
	f, err := CreateFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the file must exist before the secret: %v", err)
	}
	if err := f.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a discarded file is left: %v", err)
	}
}

func TestCheckNewFile(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		filepath.Join(dir, "new"):            "",
		"":                                   "needs a path",
		filepath.Join(dir, "missing", "new"): "directory",
		filepath.Join(file, "new"):           "not a directory",
	} {
		err := CheckNewFile(path)
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("CheckNewFile(%q) = %v, want %q", path, err, want)
		}
	}
}
