package main

import (
	"errors"
	"strings"
	"testing"
)

// TestSecretHoldingCommandsHardenFirst: plan and apply disable core dumps
// before their first request (the password is generated later, in the same
// process), and a failure to do so stops the run before any request.
func TestSecretHoldingCommandsHardenFirst(t *testing.T) {
	for _, args := range [][]string{
		{"plan"},
		{"apply", "--yes", "--skip-mfa", "--show-password"},
	} {
		h := newHarness(t)
		calls, requestsBefore := 0, -1
		h.harden = func() error {
			calls++
			requestsBefore = len(h.srv.Sim.Log())
			return nil
		}
		if r := h.run(args...); r.code != 0 && r.code != ExitChanges {
			t.Fatalf("%v: exit %d\n%s", args, r.code, r.stderr)
		}
		if calls != 1 || requestsBefore != 0 {
			t.Errorf("%v: HardenProcess called %d times, after %d requests; want once, before any", args, calls, requestsBefore)
		}

		h = newHarness(t)
		h.harden = func() error { return errors.New("disabling core dumps: not permitted") }
		r := h.run(args...)
		if r.code == 0 || !strings.Contains(r.stderr, "disabling core dumps: not permitted") {
			t.Errorf("%v with a failing HardenProcess: exit %d, stderr %q; want the error", args, r.code, r.stderr)
		}
		if n := len(h.srv.Sim.Log()); n != 0 {
			t.Errorf("%v with a failing HardenProcess: %d requests sent, want none", args, n)
		}
	}
	if osEnv().HardenProcess == nil {
		t.Error("the real environment does not disable core dumps")
	}
}
