// Package secret holds values that must reach the operator exactly once and
// nowhere else: temporary passwords, MFA seeds, otpauth URIs, TOTP codes.
//
// Every ordinary way of turning a Value into text (String, fmt verbs, JSON,
// text marshalling, slog) yields "[redacted]". The only way to read it is
// Reveal, so each place that shows a secret is an explicit, greppable call.
package secret

import (
	"fmt"
	"log/slog"
)

// Redacted is what every formatting path prints instead of the secret.
const Redacted = "[redacted]"

// Value is a secret string. The zero Value is empty.
type Value struct {
	v string
}

// New wraps s as a secret.
func New(s string) Value { return Value{v: s} }

// Reveal returns the secret itself. Call it only where the operator is meant
// to see or store the secret.
func (s Value) Reveal() string { return s.v }

// IsZero reports whether no secret is held.
func (s Value) IsZero() bool { return s.v == "" }

// String, GoString, MarshalJSON, MarshalText and LogValue print Redacted,
// so a secret logged, formatted or encoded by mistake shows nothing.
func (s Value) String() string { return Redacted }

// GoString prints Redacted.
func (s Value) GoString() string { return Redacted }

// Format covers every fmt verb, including %v, %+v, %#v, %q, %x and %s.
func (s Value) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(Redacted)) }

// MarshalJSON encodes Redacted.
func (s Value) MarshalJSON() ([]byte, error) { return []byte(`"` + Redacted + `"`), nil }

// MarshalText encodes Redacted.
func (s Value) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// LogValue logs Redacted.
func (s Value) LogValue() slog.Value { return slog.StringValue(Redacted) }
