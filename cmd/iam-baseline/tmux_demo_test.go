package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// The sandbox rehearsal end to end on a terminal (without MFA: the demo's
// simulator lives inside the binary, so no test can read its seed; the MFA
// screen is covered by TestTerminalWizardEnrollsMFA).
func TestTerminalDemoRehearsesTheWizard(t *testing.T) {
	tm := startTmux(t, nil, iamBaseline(t), "demo", "--skip-mfa")
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
	tm.waitFor("the MFA requirement question", focused("Require MFA for group"))
	tm.keys("Enter")
	// The sandbox lacks every opt-in fix, so the page is shown; Enter
	// keeps each default: none is made.
	for _, field := range optInFields {
		tm.waitFor(field, focused(field))
		tm.keys("Enter")
	}
	tm.waitFor("the root key question", focused("Type "+iamsim.DefaultRootAccessKeyID))
	tm.keys("Enter")
	tm.waitFor("the plan confirmation", focused("Apply 4 changes?"))
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
		"PASS baseline-admin-membership"} { // one finding a block: the table is wider than 120 columns
		if !strings.Contains(history, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, history)
		}
	}
}

// Ctrl-C at a question stops the demo at once and cleanly.
func TestTerminalDemoCtrlCStops(t *testing.T) {
	tm := startTmux(t, nil, iamBaseline(t), "demo")
	tm.waitFor("the group question", focused("Name of the admin group"))
	tm.keys("C-c")
	if code := tm.waitForExit(); code != 130 {
		t.Fatalf("Ctrl-C: exit code %d, want 130:\n%s", code, tm.history())
	}
	if !strings.Contains(tm.screen(), "nothing was changed") {
		t.Errorf("the stop is not explained:\n%s", tm.screen())
	}
}

// colourEscape matches an SGR sequence that sets a foreground or background
// colour (8, 16, 256 or true colours).
var colourEscape = regexp.MustCompile(`\x1b\[[0-9;]*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m`)

// NO_COLOR takes every colour off the screen (and without it there is
// colour, so the check can tell).
func TestTerminalHonoursNoColor(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		var env []string
		if noColor {
			env = []string{"NO_COLOR=1"}
		}
		tm := startTmux(t, env, iamBaseline(t), "demo")
		tm.waitFor("the group question", focused("Name of the admin group"))
		coloured := colourEscape.MatchString(tm.screenWithStyles())
		if coloured == noColor {
			t.Errorf("NO_COLOR set: %v, colours on screen: %v\n%q", noColor, coloured, tm.screenWithStyles())
		}
	}
}

// --accessible on a real terminal: plain line prompts, answered by typing;
// the opt-in page takes the support role and a security contact (a bad
// e-mail refused first) and leaves the analyzer at no.
func TestTerminalAccessibleMode(t *testing.T) {
	tm := startTmux(t, nil, iamBaseline(t), "demo", "--accessible", "--skip-mfa")
	// seen: text that must be on the screen too (the refusal above the
	// prompt asked again).
	answers := []struct{ prompt, typed, seen string }{
		{"Name of the admin group [admin]", "", ""}, {"Name of the administrator user [administrator]", "", ""},
		{"Account alias (optional)", "", ""}, {"Enter a number between 1 and 3:", "", ""}, {"Require MFA for group \"admin\"'s users? [Y/n]", "", ""},
		{"Create support role \"aws-support\" with AWSSupportAccess? [y/N]", "y", ""},
		{"Create IAM Access Analyzer in the 17 regions without one? [y/N]", "", "us-west-2"}, // the analyzer; its regions listed above, wrapped
		{"Security contact name", "Sec Team", ""}, {"Security contact title", "Security", ""},
		{"Security contact e-mail (a team address)", "not-an-address", ""},
		{"Security contact e-mail (a team address)", "security@example.com", "not-an-address\nmust be an e-mail address such as security@example.com\n"},
		{"Security contact phone", "+1 555 0100", ""},
		{"Type " + iamsim.DefaultRootAccessKeyID, "", ""},
	}
	for _, a := range answers {
		tm.waitFor(a.prompt+" "+a.seen, func(screen string) bool {
			return strings.Contains(lastLine(screen), a.prompt) && strings.Contains(screen, a.seen)
		})
		if a.typed != "" {
			tm.typeText(a.typed)
		}
		tm.keys("Enter")
	}
	tm.waitFor("the plan confirmation", func(screen string) bool { return strings.Contains(lastLine(screen), "Apply 6 changes? [y/N]") })
	tm.typeText("y")
	tm.keys("Enter")
	tm.waitFor("the saved-password question", func(screen string) bool {
		return strings.Contains(lastLine(screen), "Have you saved the password? [y/N]")
	})
	tm.typeText("y")
	tm.keys("Enter")
	if code := tm.waitForExit(); code != 0 {
		t.Fatalf("demo --accessible exited %d:\n%s", code, tm.history())
	}
	// The status table does not fit 120 columns: one finding a block.
	for _, want := range []string{"PASS baseline-admin-membership", "PASS support-role", "PASS security-contact", "FAIL access-analyzer"} {
		if !strings.Contains(tm.history(), want) {
			t.Errorf("the sandbox status lacks %q:\n%s", want, tm.history())
		}
	}
}

// lastLine is the last non-blank line of a screen: where a line prompt waits.
func lastLine(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n "), "\n")
	return lines[len(lines)-1]
}

// passwordOnScreen reads the temporary password from the card.
func passwordOnScreen(t *testing.T, screen string) string {
	t.Helper()
	return passwordAfter(t, screen, "Password")
}

// passwordAfter reads the temporary password from the card: the word after
// its label, in the card's language.
func passwordAfter(t *testing.T, screen, label string) string {
	t.Helper()
	for _, line := range strings.Split(screen, "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), label); ok {
			if pw := strings.TrimSpace(rest); len(pw) >= 20 {
				return pw
			}
		}
	}
	t.Fatalf("no password on the card:\n%s", screen)
	return ""
}
