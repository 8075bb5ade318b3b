// Package prompt is the terminal face of iam-baseline: the huh forms of the
// wizard, the MFA code prompts, per-step progress and the closing card. It
// never calls AWS; cmd hands it plain data (rendered plan text, small
// structs) and acts on the answers.
package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// ErrAborted means the operator stopped the wizard (Ctrl-C, or the end of
// input before every question was answered). A Ctrl-C also matches
// context.Canceled.
var ErrAborted = errors.New("wizard aborted by the operator")

// Options configure a UI.
type Options struct {
	// In is where answers come from; Out is the terminal the wizard draws
	// on. Out should be the terminal (stderr in cmd) so that stdout stays
	// free for data.
	In  io.Reader
	Out io.Writer
	// Accessible selects huh's accessible mode: numbered choices and plain
	// line prompts, for screen readers and dumb terminals.
	Accessible bool
	// NoColor drops colour from everything this package styles. lipgloss
	// already honours NO_COLOR from the environment; this covers --no-color.
	NoColor bool
	// Terminal is what Out is, decided once by the caller
	// (DetectTerminal); the zero value is a plain writer of 80 columns.
	Terminal Terminal
	// Tr words the screens in the operator's language (the zero Printer:
	// English).
	Tr locale.Printer
}

// Terminal holds the terminal questions about Out, answered once: whether
// it is a terminal that understands cursor movement, and its size.
type Terminal struct {
	IsTerminal    bool
	Width, Height int
}

// DetectTerminal answers the terminal questions about w.
func DetectTerminal(w io.Writer) Terminal {
	return Terminal{IsTerminal: isTerminal(w), Width: terminalWidth(w, 0), Height: terminalHeight(w)}
}

// width is the terminal's width, or fallback when unknown.
func (t Terminal) width(fallback int) int {
	if t.Width > 0 {
		return t.Width
	}
	return fallback
}

// UI runs the wizard's screens on one terminal.
type UI struct {
	in         *inputReader
	rawIn      io.Reader
	out        io.Writer
	term       Terminal
	accessible bool
	styles     styles
	progress   *progress
	tr         locale.Printer
}

// New builds a UI. A nil In or Out means os.Stdin or os.Stderr.
func New(opts Options) *UI {
	in := opts.In
	if in == nil {
		in = os.Stdin
	}
	out := opts.Out
	if out == nil {
		out = os.Stderr
	}
	if opts.NoColor {
		// huh draws its forms with lipgloss's default renderer and takes
		// no other: this is the one place that sets it.
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	u := &UI{
		tr:    opts.Tr,
		in:    newInputReader(in),
		rawIn: in,
		out:   out,
		term:  opts.Terminal,
		// huh itself falls back to accessible mode on a dumb terminal.
		accessible: opts.Accessible || os.Getenv("TERM") == "dumb",
		styles:     newStyles(out, opts.NoColor),
	}
	u.progress = &progress{ui: u}
	return u
}

// runForm runs one huh form and turns every way of not finishing it into
// ErrAborted.
//
// In accessible mode huh reads each field with its own bufio.Scanner over the
// same reader, and hides the end of input (a field at EOF silently keeps its
// default). inputReader hands out one byte per Read so that no scanner reads
// ahead into the next field's answer, and records whether input ran out, which
// is how an abort is noticed here.
func (u *UI) runForm(ctx context.Context, form *huh.Form) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w: %w", ErrAborted, err)
	}
	form = form.WithShowHelp(!u.accessible).WithTheme(u.styles.theme).WithKeyMap(u.keyMap())
	if u.accessible {
		u.in.begin(ctx)
		err := form.WithAccessible(true).WithInput(u.in).WithOutput(u.out).RunWithContext(ctx)
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ErrAborted, ctx.Err())
		}
		if u.in.end() {
			return ErrAborted
		}
		return err
	}
	// The program is run here rather than by form.Run: huh ends an aborted
	// form by interrupting bubbletea, which then leaves its input reader
	// running, and that reader swallows the next key typed into the next
	// form. Quitting normally stops the reader first.
	form.SubmitCmd = tea.Quit
	form.CancelCmd = tea.Quit
	// Signals reach the form through ctx (the run's signal context), not
	// through bubbletea's handler, which can hang a program that is
	// already quitting (see progress).
	opts := []tea.ProgramOption{tea.WithOutput(u.out), tea.WithReportFocus(), tea.WithContext(ctx), tea.WithoutSignalHandler()}
	if u.rawIn != os.Stdin {
		opts = append(opts, tea.WithInput(u.rawIn))
	}
	_, err := tea.NewProgram(form, opts...).Run()
	switch {
	case form.State == huh.StateAborted, ctx.Err() != nil:
		// Ctrl-C on a form is the operator interrupting the run.
		return fmt.Errorf("%w: %w", ErrAborted, context.Canceled)
	case err != nil:
		return fmt.Errorf("running the form: %w", err)
	}
	return nil
}

// keyMap is huh's keys with their help line in the operator's language:
// the keys stay, the words change.
func (u *UI) keyMap() *huh.KeyMap {
	km := huh.NewDefaultKeyMap()
	back, next, submit := u.tr.T("back"), u.tr.T("next"), u.tr.T("submit")
	for _, b := range []struct {
		binding *key.Binding
		words   string
	}{
		{&km.Input.Prev, back}, {&km.Input.Next, next}, {&km.Input.Submit, submit},
		{&km.Input.AcceptSuggestion, u.tr.T("complete")},
		{&km.Confirm.Prev, back}, {&km.Confirm.Next, next}, {&km.Confirm.Submit, submit},
		{&km.Confirm.Toggle, u.tr.T("toggle")},
		{&km.Select.Prev, back}, {&km.Select.Next, u.tr.T("select")}, {&km.Select.Submit, submit},
		{&km.Select.Up, u.tr.T("up")}, {&km.Select.Down, u.tr.T("down")}, {&km.Select.Filter, u.tr.T("filter")},
		{&km.Select.SetFilter, u.tr.T("set filter")}, {&km.Select.ClearFilter, u.tr.T("clear filter")},
	} {
		b.binding.SetHelp(b.binding.Help().Key, b.words)
	}
	return km
}

// println writes one line to the terminal, wrapped at words to its width
// so that the terminal never cuts a word or a URL; the terminal is best
// effort, so write errors are not interesting here.
func (u *UI) println(s string) { _, _ = fmt.Fprintln(u.out, textwrap.Words(s, u.term.Width)) }

// isTerminal reports whether w is a terminal that understands cursor
// movement, which is what erasing the password needs.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false
	}
	return os.Getenv("TERM") != "dumb"
}

// terminalHeight is the height of w when it is a terminal, else 0.
func terminalHeight(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if _, height, err := term.GetSize(int(f.Fd())); err == nil {
			return height
		}
	}
	return 0
}

// terminalWidth is the width of w when it is a terminal, else fallback.
func terminalWidth(w io.Writer, fallback int) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return width
		}
	}
	return fallback
}
