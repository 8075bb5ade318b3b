package org

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// RootPlanFormatVersion versions the JSON of apply --organization.
const RootPlanFormatVersion = 1

type jsonRootAccount struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Status       string   `json:"status"`
	AccessKeys   []string `json:"root_access_keys"`
	Certificates []string `json:"root_signing_certificates,omitempty"`
	Unknown      bool     `json:"unknown,omitempty"`
	Error        string   `json:"error,omitempty"`
}

type jsonRoot struct {
	FormatVersion int               `json:"format_version"`
	Stage         string            `json:"stage"` // "plan" or "applied"
	Enable        RootAccess        `json:"enable"`
	Accounts      []jsonRootAccount `json:"accounts"`
}

// WriteRootJSON writes the plan (stage "plan") or what was done
// ("applied"): what centralized root access needed, and per account the
// root credentials to delete or deleted, or the error.
func WriteRootJSON(w io.Writer, stage string, enable RootAccess, accounts []RootCredentials) error {
	out := jsonRoot{FormatVersion: RootPlanFormatVersion, Stage: stage, Enable: enable, Accounts: make([]jsonRootAccount, 0, len(accounts))}
	for _, a := range accounts {
		j := jsonRootAccount{ID: a.Member.ID, Name: a.Member.Name, Status: a.Member.Status,
			AccessKeys: append([]string{}, a.AccessKeys...), Certificates: a.Certificates, Unknown: a.Unknown}
		if a.Err != nil {
			j.Error = a.Err.Error()
		}
		out.Accounts = append(out.Accounts, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return locale.Wrap(locale.M("writing the organization's root credentials as JSON: %v", err), err)
	}
	return nil
}

// WriteRootText writes the plan or the outcome as lines a person reads, in
// tr's language: what centralized root access needs, then one line per
// account with something to do or an error; accounts with nothing to do
// are counted.
func WriteRootText(w io.Writer, tr locale.Printer, applied bool, enable RootAccess, accounts []RootCredentials) error {
	var b strings.Builder
	for _, line := range enableLines(tr, applied, enable) {
		fmt.Fprintf(&b, "+ %s\n", line)
	}
	var rows [][]string
	clean, failed := 0, 0
	for _, a := range accounts {
		switch {
		case a.Err != nil:
			failed++
			rows = append(rows, []string{"! " + a.Member.ID, a.Member.Name, tr.T("error: %v", a.Err)})
		case a.Unknown && applied:
			rows = append(rows, []string{"~ " + a.Member.ID, a.Member.Name, tr.T("root credentials are read once centralized root access is on; any root access key has been deleted")})
		case a.Unknown:
			rows = append(rows, []string{"~ " + a.Member.ID, a.Member.Name, tr.T("root credentials are read once centralized root access is on; any root access key will be deleted")})
		case len(a.AccessKeys)+len(a.Certificates) > 0:
			rows = append(rows, []string{"- " + a.Member.ID, a.Member.Name, deletionWords(tr, applied, a)})
		default:
			clean++
		}
	}
	locale.WriteTable(&b, rows)
	fmt.Fprintf(&b, "%s\n", tr.T("%d accounts: %d with nothing to delete, %d failed", len(accounts), clean, failed))
	_, err := io.WriteString(w, b.String())
	return err
}

// enableLines are what centralized root access needs, as planned or done.
func enableLines(tr locale.Printer, applied bool, enable RootAccess) []string {
	var out []string
	if enable.TrustIAM {
		out = append(out, map[bool]string{
			false: tr.T("organization: will trust IAM in the organization (organizations EnableAWSServiceAccess iam.amazonaws.com)"),
			true:  tr.T("organization: did trust IAM in the organization (organizations EnableAWSServiceAccess iam.amazonaws.com)"),
		}[applied])
	}
	if enable.RootCredentialsManagement {
		out = append(out, map[bool]string{
			false: tr.T("organization: will enable centralized root credentials management"),
			true:  tr.T("organization: did enable centralized root credentials management"),
		}[applied])
	}
	if enable.RootSessions {
		out = append(out, map[bool]string{
			false: tr.T("organization: will enable root sessions (sts:AssumeRoot)"),
			true:  tr.T("organization: did enable root sessions (sts:AssumeRoot)"),
		}[applied])
	}
	return out
}

// deletionWords says which root credentials of the account are to be, or
// were, deleted.
func deletionWords(tr locale.Printer, applied bool, a RootCredentials) string {
	var what []string
	if len(a.AccessKeys) > 0 {
		what = append(what, tr.T("root access keys %s", strings.Join(a.AccessKeys, ", ")))
	}
	if len(a.Certificates) > 0 {
		what = append(what, tr.T("root signing certificates %s", strings.Join(a.Certificates, ", ")))
	}
	if applied {
		return tr.T("did delete %s", strings.Join(what, "; "))
	}
	return tr.T("will delete %s", strings.Join(what, "; "))
}
