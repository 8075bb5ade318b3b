package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The real-terminal tests run the built binary inside tmux: huh's full-screen
// forms, the spinners, the QR code and the alternate screen of the password
// card only exist on a terminal. Every wait polls capture-pane against a
// deadline; nothing sleeps for a fixed time and calls that a result.

const (
	tmuxWidth  = 120
	tmuxHeight = 50
	// tmuxWait bounds each wait for a screen. Generous: CI machines are
	// slow and share two cores.
	tmuxWait = 30 * time.Second
)

// iamBaseline is the program the terminal runs: this test binary, which
// TestMain turns into iam-baseline itself when runMainEnv is set (see
// conventions_test.go), so nothing has to be built.
func iamBaseline(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return self
}

// tmuxSession is one program running in a detached tmux session on a
// private server (its socket in the test's temporary directory), so tests
// never touch a user's own tmux.
type tmuxSession struct {
	t      *testing.T
	socket string
	name   string
}

// exitMarker is printed by the wrapper shell after the program ends.
var exitMarker = regexp.MustCompile(`__EXIT_CODE=(\d+)`)

func startTmux(t *testing.T, env []string, args ...string) *tmuxSession {
	t.Helper()
	return startTmuxSized(t, tmuxWidth, tmuxHeight, env, args...)
}

func startTmuxSized(t *testing.T, width, height int, env []string, args ...string) *tmuxSession {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is not installed; .ci/run installs it")
		}
		t.Skip("tmux is not installed (CI installs it and runs this test)")
	}
	s := &tmuxSession{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock"), name: "wizard"}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	// The shell keeps the pane open after the program ends so that its last
	// screen and exit code can be read.
	// The trap keeps the shell alive through a Ctrl-C meant for the program
	// (a trap, unlike an ignored signal, is not inherited).
	script := `trap true INT; ` + strings.Join(quoted, " ") + `; echo "__EXIT_CODE=$?"; sleep 600`
	cmdArgs := []string{"-S", s.socket, "-f", "/dev/null", "new-session", "-d", "-s", s.name,
		"-x", fmt.Sprint(width), "-y", fmt.Sprint(height)}
	// A person's terminal, not CI's: termenv treats any CI variable as "no
	// terminal" and would drop the colours these tests look at.
	for _, e := range append([]string{"CI=", runMainEnv + "=1"}, env...) {
		cmdArgs = append(cmdArgs, "-e", e)
	}
	cmdArgs = append(cmdArgs, "sh", "-c", script)
	if out, err := exec.Command("tmux", cmdArgs...).CombinedOutput(); err != nil {
		t.Fatalf("starting tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// screen is what the terminal shows now.
func (s *tmuxSession) screen() string {
	out, err := exec.Command("tmux", "-S", s.socket, "capture-pane", "-p", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// screenWithStyles is the screen with its colour and style escapes.
func (s *tmuxSession) screenWithStyles() string {
	out, err := exec.Command("tmux", "-S", s.socket, "capture-pane", "-p", "-e", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// history is the screen and everything scrolled off it.
func (s *tmuxSession) history() string {
	out, err := exec.Command("tmux", "-S", s.socket, "capture-pane", "-p", "-S", "-", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// joinedHistory is the history with the lines the terminal wrapped itself
// joined again: what the program wrote, line by line.
func (s *tmuxSession) joinedHistory() string {
	out, err := exec.Command("tmux", "-S", s.socket, "capture-pane", "-p", "-J", "-S", "-", "-t", s.name).Output()
	if err != nil {
		s.t.Fatalf("capture-pane: %v", err)
	}
	return string(out)
}

// waitFor polls the screen until ok accepts it, or fails the test at the
// deadline showing the last screen.
func (s *tmuxSession) waitFor(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(tmuxWait)
	for {
		screen := s.screen()
		if ok(screen) {
			return screen
		}
		if m := exitMarker.FindStringSubmatch(screen); m != nil && !strings.Contains(what, "exit") {
			s.t.Fatalf("the program exited (code %s) while waiting for %s; screen:\n%s\nhistory:\n%s", m[1], what, screen, s.history())
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("no %s within %v; screen:\n%s", what, tmuxWait, screen)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitForText waits until every text is on the screen.
func (s *tmuxSession) waitForText(texts ...string) string {
	s.t.Helper()
	return s.waitFor(fmt.Sprintf("%q", texts), func(screen string) bool {
		for _, text := range texts {
			if !strings.Contains(screen, text) {
				return false
			}
		}
		return true
	})
}

// waitForExit waits for the program to end and returns its exit code.
func (s *tmuxSession) waitForExit() int {
	s.t.Helper()
	screen := s.waitFor("exit code", func(screen string) bool { return exitMarker.MatchString(screen) })
	var code int
	if _, err := fmt.Sscan(exitMarker.FindStringSubmatch(screen)[1], &code); err != nil {
		s.t.Fatalf("exit code in %q: %v", screen, err)
	}
	return code
}

// keys sends tmux key names (Enter, C-u, C-c, Down) or literal text with
// the -l prefix handled by typeText.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	args := append([]string{"-S", s.socket, "send-keys", "-t", s.name}, keys...)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys %q: %v\n%s", keys, err, out)
	}
}

// typeText types text literally.
func (s *tmuxSession) typeText(text string) {
	s.t.Helper()
	if out, err := exec.Command("tmux", "-S", s.socket, "send-keys", "-t", s.name, "-l", text).CombinedOutput(); err != nil {
		s.t.Fatalf("send-keys -l: %v\n%s", err, out)
	}
}

// focused reports whether the form field titled title has the focus: huh
// marks the focused field with a thick bar.
func focused(title string) func(string) bool {
	return func(screen string) bool { return strings.Contains(screen, "┃ "+title) }
}
