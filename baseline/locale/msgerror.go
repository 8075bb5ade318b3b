package locale

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

// Err words err in p's language when it is an *Error, else gives its text:
// an error wrapped in plain fmt.Errorf context keeps its English.
func (p Printer) Err(err error) string {
	if err == nil {
		return ""
	}
	if e, ok := err.(*Error); ok {
		return p.Msg(e.Msg)
	}
	return err.Error()
}
