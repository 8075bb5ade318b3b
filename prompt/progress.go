package prompt

import (
	"context"
	"fmt"
	"sync"

	"github.com/charmbracelet/huh/spinner"
)

// progress shows one line per apply step: a huh spinner while the step runs
// on a terminal, then a line saying how it ended. In accessible mode, and
// when the output is not a terminal, it writes plain lines only.
type progress struct {
	ui *UI

	mu      sync.Mutex
	running *runningSpinner
}

type runningSpinner struct {
	title   string
	release chan struct{}
	exited  chan struct{}
}

// StepStarted shows that a step began.
func (u *UI) StepStarted(title string) {
	p := u.progress
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	if u.accessible || !isTerminal(u.out) {
		u.println("  … " + title)
		return
	}
	s := &runningSpinner{title: title, release: make(chan struct{}), exited: make(chan struct{})}
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
	go func() {
		defer close(s.exited)
		_ = sp.Run()
	}()
	p.running = s
}

// StepDone shows that a step finished; detail says what happened.
func (u *UI) StepDone(title, detail string) {
	u.stepEnded(u.styles.good.Render("✓"), title, detail)
}

// StepSkipped shows a step that needed no change or was left to a person.
func (u *UI) StepSkipped(title, detail string) {
	u.stepEnded(u.styles.subtle.Render("="), title, detail)
}

// StepFailed shows that a step failed.
func (u *UI) StepFailed(title string, err error) {
	u.stepEnded(u.styles.bad.Render("✗"), title, err.Error())
}

func (u *UI) stepEnded(mark, title, detail string) {
	p := u.progress
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
	line := fmt.Sprintf("  %s %s", mark, title)
	if detail != "" {
		line += u.styles.subtle.Render(": " + detail)
	}
	u.println(line)
}

// pauseProgress stops a running spinner before anything else is drawn (the
// MFA QR, a form); the step's closing line comes when it ends.
func (u *UI) pauseProgress() {
	p := u.progress
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stopLocked()
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
