//go:build unix

package secret

import "syscall"

// openNoFollow: an existing file is opened only when it is no symbolic link.
const openNoFollow = syscall.O_NOFOLLOW
