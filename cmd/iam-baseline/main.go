// Command iam-baseline brings an AWS account to the IAM first-day baseline.
// See README.md and docs/.
package main

import (
	"context"
	"crypto/rand"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/iam-baseline/iam-baseline/mfa"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal cancels the run, which then cleans up (an MFA
		// device being enrolled is deleted); a second one stops at once.
		<-ctx.Done()
		stop()
	}()
	// A reader that goes away (| head) must not kill the run silently
	// after the password was set: with SIGPIPE caught, the write fails
	// with EPIPE and the run says what was lost and how to recover.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	code := run(ctx, osEnv(), os.Args)
	stop()
	os.Exit(code)
}

// osEnv is the real world.
func osEnv() *Env {
	return &Env{
		Stdin:         os.Stdin,
		Stdout:        os.Stdout,
		Stderr:        os.Stderr,
		LookupEnv:     os.LookupEnv,
		IsTerminal:    isTerminal,
		TerminalWidth: terminalWidth,
		LoadAWSConfig: loadConfigAskingForMFA(os.LookupEnv, terminalMFAToken(os.Stdin, os.Stderr, isTerminal)),
		Rand:          rand.Reader,
		Now:           time.Now,
		Interactive:   runInteractive, // the wizard (wizard.go)
		HardenProcess: disableCoreDumps,
		Processes:     mfa.LocalProcesses{},
	}
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// terminalWidth is the width of v when it is a terminal, else 0.
func terminalWidth(v any) int {
	f, ok := v.(*os.File)
	if !ok {
		return 0
	}
	if width, _, err := term.GetSize(int(f.Fd())); err == nil {
		return width
	}
	return 0
}
