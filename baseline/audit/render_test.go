package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// TextTable reads the RESULT/CHECK table of the text view back into
// check ID -> result label.
func textTable(t *testing.T, text string) map[string]string {
	t.Helper()
	rows := map[string]string{}
	lines := strings.Split(text, "\n")
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "RESULT") {
			start = i + 1
			break
		}
	}
	if start < 0 {
		t.Fatalf("no table in:\n%s", text)
	}
	for _, l := range lines[start:] {
		if l == "" {
			break
		}
		fields := strings.Fields(l)
		rows[fields[1]] = fields[0]
	}
	return rows
}

func TestJSONAndTextShowTheSameReport(t *testing.T) {
	s := goodSnapshot()
	s.Root.AccessKeysPresent = true
	s.Root.VirtualMFA = true
	s.Account.Partition = partitionGovCloud
	s.PasswordPolicy.MinimumLength = 8
	s.Baseline.MFADevices = 0
	for i := 0; i < 15; i++ {
		s.Users = append(s.Users, UserGrants{Name: fmt.Sprintf("user%02d", i), InlinePolicies: []string{"p"}})
	}
	r := Evaluate(s)

	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var back Report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("JSON does not parse: %v\n%s", err, js.String())
	}
	// Messages come back as the English they were written as: the
	// report read back writes the same JSON.
	var again bytes.Buffer
	if err := WriteJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if again.String() != js.String() {
		t.Fatalf("JSON round trip differs:\n%s\n%s", again.String(), js.String())
	}
	var raw map[string]any
	_ = json.Unmarshal(js.Bytes(), &raw)
	if raw["format_version"] != float64(ReportFormatVersion) {
		t.Errorf("format_version = %v", raw["format_version"])
	}

	var txt bytes.Buffer
	if err := WriteText(&txt, locale.English, r); err != nil {
		t.Fatal(err)
	}
	text := txt.String()
	table := textTable(t, text)
	if len(table) != len(back.Findings) {
		t.Errorf("text lists %d checks, JSON %d", len(table), len(back.Findings))
	}
	for _, f := range back.Findings {
		want := f.Label()
		if table[f.ID] != want {
			t.Errorf("%s: text says %q, JSON says %q", f.ID, table[f.ID], f.Result)
		}
		if f.Result != ResultPass && !strings.Contains(text, f.Label()+" "+f.ID+": "+f.Detail.String()) {
			t.Errorf("text lacks the detail of %s: %q", f.ID, f.Detail)
		}
		if f.Fix != nil && !f.Fix.Apply.IsZero() && !strings.Contains(text, "apply: "+f.Fix.Apply.String()) {
			t.Errorf("text lacks the fix of %s", f.ID)
		}
		if f.Fix != nil && !f.Fix.Console.IsZero() && !strings.Contains(text, "console: "+f.Fix.Console.String()) {
			t.Errorf("text lacks the console path of %s", f.ID)
		}
	}
	groups := findingOf(t, back, CheckGroupPermissions)
	if len(groups.Offenders) != 15 {
		t.Fatalf("JSON lists %d offenders, want 15", len(groups.Offenders))
	}
	for i, o := range groups.Offenders {
		if listed := strings.Contains(text, "  - "+o.String()+"\n"); listed != (i < TextOffenderLimit) {
			t.Errorf("offender %d %q listed in text: %v", i, o, listed)
		}
	}
	if !strings.Contains(text, "... and 5 more") {
		t.Error("text does not say how many offenders it left out")
	}
	assertSummaryCountsRows(t, text, table)
}

// An informational failure shows as INFO in the table and is counted as
// informational, not among the failures.
func TestSummaryCountsAsTheTableShows(t *testing.T) {
	s := goodSnapshot()
	s.Root.MFAEnabled, s.Root.VirtualMFA = true, true // INFO: not hardware
	s.PasswordPolicy.MinimumLength = 8                // FAIL
	var txt bytes.Buffer
	if err := WriteText(&txt, locale.English, Evaluate(s)); err != nil {
		t.Fatal(err)
	}
	table := textTable(t, txt.String())
	rows := assertSummaryCountsRows(t, txt.String(), table)
	if rows["INFO"] == 0 || rows["FAIL"] == 0 {
		t.Fatalf("the fixture needs FAIL and INFO rows to tell the counts apart: %v\n%s", rows, txt.String())
	}
}

// assertSummaryCountsRows checks the summary line against the table's rows
// and returns the rows counted by label.
func assertSummaryCountsRows(t *testing.T, text string, table map[string]string) map[string]int {
	t.Helper()
	rows := map[string]int{}
	for _, label := range table {
		rows[label]++
	}
	want := fmt.Sprintf("%d passed, %d failed, %d informational, %d manual, %d not applicable",
		rows["PASS"], rows["FAIL"], rows["INFO"], rows["MANUAL"], rows["N/A"])
	if !strings.Contains(text, "\n"+want+"\n") {
		t.Errorf("summary line %q missing: %v\n%s", want, rows, text)
	}
	return rows
}

// In a terminal too narrow for the table, each finding is a block of its
// own: no line is wider than the terminal unless it is a single word, and
// every finding is still there with its result.
func TestNarrowTerminalGetsOneFindingABlock(t *testing.T) {
	s := goodSnapshot()
	s.PasswordPolicy.MinimumLength = 8
	r := Evaluate(s)
	var wide, plain bytes.Buffer
	if err := WriteTextWidth(&wide, locale.English, r, 400); err != nil {
		t.Fatal(err)
	}
	if err := WriteText(&plain, locale.English, r); err != nil {
		t.Fatal(err)
	}
	if wide.String() != plain.String() {
		t.Error("a terminal wide enough does not get the table")
	}
	const width = 50
	var narrow bytes.Buffer
	if err := WriteTextWidth(&narrow, locale.English, r, width); err != nil {
		t.Fatal(err)
	}
	text := narrow.String()
	// The findings run from after the header to the first detail.
	table := text[strings.Index(text, "\n\n")+2:]
	for _, f := range r.Findings {
		if f.Result != ResultPass {
			table = table[:strings.Index(table, "\n"+f.Label()+" "+f.ID+": ")]
			break
		}
	}
	if strings.Contains(table, "RESULT") {
		t.Fatalf("still a table at %d columns:\n%s", width, text)
	}
	for _, l := range strings.Split(table, "\n") {
		if len([]rune(l)) > width && len(strings.Fields(l)) > 1 {
			t.Errorf("line of %d runes at width %d: %q", len([]rune(l)), width, l)
		}
	}
	for _, f := range r.Findings {
		if !strings.Contains(table, f.Label()+" "+f.ID+" (") {
			t.Errorf("no block for %s", f.ID)
		}
		if !strings.Contains(strings.Join(strings.Fields(table), " "), f.Title.String()) {
			t.Errorf("the title of %s is not kept whole", f.ID)
		}
	}
}

// TestTextWrapsEveryLineAtWords: at 40, 80 and 120 columns every line of
// status, the details and fixes under the table included, fits unless it is
// one unbreakable word, and no word is lost or split.
func TestTextWrapsEveryLineAtWords(t *testing.T) {
	s := goodSnapshot()
	s.PasswordPolicy.MinimumLength = 8
	r := Evaluate(s)
	var plain bytes.Buffer
	if err := WriteText(&plain, locale.English, r); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{40, 80, 120} {
		var b bytes.Buffer
		if err := WriteTextWidth(&b, locale.English, r, width); err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(b.String(), "\n") {
			if textwrap.Width(l) > width && len(strings.Fields(l)) > 1 {
				t.Errorf("width %d: line of %d cells: %q", width, textwrap.Width(l), l)
			}
		}
		for _, word := range strings.Fields(plain.String()) {
			if word != "RESULT" && word != "CHECK" && word != "CONTROL" && word != "TITLE" &&
				!strings.Contains(b.String(), word) {
				t.Errorf("width %d: %q is lost or split", width, word)
			}
		}
	}
}
