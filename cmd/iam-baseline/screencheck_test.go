package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// The checks on what people read, shared by the text views' tests and the
// tmux screens (and meant for every language's rows of them).

// leadWidth is the most a line may hold before its one unbreakable word
// and still be wider than the terminal: a list marker, a label, indentation.
const leadWidth = 16

// overWide lists the lines of text wider than width, except a lead
// followed by one word that fits no line (a URL, an ARN): the wrapper puts
// such a word whole on a line of its own.
func overWide(text string, width int) []string {
	var bad []string
	for _, l := range strings.Split(text, "\n") {
		if textwrap.Width(l) <= width {
			continue
		}
		words := strings.Fields(l)
		last := words[len(words)-1]
		lead := strings.TrimSuffix(strings.TrimRight(l, " "), last)
		if textwrap.Width(lead) > leadWidth {
			bad = append(bad, fmt.Sprintf("%d cells: %q", textwrap.Width(l), l))
		}
	}
	return bad
}

// cutWords lists where a terminal width columns wide cut a word: a line
// that fills the whole width and ends inside a word whose rest starts the
// next line. A wrapped line that happens to fill the width is followed by a
// line that starts with indentation or after a space, so is not one.
func cutWords(screen string, width int) []string { return cutWordsIn(screen, width, "") }

// cutWordsIn is cutWords told what the terminal joined: joined is the
// terminal's text with the lines it wrapped itself joined again (tmux's
// capture-pane -J). A line that fills the width but ended in a newline of
// the program's, which joined keeps apart from the next, is no cut.
func cutWordsIn(screen string, width int, joined string) []string {
	lines := strings.Split(screen, "\n")
	var cuts []string
	for i := 0; i+1 < len(lines); i++ {
		l, next := strings.TrimRight(lines[i], "\n"), lines[i+1]
		if textwrap.Width(l) < width || next == "" || !strings.Contains(strings.TrimSpace(l), " ") {
			// A line that is one word from its indentation on is a word
			// wider than the terminal (a long URL): it has to fold, whole
			// on lines of its own.
			continue
		}
		end, _ := lastRune(l)
		start := []rune(next)[0]
		if wordRune(end) && wordRune(start) && (joined == "" || strings.Contains(joined, l+next)) {
			cuts = append(cuts, fmt.Sprintf("line %d %q / %q", i+1, l, next))
		}
	}
	return cuts
}

func lastRune(s string) (rune, bool) {
	r := []rune(s)
	if len(r) == 0 {
		return 0, false
	}
	return r[len(r)-1], true
}

// wordRune: a rune inside a word or a URL (anything but a space and box
// drawing).
func wordRune(r rune) bool {
	return !unicode.IsSpace(r) && !boxRune(r)
}

// boxRune: box drawing (U+2500-257F) or a block element (U+2580-259F),
// which a screen reader reads out as noise.
func boxRune(r rune) bool { return r >= 0x2500 && r <= 0x259F }

// boxChars lists the lines of screen holding box-drawing or block
// characters.
func boxChars(screen string) []string {
	var bad []string
	for i, l := range strings.Split(screen, "\n") {
		if strings.IndexFunc(l, boxRune) >= 0 {
			bad = append(bad, fmt.Sprintf("line %d: %q", i+1, l))
		}
	}
	return bad
}

// ragged lists the lines of each box on screen (from a line that starts,
// after any indentation, with a top corner to the one that starts with a
// bottom corner) whose display width differs from the box's top line: a
// border out of line, as Hangul counted as one cell would make it.
func ragged(screen string) []string {
	var bad []string
	want := -1
	for i, l := range strings.Split(screen, "\n") {
		body := strings.TrimSpace(l)
		first, _ := utf8.DecodeRuneInString(body)
		w := textwrap.Width(strings.TrimRight(l, " "))
		switch {
		case strings.ContainsRune("╭┌╔", first):
			want = w
		case want < 0:
		case w != want:
			bad = append(bad, fmt.Sprintf("line %d is %d cells, the box %d: %q", i+1, w, want, l))
		}
		if strings.ContainsRune("╰└╚", first) {
			want = -1
		}
	}
	return bad
}

// terminalFold is what a terminal width columns wide does with a line
// longer than it: cuts it at the last column, wherever that falls.
func terminalFold(text string, width int) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		r := []rune(l)
		for len(r) > width {
			out = append(out, string(r[:width]))
			r = r[width:]
		}
		out = append(out, string(r))
	}
	return strings.Join(out, "\n")
}

// TestScreenChecksCanFail: each check finds what it is for in a screen made
// bad on purpose, and passes the same text done right.
func TestScreenChecksCanFail(t *testing.T) {
	const width = 50
	text := "user \"administrator\" exists but has no console password; sign in at " +
		"https://acme.signin.aws.amazon.com/console and change it"
	if cuts := cutWords(terminalFold(text, width), width); len(cuts) == 0 {
		t.Errorf("cutWords found no cut in the unwrapped text:\n%s", terminalFold(text, width))
	}
	if cuts := cutWords(terminalFold(textwrap.Words(text, width), width), width); len(cuts) > 0 {
		t.Errorf("cutWords found cuts in the wrapped text: %v", cuts)
	}
	if bad := overWide(text, width); len(bad) == 0 {
		t.Error("overWide passed an unwrapped line")
	}
	if bad := overWide(textwrap.Words("  1. "+text+" https://"+strings.Repeat("x", 60), width), width); len(bad) > 0 {
		t.Errorf("overWide refused a wrapped text: %v", bad)
	}
	box := "╭────╮\n│ ab │\n│ 관리 │\n╰────╯"
	if bad := ragged(box); len(bad) != 1 {
		t.Errorf("ragged found %v in a box with one short line", bad)
	}
	if bad := ragged("╭────╮\n│관리│\n╰────╯"); len(bad) > 0 {
		t.Errorf("ragged refused a straight box: %v", bad)
	}
	if bad := boxChars("plain\n▀▄ qr\n"); len(bad) != 1 {
		t.Errorf("boxChars found %v", bad)
	}
	if bad := boxChars("otpauth://totp/x?secret=ABC\nkey: ABCD EFGH"); len(bad) > 0 {
		t.Errorf("boxChars refused plain text: %v", bad)
	}
}

// TestTextViewsWrapAtWords: the text plan and the summary of flag mode, in
// English and Korean, at 40, 80 and 120 columns: no line is wider than the
// terminal but for one unbreakable word, and wrapping loses, adds or splits
// no word (the words are those of the unwrapped text, in order).
func TestTextViewsWrapAtWords(t *testing.T) {
	type render func(w *bytes.Buffer, tr locale.Printer, width int) error
	views := map[string]render{}
	for name, p := range planCases() {
		views["plan "+name] = func(w *bytes.Buffer, tr locale.Printer, width int) error {
			return writePlanText(w, tr, p, false, width)
		}
	}
	for name, out := range summaryCases() {
		views["summary "+name] = func(w *bytes.Buffer, tr locale.Printer, width int) error {
			return (flagView{stdout: w, tr: tr, width: width}).Summary(context.Background(), out)
		}
	}
	for name, view := range views {
		for _, tr := range []locale.Printer{locale.English, korean} {
			var whole bytes.Buffer
			if err := view(&whole, tr, 0); err != nil {
				t.Fatal(err)
			}
			for _, width := range []int{40, 80, 120} {
				var b bytes.Buffer
				if err := view(&b, tr, width); err != nil {
					t.Fatal(err)
				}
				if bad := overWide(b.String(), width); len(bad) > 0 {
					t.Errorf("%s %s at %d columns:\n%s", name, tr.Tag(), width, strings.Join(bad, "\n"))
				}
				if strings.Join(strings.Fields(b.String()), " ") != strings.Join(strings.Fields(whole.String()), " ") {
					t.Errorf("%s %s at %d columns: the words changed:\n%s", name, tr.Tag(), width, b.String())
				}
			}
		}
	}
}

// TestFlagModeWrapsToTheTerminal: the plan on a terminal is wrapped at words
// to its width, the same plan to a pipe keeps each reason on one line (to
// grep; a pager wraps it), JSON never changes, and an error on a narrow
// terminal is wrapped at words too.
func TestFlagModeWrapsToTheTerminal(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	piped := r.run("plan")
	r.wantCode(piped, ExitOK)
	pipedJSON := r.run("plan", "--output", "json")
	longest := 0
	for _, l := range strings.Split(piped.stdout, "\n") {
		longest = max(longest, textwrap.Width(l))
	}
	if longest <= 80 {
		t.Fatalf("the plan's longest line is %d cells: nothing to wrap at 80 columns:\n%s", longest, piped.stdout)
	}
	for _, width := range []int{40, 80, 120} {
		r.width = width
		res := r.run("plan")
		r.wantCode(res, ExitOK)
		if bad := overWide(res.stdout, width); len(bad) > 0 {
			t.Errorf("plan at %d columns:\n%s", width, strings.Join(bad, "\n"))
		}
		if strings.Join(strings.Fields(res.stdout), " ") != strings.Join(strings.Fields(piped.stdout), " ") {
			t.Errorf("plan at %d columns: the words changed:\n%s", width, res.stdout)
		}
		if js := r.run("plan", "--output", "json"); js.stdout != pipedJSON.stdout {
			t.Errorf("the JSON plan changes with the terminal's width (%d):\n%s", width, js.stdout)
		}
	}
	r.width = 40
	res := r.run("plan", "--endpoint-url", "http://127.0.0.1:1")
	if res.code == ExitOK {
		t.Fatalf("a refused connection succeeded:\n%s", res.stderr)
	}
	if !strings.Contains(res.stderr, "\n  ") {
		t.Errorf("the error is not wrapped at 40 columns:\n%s", res.stderr)
	}
	if bad := overWide(res.stderr, 40); len(bad) > 0 {
		t.Errorf("error at 40 columns:\n%s", strings.Join(bad, "\n"))
	}
}

// TestCutWordsKnowsTheTerminalsWraps: a line that fills the width and ends
// in a newline of the program's is no cut once the terminal says so (the
// joined text keeps it apart from the next); the same lines wrapped by the
// terminal are.
func TestCutWordsKnowsTheTerminalsWraps(t *testing.T) {
	full := strings.Repeat("a", 9) + " bcdefghijk" // 20 cells
	screen := full + "\nklm"
	if cuts := cutWordsIn(screen, 20, full+"\nklm\n"); len(cuts) > 0 {
		t.Errorf("a full line ended by the program is a cut: %v", cuts)
	}
	if cuts := cutWordsIn(screen, 20, full+"klm\n"); len(cuts) != 1 {
		t.Errorf("the terminal's wrap inside a word is no cut: %v", cuts)
	}
}
