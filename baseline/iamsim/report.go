package iamsim

import (
	"bytes"
	"encoding/csv"
	"sort"
	"strconv"
	"time"
)

// reportLifetime is how long a credential report is served before
// GenerateCredentialReport builds a new one and GetCredentialReport answers
// ReportExpired.
const reportLifetime = 4 * time.Hour

type credentialReport struct {
	started time.Time
	content []byte
}

// complete is a matter of time alone, as on AWS: a client that only polls
// GetCredentialReport gets the report once the build delay has passed.
func (r *credentialReport) complete(now time.Time, delay time.Duration) bool {
	return !now.Before(r.started.Add(delay))
}

func (c *call) generateCredentialReport() error {
	r := c.acct.report
	switch {
	case r == nil || (r.complete(c.now, c.reportDelay()) && c.now.Sub(r.started) >= reportLifetime):
		c.acct.report = &credentialReport{started: c.now, content: c.credentialReportCSV()}
		c.out.text("Description", "No report exists. Starting a new report generation task")
		c.out.text("State", "STARTED")
	default:
		if r.complete(c.now, c.reportDelay()) {
			c.out.text("State", "COMPLETE")
		} else {
			c.out.text("Description", "Report generation is in progress")
			c.out.text("State", "INPROGRESS")
		}
	}
	return nil
}

func (c *call) getCredentialReport() error {
	r := c.acct.report
	switch {
	case r == nil:
		return errf("ReportNotPresent", "Credential report not present. Call GenerateCredentialReport first.")
	case !r.complete(c.now, c.reportDelay()):
		return errf("ReportInProgress", "Credential report is being generated. Try again later.")
	case c.now.Sub(r.started) >= reportLifetime:
		return errf("ReportExpired", "The credential report is expired. Use GenerateCredentialReport to generate a new one.")
	}
	c.out.blob("Content", r.content)
	c.out.time("GeneratedTime", r.started)
	c.out.text("ReportFormat", "text/csv")
	return nil
}

var reportHeader = []string{
	"user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed",
	"password_next_rotation", "mfa_active",
	"access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date", "access_key_1_last_used_region", "access_key_1_last_used_service",
	"access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date", "access_key_2_last_used_region", "access_key_2_last_used_service",
	"cert_1_active", "cert_1_last_rotated", "cert_2_active", "cert_2_last_rotated",
}

func reportTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05+00:00") }

func keyColumns(keys []*accessKey) []string {
	var cols []string
	for i := range 2 {
		if i >= len(keys) {
			cols = append(cols, "false", "N/A", "N/A", "N/A", "N/A")
			continue
		}
		k := keys[i]
		used, region, service := "N/A", "N/A", "N/A"
		if !k.lastUsed.IsZero() {
			used, region, service = reportTime(k.lastUsed), "us-east-1", "iam"
		}
		// AWS: last_rotated is N/A when the key is not active.
		rotated := "N/A"
		if k.active {
			rotated = reportTime(k.created)
		}
		cols = append(cols, strconv.FormatBool(k.active), rotated, used, region, service)
	}
	return cols
}

// credentialReportCSV is the report in AWS's column order, root first.
func (c *call) credentialReportCSV() []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(reportHeader)
	a := c.acct
	root := []string{"<root_account>", a.rootARN(), reportTime(a.created), "not_supported", "no_information", "not_supported", "not_supported", strconv.FormatBool(a.rootMFA)}
	root = append(root, keyColumns(a.rootKeys)...)
	root = append(root, a.ext.rootCertColumns()...)
	_ = w.Write(root)
	users := make([]*user, 0, len(a.users))
	for _, u := range a.users {
		users = append(users, u)
	}
	sort.Slice(users, func(i, j int) bool { return key(users[i].name) < key(users[j].name) })
	for _, u := range users {
		pwEnabled, pwUsed, pwChanged, pwNext := "false", "N/A", "N/A", "N/A"
		if u.login != nil {
			pwEnabled, pwUsed, pwChanged = "true", "no_information", reportTime(u.login.changed)
			if next, ok := a.passwordExpiry(u.login); ok {
				pwNext = reportTime(next)
			}
		}
		row := []string{u.name, a.userARN(u), reportTime(u.created), pwEnabled, pwUsed, pwChanged, pwNext, strconv.FormatBool(len(u.mfa) > 0)}
		row = append(row, keyColumns(u.keys)...)
		row = append(row, "false", "N/A", "false", "N/A")
		_ = w.Write(row)
	}
	w.Flush()
	return buf.Bytes()
}

// SetCredentialReportDelay sets how long a credential report takes to build
// (on the simulator's clock).
func (s *Sim) SetCredentialReportDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reportDelay = d
}

// SeedUsers creates n users named prefix0001, prefix0002, ... directly (no
// requests, no log entries, visible at once), for audits of large accounts.
func (s *Sim) SeedUsers(accountID, prefix string, n int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		return errUnknownAccount(accountID)
	}
	if len(a.users)+n > usersQuota {
		return quotaExceeded("UsersPerAccount", usersQuota)
	}
	now := s.now()
	for i := 1; i <= n; i++ {
		name := prefix + pad4(i)
		if err := checkModelValue("iam:CreateUser", "UserName", name); err != nil {
			return err
		}
		if _, dup := a.users[key(name)]; dup {
			return errf("EntityAlreadyExists", "User with name %s already exists.", name)
		}
		a.newUser(name, "/", now, now)
	}
	return nil
}

func pad4(i int) string {
	s := strconv.Itoa(i)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}
