package prompt

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// render draws text in style, at most width columns wide where it can be:
// lines are wrapped at spaces only, so no word is split; a word longer than
// the room (a URL, an ARN) widens the block instead, because a URL broken
// across lines can no longer be copied or clicked.
func render(style lipgloss.Style, text string, width int) string {
	pad := style.GetHorizontalPadding()
	text = wrapWords(text, width-pad)
	return style.Width(max(width, lipgloss.Width(text)+pad)).Render(text)
}

// wrapWords wraps each line of text that is wider than room at spaces.
// Continuation lines keep the line's indentation. Widths are as displayed:
// styles (escape sequences) take no room.
func wrapWords(text string, room int) string {
	lines := strings.Split(text, "\n")
	out := make([]string, 0, len(lines))
	for _, line := range lines {
		if room <= 0 || lipgloss.Width(line) <= room {
			out = append(out, line)
			continue
		}
		out = append(out, wrapLine(line, room)...)
	}
	return strings.Join(out, "\n")
}

func wrapLine(line string, room int) []string {
	body := strings.TrimLeft(line, " ")
	indent := line[:len(line)-len(body)]
	var out []string
	cur := indent
	for _, word := range strings.Split(body, " ") {
		switch {
		case cur == indent:
			cur += word
		case lipgloss.Width(cur+" "+word) <= room:
			cur += " " + word
		default:
			out = append(out, cur)
			cur = indent + word
		}
	}
	return append(out, cur)
}
