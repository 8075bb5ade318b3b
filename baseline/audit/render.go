package audit

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
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
		return fmt.Errorf("writing status as JSON: %w", err)
	}
	return nil
}

// WriteText writes the report as a table, one finding per line, with the
// details and fixes of what did not pass below it.
func WriteText(w io.Writer, r Report) error {
	var b strings.Builder
	who := "IAM identity"
	if r.Account.IsRoot {
		who = "root user"
	}
	fmt.Fprintf(&b, "Account %s (%s), checked %s as %s %s\n", r.Account.ID, r.Account.Partition,
		r.CheckedAt.Format(time.RFC3339), who, r.Account.CallerARN)
	if r.Account.RootCredentialsRemoved {
		b.WriteString("Root credentials: removed (AWS Organizations centralized root access); root checks do not apply\n")
	}
	if r.CredentialReport != nil {
		fmt.Fprintf(&b, "Credential report: generated %s, %d user(s)\n",
			r.CredentialReport.GeneratedTime.Format(time.RFC3339), r.CredentialReport.Users)
	}
	b.WriteString("\n")

	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	_, _ = fmt.Fprintln(tw, "RESULT\tCHECK\tCONTROL\tTITLE") // tw writes to a strings.Builder: no error
	for _, f := range r.Findings {
		control := strings.Join(f.Controls, ",")
		if control == "" {
			control = "-"
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Label(), f.ID, control, f.Title) // into a strings.Builder
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	for _, f := range r.Findings {
		if f.Result == ResultPass {
			continue
		}
		fmt.Fprintf(&b, "\n%s %s: %s\n", f.Label(), f.ID, f.Detail)
		fmt.Fprintf(&b, "  resource: %s\n", f.Resource)
		for i, o := range f.Offenders {
			if i == TextOffenderLimit {
				fmt.Fprintf(&b, "  ... and %d more (see --output json)\n", len(f.Offenders)-TextOffenderLimit)
				break
			}
			fmt.Fprintf(&b, "  - %s\n", o)
		}
		if f.Fix != nil {
			if f.Fix.Apply != "" {
				fmt.Fprintf(&b, "  apply: %s\n", f.Fix.Apply)
			}
			if f.Fix.Console != "" {
				fmt.Fprintf(&b, "  console: %s\n", f.Fix.Console)
			}
		}
	}
	b.WriteString("\n" + summaryLine(r.Findings) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// summaryLine counts the findings as the table labels them, so that an INFO
// row is counted as informational and not among the failures.
func summaryLine(findings []Finding) string {
	n := map[string]int{}
	for _, f := range findings {
		n[f.Label()]++
	}
	return fmt.Sprintf("%d passed, %d failed, %d informational, %d manual, %d not applicable",
		n[ResultPass.Label()], n[ResultFail.Label()], n[labelInformational], n[ResultManual.Label()], n[ResultNotApplicable.Label()])
}
