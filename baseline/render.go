package baseline

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Symbol is the one-character mark of an action in the text plan, in the
// spirit of terraform's.
func (a Action) Symbol() string {
	switch a {
	case ActionCreate:
		return "+"
	case ActionUpdate:
		return "~"
	case ActionDelete:
		return "-"
	case ActionNone:
		return "="
	case ActionManual:
		return "!"
	}
	return " "
}

// TextOptions tune the text view.
type TextOptions struct {
	// Color uses ANSI colours; off for NO_COLOR, --no-color and non-terminals.
	Color bool
}

// WriteText renders the plan for people.
func WriteText(w io.Writer, p Plan, opts TextOptions) error {
	r := lipgloss.NewRenderer(w)
	if opts.Color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	styles := map[Action]lipgloss.Style{
		ActionCreate: r.NewStyle().Foreground(lipgloss.Color("2")),
		ActionUpdate: r.NewStyle().Foreground(lipgloss.Color("3")),
		ActionDelete: r.NewStyle().Foreground(lipgloss.Color("1")),
		ActionNone:   r.NewStyle().Faint(true),
		ActionManual: r.NewStyle().Foreground(lipgloss.Color("5")),
		ActionSkip:   r.NewStyle().Faint(true),
	}
	bold := r.NewStyle().Bold(true)

	var b strings.Builder
	who := "an IAM principal"
	if p.Account.IsRoot {
		who = "the root user"
	}
	fmt.Fprintf(&b, "Account %s (partition %s), signed in as %s", p.Account.ID, p.Account.Partition, who)
	if p.Account.CallerARN != "" {
		fmt.Fprintf(&b, " (%s)", p.Account.CallerARN)
	}
	b.WriteString("\n\n")
	counts := map[Action]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
		style := styles[c.Action]
		fmt.Fprintf(&b, "%s %s\n", style.Render(fmt.Sprintf("%s %-6s", c.Action.Symbol(), c.Action)), bold.Render(c.Title))
		if c.Reason != "" {
			fmt.Fprintf(&b, "    %s\n", c.Reason)
		}
		for _, d := range c.Details {
			fmt.Fprintf(&b, "      %s %s\n", style.Render("·"), d)
		}
		for i, m := range c.ManualSteps {
			fmt.Fprintf(&b, "      %d. %s\n", i+1, m)
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Plan: %d to create, %d to update, %d to delete, %d unchanged, %d manual, %d skipped.\n",
		counts[ActionCreate], counts[ActionUpdate], counts[ActionDelete], counts[ActionNone], counts[ActionManual], counts[ActionSkip])
	if p.Pending() == 0 {
		b.WriteString("No changes: the account already has the baseline")
		if counts[ActionManual] > 0 {
			b.WriteString(", apart from the manual steps above")
		}
		b.WriteString(".\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON renders the plan as the JSON document described in
// docs/plan-format.md.
func WriteJSON(w io.Writer, p Plan) error {
	if p.FormatVersion == 0 {
		p.FormatVersion = PlanFormatVersion
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(p)
}
