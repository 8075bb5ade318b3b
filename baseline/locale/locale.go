// Package locale chooses the operator's language and words the views'
// messages in it, from one catalog (catalog.go) on golang.org/x/text/message.
//
// A message's key is its English text, a format with verbs for every value
// (names, ARNs, URLs, counts): values are arguments, never concatenated into
// a sentence. Machine output (JSON, exit codes, check and control IDs) is
// never worded through a Printer.
package locale

import (
	"fmt"
	"strings"

	"github.com/mattn/go-runewidth"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"
)

// Supported are the languages with a complete catalog, English first: it is
// the fallback.
var Supported = []language.Tag{language.English, language.Korean}

// Printer words messages in one language.
type Printer struct {
	tag language.Tag
	p   *message.Printer
}

// New is the Printer for tag (one of Supported).
func New(tag language.Tag) Printer {
	return Printer{tag: tag, p: message.NewPrinter(tag, message.Catalog(builder))}
}

// English is the Printer of the machine-facing texts that must not change
// with the locale (the JSON plan's reasons) and of the default.
var English = New(language.English)

// T words the message whose English is key, with args in its verbs. key must
// be a string literal so that the catalog test finds it.
// The zero Printer words in English.
func (p Printer) T(key string, args ...any) string {
	if p.p == nil {
		p = English
	}
	return p.p.Sprintf(key, args...)
}

// Tag is the Printer's language.
func (p Printer) Tag() language.Tag {
	if p.p == nil {
		return language.English
	}
	return p.tag
}

// Choose picks the language: the --lang value when given (an error names the
// languages there are), else the first set of LC_ALL, LC_MESSAGES and LANG
// as POSIX spells it (ko_KR.UTF-8), else English. A locale without a catalog
// falls back to English, as programs do.
func Choose(flag string, lookupEnv func(string) (string, bool)) (Printer, error) {
	if flag != "" {
		tag, ok := parse(flag)
		if !ok {
			return Printer{}, fmt.Errorf("unknown language %q; hint: --lang takes %s", flag, Names())
		}
		return New(tag), nil
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v, _ := lookupEnv(name); v != "" {
			tag, _ := parse(v)
			return New(tag), nil
		}
	}
	return English, nil
}

// parse reads a language tag (ko, ko-KR) or a POSIX locale (ko_KR.UTF-8,
// C); ok is false when it names no supported language.
func parse(s string) (language.Tag, bool) {
	s, _, _ = strings.Cut(s, ".")
	s, _, _ = strings.Cut(s, "@")
	if s == "C" || s == "POSIX" {
		return language.English, true
	}
	t, err := language.Parse(strings.ReplaceAll(s, "_", "-"))
	if err != nil {
		return language.English, false
	}
	base, _ := t.Base()
	for _, s := range Supported {
		if b, _ := s.Base(); b == base {
			return s, true
		}
	}
	return language.English, false
}

// Names lists the supported languages as --lang takes them: "en, ko".
func Names() string {
	out := make([]string, len(Supported))
	for i, t := range Supported {
		out[i] = t.String()
	}
	return strings.Join(out, ", ")
}

// cells counts terminal cells as terminals do: East Asian wide characters
// take two and the ambiguous ones (✓ … · and box drawing) one. runewidth's
// default counts those as two under a Korean, Japanese or Chinese LANG,
// which would put every border and column after them out of line with what
// the terminal (and lipgloss) draws.
var cells = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// Width is the number of terminal cells s takes: East Asian wide characters
// (Hangul) take two.
func Width(s string) int { return cells.StringWidth(s) }

// PadRight pads s with spaces to width cells.
func PadRight(s string, width int) string {
	if w := Width(s); w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// Digits is n for a %v verb, written without a thousands separator as
// printers otherwise write numbers: a limit AWS's documentation quotes (1 to
// 1095 days) or a length typed, which the English of flag mode has always
// shown bare.
func Digits(n int) any { return number.Decimal(n, number.NoSeparator()) }

// WriteTable aligns rows in columns two spaces apart by display width, so
// that Hangul (two cells a character) keeps the columns straight; the last
// column is not padded.
func WriteTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(cell))
		}
	}
	for _, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(PadRight(cell, widths[i]+2))
		}
		b.WriteString("\n")
	}
}

// Msg is a message the engine says without wording it: the key (its
// English, a literal at the call of M) and the values. Views word it with
// Printer.Msg; as JSON and in errors it is its English, so machine output
// never changes with the locale.
type Msg struct {
	Key  string
	Args []any
}

// M is the message key with args. key must be a string literal so that the
// catalog test finds it.
func M(key string, args ...any) Msg { return Msg{Key: key, Args: args} }

// List is messages said as one, separated by semicolons.
type List []Msg

// Series is messages said as one, separated by commas.
type Series []Msg

// Msg words m; arguments that are messages (Msg, List) are worded too.
func (p Printer) Msg(m Msg) string {
	if m.Key == "" {
		return ""
	}
	args := make([]any, len(m.Args))
	for i, a := range m.Args {
		switch a := a.(type) {
		case Msg:
			args[i] = p.Msg(a)
		case List:
			args[i] = strings.Join(p.Msgs(a), "; ")
		case Series:
			args[i] = strings.Join(p.Msgs(a), ", ")
		case error:
			args[i] = p.Err(a)
		default:
			args[i] = a
		}
	}
	return p.T(m.Key, args...)
}

// Msgs words each of ms.
func (p Printer) Msgs(ms []Msg) []string {
	if ms == nil {
		return nil
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = p.Msg(m)
	}
	return out
}

// String is m in English.
func (m Msg) String() string { return English.Msg(m) }

// IsZero reports whether m says nothing (omitempty in JSON).
func (m Msg) IsZero() bool { return m.Key == "" }

// MarshalText is m in English: JSON holds the English text.
func (m Msg) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a message back from JSON as the text it holds.
func (m *Msg) UnmarshalText(text []byte) error {
	*m = M("%s", string(text))
	return nil
}
