package org

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
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
		return fmt.Errorf("writing the organization's root credentials as JSON: %w", err)
	}
	return nil
}

// WriteRootText writes the plan or the outcome as lines a person reads:
// what centralized root access needs, then one line per account with
// something to do or an error; accounts with nothing to do are counted.
func WriteRootText(w io.Writer, applied bool, enable RootAccess, accounts []RootCredentials) error {
	var b strings.Builder
	verb := map[bool]string{false: "will", true: "did"}[applied]
	for _, e := range []struct {
		on   bool
		what string
	}{{enable.TrustIAM, "trust IAM in the organization (organizations EnableAWSServiceAccess iam.amazonaws.com)"},
		{enable.RootCredentialsManagement, "enable centralized root credentials management"},
		{enable.RootSessions, "enable root sessions (sts:AssumeRoot)"}} {
		if e.on {
			fmt.Fprintf(&b, "+ organization: %s %s\n", verb, e.what)
		}
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	clean, failed := 0, 0
	for _, a := range accounts {
		switch {
		case a.Err != nil:
			failed++
			_, _ = fmt.Fprintf(tw, "! %s\t%s\terror: %s\n", a.Member.ID, a.Member.Name, a.Err)
		case a.Unknown:
			_, _ = fmt.Fprintf(tw, "~ %s\t%s\troot credentials are read once centralized root access is on; any root access key %s be deleted\n", a.Member.ID, a.Member.Name, verb)
		case len(a.AccessKeys)+len(a.Certificates) > 0:
			what := []string{}
			if len(a.AccessKeys) > 0 {
				what = append(what, "root access keys "+strings.Join(a.AccessKeys, ", "))
			}
			if len(a.Certificates) > 0 {
				what = append(what, "root signing certificates "+strings.Join(a.Certificates, ", "))
			}
			_, _ = fmt.Fprintf(tw, "- %s\t%s\t%s delete %s\n", a.Member.ID, a.Member.Name, verb, strings.Join(what, "; "))
		default:
			clean++
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&b, "%d accounts: %d with nothing to delete, %d failed\n", len(accounts), clean, failed)
	_, err := io.WriteString(w, b.String())
	return err
}
