package main

import (
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"golang.org/x/sys/unix"
)

// disableCoreDumps keeps a temporary password or an MFA seed held in memory
// out of core files: with RLIMIT_CORE at 0 the kernel writes none (even under
// GOTRACEBACK=crash and `ulimit -c unlimited` in the parent shell), and a
// non-dumpable process also cannot be attached to with ptrace by another
// process of the same user, nor be read through /proc/PID/mem.
func disableCoreDumps() error {
	if err := unix.Setrlimit(unix.RLIMIT_CORE, &unix.Rlimit{Cur: 0, Max: 0}); err != nil {
		return locale.Wrap(locale.M("disabling core dumps (setrlimit RLIMIT_CORE): %v", err), err)
	}
	if err := unix.Prctl(unix.PR_SET_DUMPABLE, 0, 0, 0, 0); err != nil {
		return locale.Wrap(locale.M("disabling core dumps (prctl PR_SET_DUMPABLE): %v", err), err)
	}
	return nil
}
