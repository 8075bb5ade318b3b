// Package textwrap wraps text at words to a terminal's width, by display
// cells: escape sequences (styles) take none and Hangul takes two. It is the
// one wrapper of the wizard's screens, the text plan, status and the errors.
//
// Lines are broken at spaces only, never inside a word: a word wider than the
// room (a URL, an ARN) stays whole on a line of its own, because a URL broken
// across lines can no longer be copied or clicked.
package textwrap

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Width is the number of terminal cells s takes on screen.
func Width(s string) int { return ansi.StringWidth(s) }

// Words wraps each line of text that is wider than room at spaces.
// Continuation lines keep the line's indentation. A room of 0 or less means
// no limit: text comes back as it is.
func Words(text string, room int) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		out = append(out, hang("", "", line, room)...)
	}
	return strings.Join(out, "\n")
}

// Hanging wraps body to room cells, its first line after first and the
// others after rest (a list item's marker, then the indentation that lines
// up under its text). Each line of body is wrapped on its own, and keeps its
// own indentation on its continuation lines too.
func Hanging(first, rest, body string, room int) string {
	var out []string
	for i, line := range strings.Split(body, "\n") {
		lead := rest
		if i == 0 {
			lead = first
		}
		out = append(out, hang(lead, rest, line, room)...)
	}
	return strings.Join(out, "\n")
}

func hang(first, rest, body string, room int) []string {
	if room <= 0 || Width(first+body) <= room {
		return []string{first + body}
	}
	text := strings.TrimLeft(body, " ")
	indent := body[:len(body)-len(text)]
	first, rest, body = first+indent, rest+indent, text
	var out []string
	lead, cur := first, ""
	for _, word := range strings.Split(body, " ") {
		switch {
		case cur == "":
			cur = word
		case Width(lead+cur+" "+word) <= room:
			cur += " " + word
		default:
			out = append(out, lead+cur)
			lead, cur = rest, word
		}
	}
	return append(out, lead+cur)
}
