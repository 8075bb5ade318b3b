package main

import (
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// The sandbox rehearsal end to end on a terminal (without MFA: the demo's
// simulator lives inside the binary, so no test can read its seed; the MFA
// screen is covered by TestTerminalWizardEnrollsMFA).
func TestTerminalDemoRehearsesTheWizard(t *testing.T) {
	tm := startTmux(t, nil, builtBinary(t), "demo", "--skip-mfa")
	tm.waitForText("SANDBOX", "What I found", "A root access key signs this run")
	tm.waitFor("the group question", focused("Name of the admin group"))

	// A bad name is refused while it is typed, before Enter.
	tm.keys("C-u")
	tm.typeText("ops team")
	tm.waitForText("✗ contains ' '")
	tm.keys("C-u")
	tm.typeText("admin")
	tm.keys("Enter")
	tm.waitFor("the user question", focused("Name of the administrator user"))
	tm.keys("Enter")
	tm.waitFor("the alias question", focused("Account alias"))
	tm.keys("Enter")
	tm.waitFor("the policy question", focused("Password policy"))
	tm.keys("Enter")
	tm.waitFor("the root key question", focused("Type "+iamsim.DefaultRootAccessKeyID))
	tm.keys("Enter")
	tm.waitFor("the plan confirmation", focused("Apply 3 changes?"))
	tm.keys("y")

	screen := tm.waitFor("the saved-password question", focused("Have you saved the password?"))
	password := passwordOnScreen(t, screen)
	tm.keys("y")
	tm.waitForText("The temporary password was shown once and cleared from the screen.")
	if code := tm.waitForExit(); code != 0 {
		t.Fatalf("demo exited %d:\n%s", code, tm.history())
	}
	history := tm.history()
	if strings.Contains(history, password) {
		t.Errorf("the password is still on the terminal after it was confirmed saved:\n%s", history)
	}
	for _, want := range []string{"✓ Group \"admin\" with AdministratorAccess", "status of the simulated account",
		"PASS    baseline-admin-membership"} {
		if !strings.Contains(history, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, history)
		}
	}
}

// Ctrl-C at a question stops the demo at once and cleanly.
func TestTerminalDemoCtrlCStops(t *testing.T) {
	tm := startTmux(t, nil, builtBinary(t), "demo")
	tm.waitFor("the group question", focused("Name of the admin group"))
	tm.keys("C-c")
	if code := tm.waitForExit(); code != 130 {
		t.Fatalf("Ctrl-C: exit code %d, want 130:\n%s", code, tm.history())
	}
	if !strings.Contains(tm.screen(), "nothing was changed") {
		t.Errorf("the stop is not explained:\n%s", tm.screen())
	}
}

// passwordOnScreen reads the temporary password from the card.
func passwordOnScreen(t *testing.T, screen string) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "Password"); ok {
			if pw := strings.TrimSpace(rest); len(pw) >= 20 {
				return pw
			}
		}
	}
	t.Fatalf("no password on the card:\n%s", screen)
	return ""
}
