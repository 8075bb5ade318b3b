package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Exit codes, documented in docs/exit-codes.md. Map errors to them only in
// exitCode.
const (
	ExitOK = 0
	// ExitError: the run failed (AWS error, a step that did not complete,
	// credentials missing).
	ExitError = 1
	// ExitUsage: the command line is wrong (a flag, a value, a missing
	// flag in non-interactive mode). Nothing was changed; bad flags and
	// values are caught before any request.
	ExitUsage = 2
	// ExitChanges: with --detailed-exitcode, plan found changes to make
	// (or apply made some).
	ExitChanges = 2
	// ExitInterrupted: SIGINT or SIGTERM stopped the run.
	ExitInterrupted = 130
)

// usageError is a mistake on the command line. flags names the flags at
// fault (without dashes), for callers that want to point at them.
// msgs are its sentences, one a line, worded where it is printed: the error
// itself is English, for --debug and logs.
type usageError struct {
	flags []string
	msgs  []locale.Msg
}

func (e *usageError) Error() string { return e.words(locale.English) }

// words is the error in tr's language.
func (e *usageError) words(tr locale.Printer) string {
	return strings.Join(tr.Msgs(e.msgs), "\n")
}

func newUsageError(flags []string, msg locale.Msg) error {
	return &usageError{flags: flags, msgs: []locale.Msg{msg}}
}

// joinUsageErrors makes one usage error of several, so that every missing
// or wrong flag is reported in one run; nil when there are none. Another
// error among them is returned as it is.
func joinUsageErrors(errs ...error) error {
	var flags []string
	var msgs []locale.Msg
	for _, err := range errs {
		var u *usageError
		switch {
		case errors.As(err, &u):
			flags = append(flags, u.flags...)
			msgs = append(msgs, u.msgs...)
		case err != nil:
			return err // not the command line's fault: it stops the run as it is
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return &usageError{flags: flags, msgs: msgs}
}

// onUsageError is every command's OnUsageError: one shape for a flag the
// command does not know or cannot parse.
func onUsageError(_ *cli.Context, err error, _ bool) error { return flagParseError(err) }

// flagParseError rewrites the flag package's messages ("flag provided but
// not defined: -nope", "invalid value "x" for flag -user: ...") to name flags
// the way they are documented, with two dashes.
func flagParseError(err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return newUsageError([]string{name}, locale.M("unknown flag --%s", strings.TrimLeft(name, "-")))
	}
	if m := invalidFlagValue.FindStringSubmatch(msg); m != nil {
		if m[3] == m[1]+" is "+errNotDecimal {
			return newUsageError([]string{m[2]}, locale.M("invalid value %s for flag --%s: %s", m[1], m[2], locale.M("%s is not a decimal number", m[1])))
		}
		return newUsageError([]string{m[2]}, locale.M("invalid value %s for flag --%s: %s", m[1], m[2], m[3]))
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		name = strings.TrimLeft(name, "-")
		return newUsageError([]string{name}, locale.M("flag --%s needs a value", name))
	}
	msg = singleDashFlag.ReplaceAllString(msg, "for flag --$1")
	return newUsageError(nil, locale.M("%s", msg))
}

var singleDashFlag = regexp.MustCompile(`for flag -([A-Za-z0-9][A-Za-z0-9-]*)`)

// invalidFlagValue is the flag package's "invalid value "x" for flag -name:
// reason", whose reason (from strconv or a flag's Set) stays as it is.
var invalidFlagValue = regexp.MustCompile(`^invalid value (".*") for flag -([A-Za-z0-9][A-Za-z0-9-]*): (.*)$`)

// exitStatus is a non-error outcome with a specific exit code, for example
// "changes present" under --detailed-exitcode.
type exitStatus struct{ code int }

func (e exitStatus) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCode prints err (if it is an error worth printing) to stderr and
// returns the process exit code. detailed says --detailed-exitcode was given:
// then every error is 1, so that 2 only ever means "changes".
//
// debug says --debug was given: then the SDK's text of an error explained in
// plain words is shown too.
//
// tr words what is printed; the exit code never depends on it. width is
// stderr's columns when it is a terminal (0: none): the message is wrapped
// at words to it.
func exitCode(stderr io.Writer, tr locale.Printer, width int, err error, detailed, debug bool) int {
	if err == nil {
		return ExitOK
	}
	stderr = &wrappingWriter{w: stderr, width: width}
	var status exitStatus
	if errors.As(err, &status) {
		return status.code
	}
	var usage *usageError
	switch {
	case errors.As(err, &usage):
		report(stderr, "iam-baseline: %s\n", usage.words(tr))
		reportln(stderr, tr.T("run 'iam-baseline --help' for the flags"))
		// --detailed-exitcode given where it is not a flag is itself the
		// usage error: 2 cannot be read as "changes" there.
		if detailed && !slices.Contains(usage.flags, flagDetailedExitcode) {
			return ExitError
		}
		return ExitUsage
	}
	code := ExitError
	if errors.Is(err, context.Canceled) {
		code = ExitInterrupted
	}
	reportFailure(stderr, tr, err, code == ExitInterrupted, debug)
	return code
}

// reportFailure prints a failed run's error: the product's words with the
// SDK's shortened (plain), what kind of failure it is and the next step, and
// the SDK's whole text under --debug.
func reportFailure(stderr io.Writer, tr locale.Printer, err error, interrupted, debug bool) {
	f, explained := explainFailure(err)
	text := plainIn(tr, err)
	if explained && f.replaces {
		text = tr.Msg(f.sentence)
	}
	if interrupted {
		text = tr.T("interrupted: %s", text)
	}
	report(stderr, "iam-baseline: %s\n", text)
	switch {
	case interrupted && strings.Contains(err.Error(), "hint:"):
		// The apply's error says how to finish already.
	case !f.next.IsZero() && !f.sentence.IsZero() && !f.replaces:
		reportln(stderr, tr.T("hint: %s: %s", tr.Msg(f.sentence), tr.Msg(f.next)))
	case !f.next.IsZero():
		reportln(stderr, tr.T("hint: %s", tr.Msg(f.next)))
	}
	if debug && text != err.Error() {
		report(stderr, "debug: %v\n", err)
	}
}

// flagAsked finds a boolean flag in raw arguments, for errors that happen
// before the flags are parsed.
func flagAsked(args []string, flag string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && name == flag {
			return !hasValue || value == "true" || value == "1"
		}
	}
	return false
}

// flagValue finds a flag's value in raw arguments (--name value or
// --name=value), for what must be known before the flags are parsed; ok is
// false when the flag is not given.
func flagValue(args []string, flag string) (value string, ok bool) {
	for i, a := range args {
		if a == "--" || !strings.HasPrefix(a, "-") {
			continue
		}
		name, v, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case name != flag:
		case hasValue:
			return v, true
		case i+1 < len(args):
			return args[i+1], true
		}
	}
	return "", false
}

// report writes a diagnostic (an error, a hint, progress, a debug line) to
// the terminal or stderr. Those are the last place anything is reported, so
// a write that fails there has nowhere left to go and is dropped, here once.
func report(w io.Writer, format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }

// reportln is report for a line of values.
func reportln(w io.Writer, a ...any) { _, _ = fmt.Fprintln(w, a...) }

// wrappingWriter writes each line it is given wrapped at words to width
// columns, its continuation lines indented, so that a long error never has
// a word or a URL cut by the terminal. Each write is whole lines.
type wrappingWriter struct {
	w     io.Writer
	width int
}

func (w *wrappingWriter) Write(p []byte) (int, error) {
	text := strings.TrimSuffix(string(p), "\n")
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = textwrap.Hanging("", "  ", l, w.width)
	}
	wrapped := strings.Join(lines, "\n")
	if len(text) < len(p) {
		wrapped += "\n"
	}
	if _, err := io.WriteString(w.w, wrapped); err != nil {
		return 0, err
	}
	return len(p), nil
}
