package org

import (
	"cmp"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Failing reports whether the account fails a check or could not be
// audited: an account that was not audited cannot be shown to pass.
func (a AccountStatus) Failing() bool { return a.Err != nil || a.Report.Failed() }

// failingIDs are the IDs of the account's failing checks.
func (a AccountStatus) failingIDs() []string {
	if a.Report == nil {
		return nil
	}
	var ids []string
	for _, f := range a.Report.Findings {
		if f.Fails() {
			ids = append(ids, f.ID)
		}
	}
	return ids
}

// AnyFailing reports whether any account fails a check or was not audited.
func AnyFailing(results []AccountStatus) bool {
	return slices.ContainsFunc(results, AccountStatus.Failing)
}

// jsonAccount is one entry of the JSON view's accounts array: findings
// shaped as single-account status's, or the error that kept the account
// from being audited.
type jsonAccount struct {
	ID       string          `json:"id"`
	Name     string          `json:"name"`
	Status   string          `json:"status"`
	Findings []audit.Finding `json:"findings,omitempty"`
	Summary  *audit.Summary  `json:"summary,omitempty"`
	Error    string          `json:"error,omitempty"`
}

type jsonReport struct {
	FormatVersion int           `json:"format_version"`
	Accounts      []jsonAccount `json:"accounts"`
	Summary       jsonSummary   `json:"summary"`
}

type jsonSummary struct {
	Accounts int `json:"accounts"`
	Failing  int `json:"failing"`
	Errors   int `json:"errors"`
	Passing  int `json:"passing"`
}

func summarize(results []AccountStatus) jsonSummary {
	s := jsonSummary{Accounts: len(results)}
	for _, r := range results {
		switch {
		case r.Err != nil:
			s.Errors++
		case r.Report.Failed():
			s.Failing++
		default:
			s.Passing++
		}
	}
	return s
}

// WriteJSON writes every account's result, in account-ID order.
func WriteJSON(w io.Writer, results []AccountStatus) error {
	out := jsonReport{FormatVersion: audit.ReportFormatVersion, Accounts: make([]jsonAccount, 0, len(results)), Summary: summarize(results)}
	for _, r := range results {
		a := jsonAccount{ID: r.Member.ID, Name: r.Member.Name, Status: r.Member.Status}
		if r.Err != nil {
			a.Error = r.Err.Error()
		} else {
			a.Findings, a.Summary = r.Report.Findings, &r.Report.Summary
		}
		out.Accounts = append(out.Accounts, a)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return locale.Wrap(locale.M("writing the organization's status as JSON: %v", err), err)
	}
	return nil
}

// WriteCSV writes one row per account and finding (one row with the error
// for an account that was not audited), for spreadsheets. Like JSON, it is
// machine output: English whatever the language.
func WriteCSV(w io.Writer, results []AccountStatus) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"account_id", "account_name", "check_id", "result", "resource", "detail", "error"}}
	for _, r := range results {
		if r.Err != nil {
			rows = append(rows, []string{r.Member.ID, r.Member.Name, "", "error", "", "", r.Err.Error()})
			continue
		}
		for _, f := range r.Report.Findings {
			result := string(f.Result)
			if f.Informational && f.Result == audit.ResultFail {
				result = "info"
			}
			rows = append(rows, []string{r.Member.ID, r.Member.Name, f.ID, result, f.Resource.String(), f.Detail.String(), ""})
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return locale.Wrap(locale.M("writing the organization's status as CSV: %v", err), err)
	}
	return nil
}

// notAudited says why an account was not audited.
func notAudited(tr locale.Printer, err error) string {
	var ae *AccountError
	switch {
	case errors.Is(err, ErrSuspended):
		return tr.T("not audited: the account is suspended or closing, and AWS does not let anyone enter it")
	case errors.Is(err, context.Canceled):
		return tr.T("not audited: the run was interrupted")
	case errors.As(err, &ae) && ae.Entering:
		return tr.T("not audited: the account cannot be entered: %v", tr.Err(ae.Err))
	case errors.As(err, &ae):
		return tr.T("not audited: reading the account failed: %v", tr.Err(ae.Err))
	}
	return tr.T("not audited: %v", tr.Err(err))
}

// worstFirst orders accounts by how many checks fail, most first, then the
// ones that could not be audited, then the passing ones; by ID within each.
func worstFirst(results []AccountStatus) []AccountStatus {
	rank := func(a AccountStatus) int {
		switch {
		case a.Err != nil:
			return 0
		case a.Report.Failed():
			return a.Report.Summary.Failing
		default:
			return -1
		}
	}
	sorted := slices.Clone(results)
	slices.SortStableFunc(sorted, func(a, b AccountStatus) int {
		return cmp.Or(cmp.Compare(rank(b), rank(a)), cmp.Compare(a.Member.ID, b.Member.ID))
	})
	return sorted
}

// WriteText writes the summary table in tr's language: one line per
// account, worst first, with its failing checks or why it was not audited,
// aligned by display width (account names and Korean words take two cells a
// character).
func WriteText(w io.Writer, tr locale.Printer, results []AccountStatus) error {
	rows := [][]string{{tr.T("ACCOUNT"), tr.T("NAME"), tr.T("FAILING"), tr.T("CHECKS")}}
	for _, r := range worstFirst(results) {
		switch {
		case r.Err != nil:
			rows = append(rows, []string{r.Member.ID, r.Member.Name, "-", notAudited(tr, r.Err)})
		default:
			rows = append(rows, []string{r.Member.ID, r.Member.Name, strconv.Itoa(r.Report.Summary.Failing), strings.Join(r.failingIDs(), ", ")})
		}
	}
	var b strings.Builder
	locale.WriteTable(&b, rows)
	s := summarize(results)
	fmt.Fprintf(&b, "\n%s\n", tr.T("%d accounts: %d failing a check, %d not audited, %d passing", s.Accounts, s.Failing, s.Errors, s.Passing))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return locale.Wrap(locale.M("writing the organization's status: %v", err), err)
	}
	return nil
}
