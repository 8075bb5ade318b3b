package locale

import "strings"

// Error is an error the engine says without wording it, like a Msg: its
// Error() is the English (logs, flag mode and JSON never change with the
// language) and a view words it with Printer.Err.
type Error struct {
	Msg Msg
	// Err is what it wraps (errors.Is and errors.As see through it); nil
	// for a sentinel.
	Err error
}

// Wrap is the error saying m, wrapping err (nil for none). An error among
// m's values is worded with it.
func Wrap(m Msg, err error) error { return &Error{Msg: m, Err: err} }

// Error is the message in English.
func (e *Error) Error() string { return e.Msg.String() }

// Unwrap is the error it wraps.
func (e *Error) Unwrap() error { return e.Err }

// Err words err in p's language: each *Error in its tree is worded in place,
// and the rest (context added with fmt.Errorf, AWS's answers) stays as it
// is.
func (p Printer) Err(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok { //nolint:errorlint // the error itself, not one it wraps
		return p.Msg(e.Msg)
	}
	text := err.Error()
	for _, e := range outermost(err) {
		if en := e.Error(); en != "" {
			text = strings.Replace(text, en, p.Msg(e.Msg), 1)
		}
	}
	return text
}

// outermost lists the *Errors of err's tree that no other *Error holds: one
// words the errors among its values itself.
func outermost(err error) []*Error {
	switch u := err.(type) { //nolint:errorlint // walks the tree itself
	case *Error:
		return []*Error{u}
	case interface{ Unwrap() []error }:
		var out []*Error
		for _, e := range u.Unwrap() {
			out = append(out, outermost(e)...)
		}
		return out
	case interface{ Unwrap() error }:
		return outermost(u.Unwrap())
	}
	return nil
}
