package prompt

import (
	"github.com/charmbracelet/lipgloss"

	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// render draws text in style, at most width columns wide where it can be:
// lines are wrapped at spaces only, so no word is split; a word longer than
// the room (a URL, an ARN) widens the block instead, because a URL broken
// across lines can no longer be copied or clicked.
func render(style lipgloss.Style, text string, width int) string {
	pad := style.GetHorizontalPadding()
	text = textwrap.Words(text, width-pad)
	return style.Width(max(width, lipgloss.Width(text)+pad)).Render(text)
}
