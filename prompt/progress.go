package prompt

import (
	"context"
	"fmt"
	"sync"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh/spinner"
)

// progress shows one line per apply step: a huh spinner while the step runs
// on a terminal, then a line saying how it ended. In accessible mode, and
// when the output is not a terminal, it writes plain lines only.
//
// baseline.Apply overlaps independent steps, so a step's events can arrive
// while the MFA screen waits for codes. While the screen is held, progress is
// queued and drawn when the screen is released, never over a form.
type progress struct {
	ui *UI

	mu      sync.Mutex
	running *runningSpinner
	held    bool
	queued  []func()
	// mfaScreen: the MFA enrollment is on the alternate screen; progress
	// stays held until it closes.
	mfaScreen bool
}

type runningSpinner struct {
	release chan struct{}
	exited  chan struct{}
}

// StepStarted shows that a step began.
func (u *UI) StepStarted(title string) {
	u.progress.do(func() { u.progress.startLocked(title) })
}

// StepDone shows that a step finished; detail says what happened.
func (u *UI) StepDone(title, detail string) {
	u.progress.do(func() { u.progress.endLocked(u.styles.good.Render("✓"), title, detail) })
}

// StepSkipped shows a step that needed no change or was left to a person.
func (u *UI) StepSkipped(title, detail string) {
	u.progress.do(func() { u.progress.endLocked(u.styles.subtle.Render("="), title, detail) })
}

// StepFailed shows that a step failed.
func (u *UI) StepFailed(title string, err error) {
	u.progress.do(func() { u.progress.endLocked(u.styles.bad.Render("✗"), title, u.tr.Err(err)) })
}

func (p *progress) do(draw func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.held {
		p.queued = append(p.queued, draw)
		return
	}
	draw()
}

// hold stops a running spinner and keeps progress off the screen until
// release, while something else (the MFA screen) owns it.
func (p *progress) hold() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	p.held = true
}

// setMFAScreen records whether the MFA enrollment owns the alternate
// screen, and reports whether it did before.
func (p *progress) setMFAScreen(on bool) (was bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	was, p.mfaScreen = p.mfaScreen, on
	return was
}

// releaseUnlessMFAScreen releases progress unless the MFA enrollment screen
// is still up (the codes may be asked again); EndMFAScreen releases it then.
func (p *progress) releaseUnlessMFAScreen() {
	p.mu.Lock()
	up := p.mfaScreen
	p.mu.Unlock()
	if !up {
		p.release()
	}
}

// release draws what was queued while the screen was held.
func (p *progress) release() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held = false
	queued := p.queued
	p.queued = nil
	for _, draw := range queued {
		draw()
	}
}

func (p *progress) startLocked(title string) {
	u := p.ui
	p.stopLocked()
	if u.accessible || !u.term.IsTerminal {
		u.println("  … " + title)
		return
	}
	s := &runningSpinner{release: make(chan struct{}), exited: make(chan struct{})}
	sp := spinner.New().
		Type(spinner.Dots).
		Style(u.styles.spinner).
		Title(" " + title).
		Output(u.out).
		Context(context.Background()).
		ActionWithErr(func(ctx context.Context) error {
			select {
			case <-s.release:
			case <-ctx.Done():
			}
			return nil
		})
	// The spinner model is run here rather than by sp.Run, to switch off
	// bubbletea's own SIGINT handler: it races a spinner that is quitting
	// anyway (the step ended because Ctrl-C cancelled it), sends to an event
	// loop that is gone and hangs the program's shutdown. Ctrl-C reaches the
	// run through its context instead.
	program := tea.NewProgram(sp, tea.WithOutput(u.out), tea.WithInput(nil), tea.WithoutSignalHandler())
	go func() {
		defer close(s.exited)
		_, _ = program.Run()
	}()
	p.running = s
}

func (p *progress) endLocked(mark, title, detail string) {
	u := p.ui
	p.stopLocked()
	line := fmt.Sprintf("%s %s", mark, title)
	if detail != "" {
		line += u.styles.subtle.Render(": " + detail)
	}
	// Wrapped to the terminal with a hanging indent, so a long error stays
	// readable and the spinner line above is all that was erased.
	width := u.term.width(80)
	u.println(render(u.styles.progressLine, line, width-1))
}

// stopLocked ends the spinner and erases its line, so that the line saying
// how the step ended takes its place.
func (p *progress) stopLocked() {
	if p.running == nil {
		return
	}
	close(p.running.release)
	<-p.running.exited
	p.running = nil
	_, _ = fmt.Fprint(p.ui.out, "\r\x1b[2K")
}
