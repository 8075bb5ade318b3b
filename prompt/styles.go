package prompt

import (
	"io"

	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// styles are the few looks the wizard uses, rendered for the terminal it
// draws on. lipgloss picks the colour profile from that terminal and honours
// NO_COLOR; noColor forces plain text for --no-color.
type styles struct {
	heading   lipgloss.Style
	label     lipgloss.Style
	subtle    lipgloss.Style
	good      lipgloss.Style
	warn      lipgloss.Style
	bad       lipgloss.Style
	secret    lipgloss.Style
	card      lipgloss.Style
	sandbox   lipgloss.Style
	paragraph lipgloss.Style
	spinner   lipgloss.Style
	// progressLine indents a step's closing line under the spinner.
	progressLine lipgloss.Style
	theme        *huh.Theme
	// darkBackground picks how the QR code is drawn.
	darkBackground bool
}

func newStyles(out io.Writer, noColor bool) styles {
	r := lipgloss.NewRenderer(out)
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	accent := lipgloss.AdaptiveColor{Light: "#5A56E0", Dark: "#7571F9"}
	theme := huh.ThemeCharm()
	if noColor {
		theme = huh.ThemeBase()
	}
	return styles{
		heading: r.NewStyle().Bold(true).Foreground(accent),
		label:   r.NewStyle().Bold(true),
		subtle:  r.NewStyle().Faint(true),
		good:    r.NewStyle().Foreground(lipgloss.Color("2")),
		warn:    r.NewStyle().Bold(true).Foreground(lipgloss.Color("3")),
		bad:     r.NewStyle().Bold(true).Foreground(lipgloss.Color("1")),
		secret:  r.NewStyle().Bold(true).Reverse(true).Padding(0, 1),
		card: r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).
			Padding(0, 2),
		sandbox: r.NewStyle().Bold(true).Foreground(lipgloss.Color("0")).
			Background(lipgloss.Color("3")).Padding(0, 2),
		paragraph:      r.NewStyle().PaddingLeft(2),
		spinner:        r.NewStyle().PaddingLeft(2).Foreground(accent),
		theme:          theme,
		darkBackground: r.HasDarkBackground(),
	}
}

// yesNo is a yes/no question with its buttons at the left edge: huh centres
// them under the title, so on a page of several questions they would move
// with each title's length.
func (u *UI) yesNo(title string, value *bool) *huh.Confirm {
	return u.confirm(title).Value(value).WithButtonAlignment(lipgloss.Left)
}

// formGutter is the room huh's form takes left of a field's text (the
// focus bar and its padding), kept free when the text is wrapped here.
const formGutter = 4
