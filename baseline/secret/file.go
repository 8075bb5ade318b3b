package secret

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The one writer of files that hold a secret (the temporary password file,
// the MFA secret file, anything the wizard writes): a new file only the
// owner can read, never one that was there before, durable before anything
// relies on it.

// CheckNewFile reports whether path can become a secret file: it must not
// exist (a secret is never written over another file) and its directory
// must. Call it before any AWS call; CreateFile checks again atomically.
func CheckNewFile(path string) error {
	if path == "" {
		return errors.New("the file needs a path")
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("%s already exists: refusing to overwrite it (hint: move it away or name a new file)", path)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("directory %s: %w", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("%s is not a directory", dir)
	}
	return nil
}

// File is a secret file created before its secret exists, so that a secret
// that gets made always has somewhere to go.
type File struct {
	f *os.File
}

// CreateFile creates path for one secret: O_EXCL (never an existing file)
// and mode 0600.
func CreateFile(path string) (*File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("%s already exists: refusing to overwrite it", path)
		}
		return nil, err
	}
	return &File{f: f}, nil
}

// Name is the file's path.
func (f *File) Name() string { return f.f.Name() }

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
