// Package audit answers "how far is this account from the IAM first-day
// baseline?" without changing it. It reads a Snapshot of the account with a
// fixed number of requests (per-user facts come from the credential report,
// never from per-user calls), evaluates pure checks over it, and returns a
// Report that the text and JSON views both render.
package audit

import (
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// ReportFormatVersion is the version of the JSON status format. Bump it when a
// field changes meaning or is removed; adding a field does not bump it.
const ReportFormatVersion = 1

// Result is the outcome of one check.
type Result string

// The results a check can have.
const (
	ResultPass Result = "pass"
	ResultFail Result = "fail"
	// ResultManual means the tool cannot decide: a person has to look (the
	// data was not readable, or only the console shows it).
	ResultManual Result = "manual"
	// ResultNotApplicable means the check does not apply to this account,
	// for example root checks where AWS Organizations removed the root
	// user's credentials.
	ResultNotApplicable Result = "not_applicable"
)

// Finding is the result of one check.
type Finding struct {
	// ID is stable: scripts may match on it.
	ID    string     `json:"id"`
	Title locale.Msg `json:"title"`
	// Controls are the AWS Security Hub control IDs this check follows
	// (for example "IAM.4"); empty where Security Hub has none.
	Controls []string `json:"controls,omitempty"`
	// SecurityStatus is the item number (1-5) of the old IAM console's
	// Security Status checklist this check answers; 0 for none.
	SecurityStatus int `json:"security_status,omitempty"`
	// Baseline is true for the checks of what `apply` sets up.
	Baseline bool   `json:"baseline,omitempty"`
	Result   Result `json:"result"`
	// Informational findings never make the audit fail (Security Hub marks
	// IAM.6 this way for accounts that cannot use hardware MFA).
	Informational bool `json:"informational,omitempty"`
	// Resource names what was checked: "root user", a user or group name,
	// "account password policy".
	Resource locale.Msg `json:"resource"`
	// Detail says why the check has this result.
	Detail locale.Msg `json:"detail"`
	// Offenders lists the resources that failed a per-user check, each
	// with its reason, in user-name order.
	Offenders []locale.Msg `json:"offenders,omitempty"`
	// Fix says how to get to pass; nil when the check passes or does not
	// apply.
	Fix *Fix `json:"fix,omitempty"`
}

// Fix tells how to resolve a finding: what `iam-baseline apply` does about
// it, or where in the console a person does it.
type Fix struct {
	// Apply is what `iam-baseline apply` changes to fix this; empty when
	// apply does not fix it.
	Apply locale.Msg `json:"apply,omitzero"`
	// Console is the console path for a person; empty when apply fixes it.
	Console locale.Msg `json:"console,omitzero"`
}

// Fails reports whether this finding makes the audit fail.
func (f Finding) Fails() bool { return f.Result == ResultFail && !f.Informational }

// Account identifies the audited account and the caller.
type Account struct {
	ID        string `json:"id"`
	Partition string `json:"partition"`
	CallerARN string `json:"caller_arn"`
	IsRoot    bool   `json:"is_root"`
	// RootCredentialsRemoved is true when the root user has no password,
	// access key, MFA device or signing certificate: AWS Organizations'
	// centralized root access removed them.
	RootCredentialsRemoved bool `json:"root_credentials_removed"`
}

// CredentialReportInfo says which credential report the per-user checks read.
type CredentialReportInfo struct {
	GeneratedTime time.Time `json:"generated_time"`
	Users         int       `json:"users"`
}

// Summary counts the findings by result.
type Summary struct {
	Pass          int `json:"pass"`
	Fail          int `json:"fail"`
	Manual        int `json:"manual"`
	NotApplicable int `json:"not_applicable"`
	// Failing counts the failures that make the audit fail (Fail minus the
	// informational ones).
	Failing int `json:"failing"`
}

// Report is the whole audit. The text and JSON views render this struct.
type Report struct {
	FormatVersion    int                   `json:"format_version"`
	CheckedAt        time.Time             `json:"checked_at"`
	Account          Account               `json:"account"`
	CredentialReport *CredentialReportInfo `json:"credential_report,omitempty"`
	Findings         []Finding             `json:"findings"`
	Summary          Summary               `json:"summary"`
}

// Failed reports whether any finding fails the audit.
func (r Report) Failed() bool { return r.Summary.Failing > 0 }

func summarize(findings []Finding) Summary {
	var s Summary
	for _, f := range findings {
		switch f.Result {
		case ResultPass:
			s.Pass++
		case ResultFail:
			s.Fail++
			if f.Fails() {
				s.Failing++
			}
		case ResultManual:
			s.Manual++
		case ResultNotApplicable:
			s.NotApplicable++
		}
	}
	return s
}
