//go:build unix && !linux

package main

import (
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"golang.org/x/sys/unix"
)

// disableCoreDumps keeps a temporary password or an MFA seed held in memory
// out of core files: with RLIMIT_CORE at 0 the kernel writes none, whatever
// GOTRACEBACK and the parent shell's `ulimit -c` say.
func disableCoreDumps() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return locale.Wrap(locale.M("disabling core dumps (setrlimit RLIMIT_CORE): %v", err), err)
	}
	return nil
}
