package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// TextOffenderLimit is how many offenders per finding the text view lists;
// the JSON view lists them all.
const TextOffenderLimit = 10

// resultLabel is the text view's word for each result.
var resultLabel = map[Result]string{
	ResultPass:          "PASS",
	ResultFail:          "FAIL",
	ResultManual:        "MANUAL",
	ResultNotApplicable: "N/A",
}

// Label is the text view's word for the result ("PASS", "FAIL", "MANUAL",
// "N/A").
func (r Result) Label() string { return resultLabel[r] }

// labelInformational is the text view's word for an informational failure.
const labelInformational = "INFO"

// Label is the text view's word for the finding: its result's, except
// "INFO" for an informational failure.
func (f Finding) Label() string {
	if f.Informational && f.Result == ResultFail {
		return labelInformational
	}
	return f.Result.Label()
}

// WriteJSON writes the report as indented JSON.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // console paths use ">"
	if err := enc.Encode(r); err != nil {
		return locale.Wrap(locale.M("writing status as JSON: %v", err), err)
	}
	return nil
}

// WriteText writes the report as a table, one finding per line, with the
// details and fixes of what did not pass below it, worded by tr. Result
// labels, check IDs and control IDs stay as they are in every language:
// they are what scripts and Security Hub match on.
func WriteText(w io.Writer, tr locale.Printer, r Report) error { return WriteTextWidth(w, tr, r, 0) }

// WriteTextWidth is WriteText for a terminal width columns wide (0: no
// limit): where the table's rows would not fit, each finding becomes a
// block of its own, its title wrapped at words under it.
func WriteTextWidth(w io.Writer, tr locale.Printer, r Report, width int) error {
	var b strings.Builder
	who := tr.T("IAM identity")
	if r.Account.IsRoot {
		who = tr.T("root user")
	}
	b.WriteString(tr.T("Account %s (%s), checked %s as %s %s", r.Account.ID, r.Account.Partition,
		r.CheckedAt.Format(time.RFC3339), who, r.Account.CallerARN) + "\n")
	if r.Account.RootCredentialsRemoved {
		b.WriteString(tr.T("Root credentials: removed (AWS Organizations centralized root access); root checks do not apply") + "\n")
	}
	if r.CredentialReport != nil {
		b.WriteString(tr.T("Credential report: generated %s, %d user(s)",
			r.CredentialReport.GeneratedTime.Format(time.RFC3339), r.CredentialReport.Users) + "\n")
	}
	b.WriteString("\n")

	rows := [][]string{{tr.T("RESULT"), tr.T("CHECK"), tr.T("CONTROL"), tr.T("TITLE")}}
	for _, f := range r.Findings {
		rows = append(rows, []string{f.Label(), f.ID, f.controlText(), tr.Msg(f.Title)})
	}
	var table strings.Builder
	locale.WriteTable(&table, rows)
	if width > 0 && widest(table.String()) > width {
		table.Reset()
		writeBlocks(&table, tr, r.Findings, width)
	}
	b.WriteString(table.String())

	for _, f := range r.Findings {
		if f.Result == ResultPass {
			continue
		}
		fmt.Fprintf(&b, "\n%s %s: %s\n", f.Label(), f.ID, tr.Msg(f.Detail))
		fmt.Fprintf(&b, "  %s\n", tr.T("resource: %s", tr.Msg(f.Resource)))
		for i, o := range f.Offenders {
			if i == TextOffenderLimit {
				fmt.Fprintf(&b, "  %s\n", tr.T("... and %d more (see %s)", len(f.Offenders)-TextOffenderLimit, "--output json"))
				break
			}
			fmt.Fprintf(&b, "  - %s\n", tr.Msg(o))
		}
		if f.Fix != nil {
			if !f.Fix.Apply.IsZero() {
				fmt.Fprintf(&b, "  %s\n", tr.T("apply: %s", tr.Msg(f.Fix.Apply)))
			}
			if !f.Fix.Console.IsZero() {
				fmt.Fprintf(&b, "  %s\n", tr.T("console: %s", tr.Msg(f.Fix.Console)))
			}
		}
	}
	b.WriteString("\n" + summaryLine(tr, r.Findings) + "\n")
	// The table fits already; the lines around it wrap at words.
	_, err := io.WriteString(w, textwrap.Words(b.String(), width))
	return err
}

// summaryLine counts the findings as the table labels them, so that an INFO
// row is counted as informational and not among the failures.
func summaryLine(tr locale.Printer, findings []Finding) string {
	n := map[string]int{}
	for _, f := range findings {
		n[f.Label()]++
	}
	return tr.T("%d passed, %d failed, %d informational, %d manual, %d not applicable",
		n[ResultPass.Label()], n[ResultFail.Label()], n[labelInformational], n[ResultManual.Label()], n[ResultNotApplicable.Label()])
}

// widest is the display width of the widest line of s.
func widest(s string) int {
	n := 0
	for _, l := range strings.Split(s, "\n") {
		n = max(n, locale.Width(l))
	}
	return n
}

// writeBlocks writes the findings one block each: the result, the check and
// its controls on one line, the title under it wrapped at words.
func writeBlocks(b *strings.Builder, tr locale.Printer, findings []Finding, width int) {
	const indent = "    "
	for i, f := range findings {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "%s %s (%s)\n", f.Label(), f.ID, f.controlText())
		b.WriteString(textwrap.Hanging(indent, indent, tr.Msg(f.Title), width) + "\n")
	}
}

// controlText is the finding's controls for the text view, "-" for none.
func (f Finding) controlText() string {
	if len(f.Controls) == 0 {
		return "-"
	}
	return strings.Join(f.Controls, ",")
}
