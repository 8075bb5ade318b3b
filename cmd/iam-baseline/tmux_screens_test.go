package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
	"github.com/iam-baseline/iam-baseline/cmd/iam-baseline/internal/screendoc"
)

// The whole demo wizard, screen by screen, at the terminal sizes and in the
// languages people use it in: each screen at a checkpoint is compared with
// testdata/screens/<lang>-<cols>x<rows>/NN-<name>.txt (refresh with
// `go test ./cmd/iam-baseline -run TestTerminalScreensGolden -update`, then
// review the diff). docs/wizard.md's screens are the en-120x50 ones
// (TestWizardDocScreensUpToDate).
//
// Each question is found by its words in the run's language, from the
// catalog. The ko_KR.UTF-8 locale need not exist on the machine: the tool
// reads the variable and never calls setlocale.

// screenRuns are the terminals the golden screens are taken on. lang is the
// LANG the demo runs under; its language names the directory.
var screenRuns = []struct {
	lang       string
	cols, rows int
}{
	{"en_US.UTF-8", 120, 50},
	{"en_US.UTF-8", 80, 24},
	{"ko_KR.UTF-8", 120, 50},
	{"ko_KR.UTF-8", 80, 24},
}

// screenLanguage is the Printer of the language the demo speaks under lang,
// chosen by the tool's own rule.
func screenLanguage(t *testing.T, lang string) locale.Printer {
	t.Helper()
	tr, err := locale.Choose("", func(k string) (string, bool) { return lang, k == "LANG" })
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// titled is focused on the question title's first line at the narrowest it
// could wrap (half the terminal): a long title wraps on a narrow terminal.
func titled(title string, cols int) func(string) bool {
	first, _, _ := strings.Cut(textwrap.Words(title, cols/2), "\n")
	return focused(first)
}

// screenDir is the directory of one run's golden screens under testdata.
func screenDir(lang string, cols, rows int) string {
	short, _, _ := strings.Cut(lang, "_")
	return filepath.Join("screens", fmt.Sprintf("%s-%dx%d", short, cols, rows))
}

// What varies from run to run, and the placeholder each becomes.
var (
	sandboxPort = regexp.MustCompile(`127\.0\.0\.1:(\d+)`)
	timestamp   = regexp.MustCompile(`\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\dZ| \d\d:\d\d UTC)`)
	groupedKey  = regexp.MustCompile(`\b[A-Z2-7]{4}(?: [A-Z2-7]{4}){7,}\b`)
)

// normalizeScreen replaces what differs per run with fixed text of the same
// width, so that wrapping and boxes stay as they were: the temporary
// password, the MFA key and QR code, the sandbox's port, timestamps.
func normalizeScreen(screen, password string) string {
	if password != "" {
		screen = strings.ReplaceAll(screen, password, fill("PASSWORD", len(password)))
	}
	screen = groupedKey.ReplaceAllStringFunc(screen, func(k string) string { return fill("MFA-KEY", len(k)) })
	screen = sandboxPort.ReplaceAllStringFunc(screen, func(s string) string {
		// A port of the same number of digits, as a reader expects one.
		port := s[len("127.0.0.1:"):]
		return "127.0.0.1:4" + strings.Repeat("0", len(port)-1)
	})
	screen = timestamp.ReplaceAllStringFunc(screen, func(s string) string { return fill("TIME", len(s)) })
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if qrRows(l) == 0 {
			continue
		}
		// A QR row: its modules differ per run, its extent does not.
		r := []rune(l)
		first := strings.IndexFunc(l, qrRune)
		last := strings.LastIndexFunc(l, qrRune)
		start, end := len([]rune(l[:first])), len([]rune(l[:last]))
		for j := start; j <= end; j++ {
			r[j] = '▒'
		}
		lines[i] = string(r)
	}
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		out = append(out, strings.TrimRight(l, " "))
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

func qrRune(r rune) bool { return r == '█' || r == '▀' || r == '▄' }

// fill is a placeholder of exactly n cells: <NAME> padded with dots.
func fill(name string, n int) string {
	s := "<" + name + ">"
	if len(s) > n {
		s = name[:min(n, len(name))]
	}
	return s + strings.Repeat(".", n-len(s))
}

// settled waits for ok, then for the screen to stop changing (a form still
// drawing), and returns it.
func (s *tmuxSession) settled(what string, ok func(string) bool) string {
	s.t.Helper()
	prev := s.waitFor(what, ok)
	deadline := time.Now().Add(tmuxWait)
	for time.Now().Before(deadline) {
		time.Sleep(150 * time.Millisecond)
		cur := s.screen()
		if cur == prev && ok(cur) {
			return cur
		}
		prev = cur
	}
	s.t.Fatalf("the screen of %s never settled:\n%s", what, prev)
	return ""
}

// screenRecorder keeps one run's checkpoints and checks each as it is
// taken: no word or URL cut by the terminal, every box straight.
type screenRecorder struct {
	t        *testing.T
	tm       *tmuxSession
	dir      string
	cols     int
	n        int
	password string
}

func (r *screenRecorder) take(name, screen string) {
	r.t.Helper()
	r.n++
	if cuts := cutWordsIn(screen, r.cols, r.tm.joinedHistory()); len(cuts) > 0 {
		r.t.Errorf("%s at %d columns: the terminal cut a word or URL:\n%s\n%s", name, r.cols, strings.Join(cuts, "\n"), screen)
	}
	if bad := ragged(screen); len(bad) > 0 {
		r.t.Errorf("%s: a box line out of line:\n%s\n%s", name, strings.Join(bad, "\n"), screen)
	}
	golden(r.t, filepath.Join(r.dir, fmt.Sprintf("%02d-%s.txt", r.n, name)), []byte(normalizeScreen(screen, r.password)))
}

// TestTerminalScreensGolden drives the demo with MFA through every screen,
// as a person would: the MFA codes come from the key shown on the screen.
func TestTerminalScreensGolden(t *testing.T) {
	for _, run := range screenRuns {
		t.Run(fmt.Sprintf("%s-%dx%d", run.lang, run.cols, run.rows), func(t *testing.T) {
			tr := screenLanguage(t, run.lang)
			// A runner whose own locale is C: the tmux server starts with
			// it, and the session's variables must still win for the program.
			t.Setenv("LC_ALL", "C")
			tm := startTmuxSized(t, run.cols, run.rows, []string{"LANG=" + run.lang, "LC_ALL=", "LC_MESSAGES="}, iamBaseline(t), "demo")
			rec := &screenRecorder{t: t, tm: tm, dir: screenDir(run.lang, run.cols, run.rows), cols: run.cols}
			questions := []struct{ name, title, answer string }{
				{"found", tr.T("Name of the admin group"), ""},
				{"user", tr.T("Name of the administrator user"), ""},
				{"alias", tr.T("Account alias (optional)"), "acme-lab"},
				{"password-policy", tr.T("Password policy"), ""},
				{"require-mfa", tr.T("Require MFA for group %q's users?", "admin"), ""},
				{"opt-ins", "", ""},
				{"root-key", tr.T("Type %s to delete this root access key (empty keeps it)", iamsim.DefaultRootAccessKeyID), ""},
			}
			for _, q := range questions {
				switch {
				case q.name == "opt-ins":
					// The sandbox lacks every opt-in fix: the two yes/no
					// fixes on one page, the security contact on the next,
					// each field kept at its default (none is made). Each
					// Enter is followed until the screen moves on.
					screen := tm.settled("the opt-in page", func(s string) bool { return strings.Contains(s, "┃ CIS v5 1.16") })
					rec.take(q.name, screen)
					for i := range optInFields {
						tm.keys("Enter")
						if i == 1 {
							contact := "┃ " + tr.T("Security contact name")
							screen = tm.settled("the security contact page", func(s string) bool { return strings.Contains(s, contact) })
							rec.take("security-contact", screen)
							continue
						}
						screen = tm.settled("the next opt-in field", func(s string) bool { return s != screen })
					}
					continue
				case q.answer != "":
					tm.waitFor(q.title, titled(q.title, run.cols))
					tm.typeText(q.answer)
					rec.take(q.name, tm.settled(q.title+" answered", func(s string) bool { return strings.Contains(s, q.answer+".signin") }))
				default:
					rec.take(q.name, tm.settled(q.title, titled(q.title, run.cols)))
				}
				tm.keys("Enter")
			}
			rec.take("plan", tm.settled("the plan confirmation", titled(tr.T("Apply %d change(s)?", 6), run.cols)))
			tm.keys("y")
			screen := tm.settled("the MFA page", focused(tr.T("First code from the app")))
			key := groupedKey.FindString(screen)
			if key == "" {
				t.Fatalf("no MFA key on the MFA page:\n%s", screen)
			}
			rec.take("mfa", screen)
			seed := strings.ReplaceAll(key, " ", "")
			now := time.Now()
			tm.typeText(code(t, seed, now.Add(-30*time.Second)))
			tm.keys("Enter")
			tm.waitFor("the second code prompt", focused(tr.T("Next code")))
			tm.typeText(code(t, seed, now))
			tm.keys("Enter")
			screen = tm.settled("the password screen", titled(tr.T("Have you saved the password?"), run.cols))
			rec.password = passwordAfter(t, screen, tr.T("Password"))
			rec.take("password", screen)
			tm.keys("y")
			if code := tm.waitForExit(); code != 0 {
				t.Fatalf("demo exited %d:\n%s", code, tm.history())
			}
			tm.settled("the end", func(s string) bool { return exitMarker.MatchString(s) })
			// The closing card came before the password's own screen, and
			// the sandbox's status after it: both from the history.
			closing, status := closingAndStatus(t, tr, tm.history())
			rec.take("closing", closing)
			rec.take("status", status)
		})
	}
}

// TestTerminalAccessibleScreensHaveNoBoxes: --accessible, which a screen
// reader reads, draws no box-drawing or block characters anywhere, the MFA
// page included (the key and the otpauth URI as text, no QR code), and cuts
// no word at the terminal's edge.
func TestTerminalAccessibleScreensHaveNoBoxes(t *testing.T) {
	const cols, rows = 80, 24
	tm := startTmuxSized(t, cols, rows, nil, iamBaseline(t), "demo", "--accessible")
	for _, prompt := range []string{"Name of the admin group [admin]", "Name of the administrator user [administrator]",
		"Account alias (optional)", "Enter a number between 1 and 3:", "Require MFA for group \"admin\"'s users? [Y/n]",
		"Create support role \"aws-support\" with AWSSupportAccess? [y/N]", "Create IAM Access Analyzer in the 17 regions without one? [y/N]", "Security contact name",
		"Security contact title", "Security contact e-mail (a team address)", "Security contact phone", "Type " + iamsim.DefaultRootAccessKeyID} {
		tm.waitFor(prompt, func(screen string) bool { return strings.Contains(lastLine(screen), prompt) })
		tm.keys("Enter")
	}
	tm.waitFor("the plan confirmation", func(screen string) bool { return strings.Contains(lastLine(screen), "Apply 5 changes? [y/N]") })
	tm.typeText("y")
	tm.keys("Enter")
	screen := tm.waitFor("the first code prompt", func(screen string) bool { return strings.Contains(lastLine(screen), "First code") })
	key := groupedKey.FindString(screen)
	if key == "" {
		t.Fatalf("no MFA key as text:\n%s", tm.history())
	}
	seed := strings.ReplaceAll(key, " ", "")
	now := time.Now()
	tm.typeText(code(t, seed, now.Add(-30*time.Second)))
	tm.keys("Enter")
	tm.waitFor("the second code prompt", func(screen string) bool { return strings.Contains(lastLine(screen), "Next code") })
	tm.typeText(code(t, seed, now))
	tm.keys("Enter")
	tm.waitFor("the saved-password question", func(screen string) bool {
		return strings.Contains(lastLine(screen), "Have you saved the password? [y/N]")
	})
	tm.typeText("y")
	tm.keys("Enter")
	if code := tm.waitForExit(); code != 0 {
		t.Fatalf("demo --accessible exited %d:\n%s", code, tm.history())
	}
	history := tm.history()
	if bad := boxChars(history); len(bad) > 0 {
		t.Errorf("accessible mode drew boxes or blocks:\n%s\n%s", strings.Join(bad, "\n"), history)
	}
	if cuts := cutWords(history, cols); len(cuts) > 0 {
		t.Errorf("the terminal cut words at %d columns:\n%s", cols, strings.Join(cuts, "\n"))
	}
	if !strings.Contains(history, "otpauth://totp/") {
		t.Errorf("accessible mode does not give the otpauth URI as text:\n%s", history)
	}
}

// closingAndStatus cuts a finished demo's history into its closing card
// (from the card's top border to the line that says the password screen
// was cleared) and the sandbox's status (from its banner to the end).
func closingAndStatus(t *testing.T, tr locale.Printer, history string) (closing, status string) {
	t.Helper()
	lines := strings.Split(exitMarker.ReplaceAllString(history, ""), "\n")
	done := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), "│  "+tr.T("Done")) })
	cleared := slices.IndexFunc(lines, func(l string) bool {
		return strings.Contains(l, tr.T("The temporary password was shown once and cleared from the screen."))
	})
	banner := slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, tr.T("iam-baseline status of the simulated account:")) })
	if done < 1 || cleared < done || banner < cleared {
		t.Fatalf("no closing card, cleared password screen and status, in that order, in the history:\n%s", history)
	}
	top := done
	for top > 0 && !strings.HasPrefix(strings.TrimSpace(lines[top]), "╭") {
		top--
	}
	return strings.Join(lines[top:cleared+1], "\n"), strings.Join(lines[banner:], "\n")
}

// TestWizardDocScreensUpToDate: docs/wizard.md shows exactly the en-120x50
// golden screens where it marks them, so the page cannot show a screen the
// wizard no longer draws. `go generate ./cmd/iam-baseline` rewrites it.
func TestWizardDocScreensUpToDate(t *testing.T) {
	path := filepath.Join("..", "..", "docs", "wizard.md")
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", screenDir("en_US.UTF-8", 120, 50))
	used := 0
	want, err := screendoc.Splice(string(page), func(name string) (string, error) {
		used++
		b, err := os.ReadFile(filepath.Join(dir, name+".txt"))
		return string(b), err
	})
	if err != nil {
		t.Fatal(err)
	}
	if used < 8 {
		t.Errorf("docs/wizard.md marks %d screens: the page has lost its screen markers", used)
	}
	if want != string(page) {
		t.Errorf("docs/wizard.md's screens are not the golden ones; run go generate ./cmd/iam-baseline (from the repository root)")
	}
}
