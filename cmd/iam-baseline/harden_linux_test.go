package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestDisableCoreDumpsLinux runs disableCoreDumps in a child process (it
// cannot be undone in this one) that first allows core files as far as it
// may, then reports its core limit and dumpable flag.
func TestDisableCoreDumpsLinux(t *testing.T) {
	if os.Getenv("IAMB_HARDEN_CHILD") == "1" {
		var lim unix.Rlimit
		_ = unix.Getrlimit(unix.RLIMIT_CORE, &lim)
		lim.Cur = lim.Max
		_ = unix.Setrlimit(unix.RLIMIT_CORE, &lim)
		if err := disableCoreDumps(); err != nil {
			fmt.Println("error:", err)
			return
		}
		_ = unix.Getrlimit(unix.RLIMIT_CORE, &lim)
		dumpable, err := unix.PrctlRetInt(unix.PR_GET_DUMPABLE, 0, 0, 0, 0)
		fmt.Printf("core=%d/%d dumpable=%d err=%v\n", lim.Cur, lim.Max, dumpable, err)
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestDisableCoreDumpsLinux$")
	cmd.Env = append(os.Environ(), "IAMB_HARDEN_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "core=0/0 dumpable=0 err=<nil>") {
		t.Errorf("child after disableCoreDumps: %s; want core=0/0 dumpable=0", out)
	}
}
