package main

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// disableCoreDumps keeps a temporary password or an MFA seed held in memory
// out of core files: with RLIMIT_CORE at 0 the kernel writes none (even under
// GOTRACEBACK=crash and `ulimit -c unlimited` in the parent shell), and a
// non-dumpable process also cannot be attached to with ptrace by another
// process of the same user, nor be read through /proc/PID/mem.
func disableCoreDumps() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return fmt.Errorf("disabling core dumps (setrlimit RLIMIT_CORE): %w", err)
	}
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return fmt.Errorf("disabling core dumps (prctl PR_SET_DUMPABLE): %w", err)
	}
	return nil
}
