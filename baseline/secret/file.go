package secret

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// The one writer of files that hold a secret (the temporary password file,
// the MFA secret file, anything the wizard writes): a new file only the
// owner can read, never one that was there before, durable before anything
// relies on it.

// CheckNewFile reports whether path can become a secret file: it must not
// exist, or be empty (created by a run that was killed before its secret
// came), and its directory must take new files. Call it before any AWS
// call; CreateFile checks again atomically.
func CheckNewFile(path string) error {
	if err := CheckDir(path); err != nil {
		return err
	}
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case !st.Mode().IsRegular() || st.Size() > 0:
		return locale.Wrap(locale.M("%s already exists: refusing to overwrite it", path), nil)
	}
	return nil
}

// CheckDir reports whether the directory of path takes a new file, by
// creating (and removing) one: permissions alone do not tell (a read-only
// mount, /sys, /proc).
func CheckDir(path string) error {
	if path == "" {
		return locale.Wrap(locale.M("the file needs a path"), nil)
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return locale.Wrap(locale.M("directory %s: %v", dir, err), err)
	}
	if !st.IsDir() {
		return locale.Wrap(locale.M("%s is not a directory", dir), nil)
	}
	probe, err := os.CreateTemp(dir, ".iam-baseline-check-*")
	if err != nil {
		unwrapped := errors.Unwrap(err)
		return locale.Wrap(locale.M("directory %s takes no new file: %v", dir, unwrapped), unwrapped)
	}
	_ = probe.Close()
	_ = os.Remove(probe.Name())
	return nil
}

// SameFile reports whether two paths name one file, existing or not:
// their directories resolved (symbolic links, "." and "..") and their
// names compared.
func SameFile(a, b string) bool {
	ra, erra := resolve(a)
	rb, errb := resolve(b)
	if erra != nil || errb != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return ra == rb
}

func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if r, err := filepath.EvalSymlinks(abs); err == nil {
		return r, nil // it exists: every link resolved, the file's own too
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(abs))
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// File is a secret file created before its secret exists, so that a secret
// that gets made always has somewhere to go.
type File struct {
	f *os.File
	// replaces, when set, is the path Write renames f over.
	replaces string
}

// CreateFile creates path for one secret: O_EXCL and mode 0600. The one
// existing file it takes is an empty regular one of mode 0600 (a killed
// run's, which never got its secret): it holds nothing to lose.
func CreateFile(path string) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return reuseEmpty(path)
	}
	if err != nil {
		return nil, err
	}
	return &File{f: f}, nil
}

func reuseEmpty(path string) (*File, error) {
	refused := locale.Wrap(locale.M("%s already exists: refusing to overwrite it", path), nil)
	f, err := os.OpenFile(path, os.O_WRONLY|openNoFollow, 0)
	if err != nil {
		return nil, refused
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() > 0 || st.Mode().Perm() != 0o600 {
		_ = f.Close()
		return nil, refused
	}
	return &File{f: f}, nil
}

// ReplaceFile writes v to path as CreateReplacement and Write.
func ReplaceFile(path string, v Value) error {
	f, err := CreateReplacement(path)
	if err != nil {
		return err
	}
	return f.Write(v)
}

// CreateReplacement is CreateFile for a path that holds an earlier secret
// known to be worthless: the new secret goes to a new file in the same
// directory, created now, which Write renames over path, so that path
// holds the old secret or the new one, never a part, and keeps the old one
// when no new secret comes (Discard).
func CreateReplacement(path string) (*File, error) {
	if st, err := os.Lstat(path); err == nil && !st.Mode().IsRegular() {
		return nil, locale.Wrap(locale.M("%s is not a regular file: refusing to replace it", path), nil)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".iam-baseline-*")
	if err != nil {
		return nil, err
	}
	return &File{f: tmp, replaces: path}, nil
}

// Name is the file's path.
func (f *File) Name() string {
	if f.replaces != "" {
		return f.replaces
	}
	return f.f.Name()
}

// Write writes v and a newline, syncs the file and then its directory (so
// the new entry survives a crash), and closes the file. A file that could
// not be written is removed.
func (f *File) Write(v Value) error {
	name := f.f.Name()
	_, err := f.f.WriteString(v.Reveal() + "\n")
	if err == nil {
		err = f.f.Sync()
	}
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	if err == nil && f.replaces != "" {
		err = os.Rename(name, f.replaces)
	}
	if err != nil {
		_ = os.Remove(name)
		return err
	}
	syncDir(filepath.Dir(name))
	return nil
}

// Discard closes and removes a file that got no secret.
func (f *File) Discard() error {
	name := f.f.Name()
	_ = f.f.Close()
	if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// WriteFile creates path and writes v to it, as CreateFile and Write.
func WriteFile(path string, v Value) error {
	f, err := CreateFile(path)
	if err != nil {
		return err
	}
	return f.Write(v)
}

// syncDir makes a new directory entry durable. Not every file system
// supports syncing a directory; the file's own sync is what matters most.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}
