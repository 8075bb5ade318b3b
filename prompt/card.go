package prompt

import (
	"context"
	"errors"
	"fmt"
	"github.com/charmbracelet/lipgloss"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/charmbracelet/huh"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// Found is what the wizard read from the account before asking anything.
type Found struct {
	AccountID string
	Alias     string
	Partition string
	CallerARN string
	// CallerIsRoot: the run is signed as the root user.
	CallerIsRoot bool
	// RootKeyInUse: the run is signed with a long-term root access key.
	RootKeyInUse bool
	// RootKeyDeletable: this run can delete root's access keys (as its
	// last step, after a typed confirmation).
	RootKeyDeletable bool
	// Findings are the root checks (root access keys, root MFA, ...).
	Findings []Finding
}

// Finding is one check and whether it passes.
type Finding struct {
	OK   bool
	Text string
}

// card draws text in a bordered box that fits the terminal, wrapping long
// lines rather than letting the terminal break the border.
//
// In accessible mode there is no box: a screen reader would read its border
// characters out.
func (u *UI) card(text string) string {
	if u.accessible {
		return textwrap.Words(strings.TrimRight(text, "\n"), u.cardWidth())
	}
	return render(u.styles.card, strings.TrimRight(text, "\n"), u.cardWidth()-2)
}

// printCard prints text on a card. The card is laid out to the terminal
// already: wrapping it again would break a box widened by an unbreakable
// word (a long ARN) at its padding, leaving the right border on a line of
// its own.
func (u *UI) printCard(text string) { _, _ = fmt.Fprintln(u.out, u.card(text)) }

// cardWidth is a card's width, border included: the terminal's, up to 100
// columns, beyond which lines are harder to read than to wrap.
func (u *UI) cardWidth() int { return min(u.term.width(80), 100) }

// cardRoom is the room a card's text has on a line: the card's width less
// its border and padding (in accessible mode there is no box).
func (u *UI) cardRoom() int {
	if u.accessible {
		return u.cardWidth()
	}
	return u.cardWidth() - 2 - u.styles.card.GetHorizontalPadding()
}

// item writes one entry of a card: body after first, wrapped to the card's
// room with its continuation lines after rest, so that they line up under
// the text, not under the entry's marker or label.
func (u *UI) item(b *strings.Builder, first, rest, body string) {
	b.WriteString(textwrap.Hanging(first, rest, body, u.cardRoom()) + "\n")
}

// labelled writes a label and its value as a card entry.
func (u *UI) labelled(b *strings.Builder, label, value string) {
	u.item(b, u.styles.label.Render(label)+" ", strings.Repeat(" ", locale.Width(label)+1), value)
}

// Banner prints a banner, for example the SANDBOX notice of demo: the
// title, then the text wrapped at words to the terminal's width, every line
// of it starting in the same column.
func (u *UI) Banner(title, text string) {
	tag := u.styles.sandbox.Render(title)
	hang := strings.Repeat(" ", lipgloss.Width(tag)+1)
	lines := strings.Split(textwrap.Words(text, u.term.width(80)-len(hang)), "\n")
	u.println(tag + " " + strings.Join(lines, "\n"+hang))
}

// ShowFound draws the first screen: which account, who is calling, and the
// root findings, with a warning when a root access key signs the run.
func (u *UI) ShowFound(f Found) {
	tr := u.tr
	alias := f.Alias
	if alias == "" {
		alias = tr.T("(none)")
	}
	caller := tr.T("%s (IAM principal)", f.CallerARN)
	if f.CallerIsRoot {
		caller = tr.T("%s (root user)", f.CallerARN)
	}
	var b strings.Builder
	labels := padLabels(10, tr.T("Account"), tr.T("Alias"), tr.T("Partition"), tr.T("Caller"))
	row := func(k, v string) { u.labelled(&b, k, v) }
	b.WriteString(u.styles.heading.Render(tr.T("What I found")) + "\n")
	row(labels[0], f.AccountID)
	row(labels[1], alias)
	row(labels[2], f.Partition)
	row(labels[3], caller)
	if len(f.Findings) > 0 {
		b.WriteString("\n" + u.styles.label.Render(tr.T("Root user")) + "\n")
		u.writeFindings(&b, f.Findings)
	}
	u.printCard(b.String())
	if f.RootKeyInUse {
		width := u.cardWidth() - 2
		u.println(u.styles.warn.Render("! " + tr.T("A root access key signs this run.")))
		text := tr.T("Anyone holding it controls the whole account. Prefer AWS CloudShell: sign in to the console " +
			"as root, open CloudShell and run this tool there; it needs no access key.")
		if f.RootKeyDeletable {
			text += " " + tr.T("This run can delete the key as its very last step, after the administrator user exists.")
		}
		u.println(render(u.styles.paragraph, text, width))
	}
	u.println("")
}

// writeFindings writes one line a finding, marked ✓ when it holds.
func (u *UI) writeFindings(b *strings.Builder, findings []Finding) {
	for _, finding := range findings {
		mark := u.styles.bad.Render("✗")
		if finding.OK {
			mark = u.styles.good.Render("✓")
		}
		u.item(b, "  "+mark+" ", "    ", finding.Text)
	}
}

// ShowStatus draws a checklist under a heading on a card of its own: a
// returning operator's account, at the baseline, before any question.
func (u *UI) ShowStatus(heading string, items []Finding) {
	var b strings.Builder
	b.WriteString(u.styles.heading.Render(heading) + "\n")
	u.writeFindings(&b, items)
	u.printCard(b.String())
	u.println("")
}

// padLabels pads labels to one display width (no less than least), so
// that the values after them line up in any language.
func padLabels(least int, labels ...string) []string {
	width := least
	for _, l := range labels {
		width = max(width, locale.Width(l))
	}
	out := make([]string, len(labels))
	for i, l := range labels {
		out[i] = locale.PadRight(l, width)
	}
	return out
}

// cardLabels are the closing card's and the password screen's labels.
func (u *UI) cardLabels() []string {
	return padLabels(0, u.tr.T("Sign-in URL"), u.tr.T("User"), u.tr.T("Password"))
}

// ManualStep is something only a person can do, with where to do it.
type ManualStep struct {
	Title       string
	ConsolePath string
	Steps       []string
}

// ClosingCard is the last screen.
type ClosingCard struct {
	SignInURL string
	UserName  string
	// Password is the new temporary console password, shown once; zero
	// when the user kept an existing one or it went elsewhere.
	Password secret.Value
	// PasswordNote says where the password went when it is not shown
	// (for example "written to pw.txt").
	PasswordNote string
	// PasswordCaveat, shown with the password wherever it appears, says
	// when it may not be in force (the request setting it got no answer).
	PasswordCaveat string
	// Changed lists what this run did, one line each.
	Changed []string
	// Incomplete says a step failed or the run was stopped: the card then
	// says how to finish.
	Incomplete bool
	Manual     []ManualStep
}

// ShowClosingCard draws the closing card. The temporary password is shown
// once, on its own screen: on a terminal that screen is the alternate screen,
// so that after the operator confirms it is saved it leaves no trace in the
// terminal's scrollback. Elsewhere (accessible mode on a plain output, tests)
// it is printed and followed by the same confirmation.
func (u *UI) ShowClosingCard(ctx context.Context, c ClosingCard) error {
	u.EndMFAScreen()
	u.progress.hold()
	defer u.progress.release()
	tr := u.tr
	var b strings.Builder
	if c.Incomplete {
		b.WriteString(u.styles.warn.Render(tr.T("Not finished")) + "\n")
		b.WriteString(tr.T("Run iam-baseline again to finish: what was done is kept.") + "\n")
	} else {
		b.WriteString(u.styles.heading.Render(tr.T("Done")) + "\n")
	}
	labels := u.cardLabels()
	for _, line := range c.Changed {
		u.item(&b, "  "+u.styles.good.Render("✓")+" ", "    ", line)
	}
	b.WriteString("\n")
	u.labelled(&b, labels[0], c.SignInURL)
	u.labelled(&b, labels[1], c.UserName)
	switch {
	case c.PasswordNote != "":
		u.labelled(&b, labels[2], c.PasswordNote)
	case c.Password.IsZero():
		u.labelled(&b, labels[2], tr.T("unchanged (the user already had a console password)"))
	default:
		u.labelled(&b, labels[2], tr.T("shown once, on a screen of its own that is then cleared; it must be changed at first sign-in"))
	}
	if c.PasswordCaveat != "" {
		u.labelled(&b, strings.Repeat(" ", locale.Width(labels[2])), u.styles.warn.Render(c.PasswordCaveat))
	}
	if len(c.Manual) > 0 {
		b.WriteString("\n" + u.styles.label.Render(tr.T("Left for you to do by hand")) + "\n")
		for _, m := range c.Manual {
			u.item(&b, "  "+u.styles.warn.Render("!")+" ", "    ", m.Title)
			if m.ConsolePath != "" {
				u.item(&b, "    ", "    ", u.styles.subtle.Render(tr.T("Console: %s", m.ConsolePath)))
			}
			for _, step := range m.Steps {
				u.item(&b, "    - ", "      ", step)
			}
		}
	}
	u.printCard(b.String())
	if c.Password.IsZero() {
		return nil
	}
	return u.showPasswordOnce(ctx, c)
}

const (
	enterAltScreen = "\x1b[?1049h\x1b[H\x1b[2J"
	// Erase the alternate screen before leaving it, for terminals that
	// would otherwise show it again.
	leaveAltScreen = "\x1b[H\x1b[2J\x1b[?1049l"
)

// ShowPasswordBeforeKeyDeletion shows the temporary password on its own
// screen, as the closing card would, before the run deletes the root access
// key it signs with. Unlike the card, it fails unless the operator says the
// password is saved: the caller then keeps the key, so that a lost password
// can still be replaced.
func (u *UI) ShowPasswordBeforeKeyDeletion(ctx context.Context, c ClosingCard) error {
	u.EndMFAScreen()
	u.progress.hold()
	defer u.progress.release()
	if err := u.showPassword(ctx, c); err != nil {
		return fmt.Errorf("the operator did not confirm that the temporary password is saved: %w", err)
	}
	return nil
}

func (u *UI) showPasswordOnce(ctx context.Context, c ClosingCard) error {
	err := u.showPassword(ctx, c)
	if errors.Is(err, ErrAborted) {
		// The password already exists; stopping here loses nothing the
		// operator has not seen, so this is not a failure of the run.
		return nil
	}
	return err
}

func (u *UI) showPassword(ctx context.Context, c ClosingCard) error {
	onTerminal := u.term.IsTerminal
	if onTerminal {
		_, _ = fmt.Fprint(u.out, enterAltScreen)
	}
	tr, labels := u.tr, u.cardLabels()
	u.println(u.styles.heading.Render(tr.T("Temporary console password (shown once)")))
	u.println("")
	u.println(fmt.Sprintf("  %s %s", u.styles.label.Render(labels[0]), c.SignInURL))
	u.println(fmt.Sprintf("  %s %s", u.styles.label.Render(labels[1]), c.UserName))
	u.println(fmt.Sprintf("  %s %s", u.styles.label.Render(labels[2]), u.styles.secret.Render(c.Password.Reveal())))
	if c.PasswordCaveat != "" {
		u.println("  " + u.styles.warn.Render(c.PasswordCaveat))
	}
	u.println("")
	u.println(tr.T("Save it in your password manager now. AWS asks for a new password at first sign-in."))
	if onTerminal {
		u.println(u.styles.subtle.Render(tr.T("This screen is cleared once you confirm; the password is not kept anywhere.")))
	}
	u.println("")
	err := u.waitUntilSaved(ctx)
	if onTerminal {
		_, _ = fmt.Fprint(u.out, leaveAltScreen)
		u.println(u.styles.subtle.Render(tr.T("The temporary password was shown once and cleared from the screen.")))
	}
	return err
}

// waitUntilSaved asks until the operator says the password is saved.
func (u *UI) waitUntilSaved(ctx context.Context) error {
	for attempt := 0; ; attempt++ {
		saved := false
		title := u.tr.T("Have you saved the password?")
		if attempt > 0 {
			title = u.tr.T("It cannot be shown again. Have you saved it now?")
		}
		confirm := huh.NewConfirm().Title(title).Affirmative(u.tr.T("Saved")).Negative(u.tr.T("Not yet")).Value(&saved)
		if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(confirm))); err != nil {
			return err
		}
		if saved {
			return nil
		}
	}
}
