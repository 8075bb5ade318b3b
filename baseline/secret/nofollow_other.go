//go:build !unix

package secret

// openNoFollow: this system has no O_NOFOLLOW; the file's mode, read
// after opening it, must still be a regular file's.
const openNoFollow = 0
