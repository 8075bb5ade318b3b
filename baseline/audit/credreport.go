package audit

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// RootAccountRow is the user name the credential report gives the root user.
const RootAccountRow = "<root_account>"

// The sentinels the credential report writes where a field holds no value.
const (
	ValueNotApplicable = "N/A"            // no password, no such key, key never used
	ValueNoInformation = "no_information" // password never used, or before tracking began
	ValueNotSupported  = "not_supported"  // fields that do not exist for the root user
)

// Stamp is a credential report time field: either a time or one of the
// sentinels ValueNotApplicable, ValueNoInformation, ValueNotSupported.
type Stamp struct {
	Time time.Time
	// Missing holds the sentinel when the field has no time.
	Missing string
}

// Valid reports whether the field holds a time.
func (s Stamp) Valid() bool { return s.Missing == "" }

func (s Stamp) String() string {
	if !s.Valid() {
		return s.Missing
	}
	return s.Time.Format(time.RFC3339)
}

// Flag is a credential report boolean field. The root user's
// password_enabled is "not_supported".
type Flag string

// The values of a credential report's yes/no columns.
const (
	FlagTrue         Flag = "true"
	FlagFalse        Flag = "false"
	FlagNotSupported Flag = ValueNotSupported
)

// IsTrue reports whether the field is TRUE.
func (f Flag) IsTrue() bool { return f == FlagTrue }

// AccessKeyInfo is one of a user's two access key slots.
type AccessKeyInfo struct {
	Active      bool
	LastRotated Stamp
	LastUsed    Stamp
}

// CredentialUser is one row of the credential report.
type CredentialUser struct {
	User                string
	ARN                 string
	CreationTime        Stamp
	PasswordEnabled     Flag
	PasswordLastUsed    Stamp
	PasswordLastChanged Stamp
	MFAActive           bool
	AccessKeys          [2]AccessKeyInfo
}

// IsRoot reports whether the row is the root user's.
func (u CredentialUser) IsRoot() bool { return u.User == RootAccountRow }

// CredentialReport is a parsed credential report.
type CredentialReport struct {
	GeneratedTime time.Time
	// Root is the <root_account> row; nil when the report has none.
	Root *CredentialUser
	// Users are the IAM users, in report order.
	Users []CredentialUser
}

// The columns the checks read. AWS may add columns; the parser finds these
// by name and ignores the rest.
const (
	colUser                = "user"
	colARN                 = "arn"
	colCreationTime        = "user_creation_time"
	colPasswordEnabled     = "password_enabled"
	colPasswordLastUsed    = "password_last_used"
	colPasswordLastChanged = "password_last_changed"
	colMFAActive           = "mfa_active"
)

func keyColumn(slot int, field string) string {
	return fmt.Sprintf("access_key_%d_%s", slot+1, field)
}

var requiredColumns = []string{
	colUser, colARN, colCreationTime, colPasswordEnabled, colPasswordLastUsed,
	colPasswordLastChanged, colMFAActive,
	keyColumn(0, "active"), keyColumn(0, "last_rotated"), keyColumn(0, "last_used_date"),
	keyColumn(1, "active"), keyColumn(1, "last_rotated"), keyColumn(1, "last_used_date"),
}

// ParseCredentialReport parses the CSV content of GetCredentialReport (the
// SDK has already decoded the base64). Columns are found by their header
// name; values must be in the forms AWS documents: "true"/"false" (any
// case), ISO 8601 times, and the sentinels N/A, no_information and
// not_supported.
func ParseCredentialReport(content []byte) (CredentialReport, error) {
	var report CredentialReport
	r := csv.NewReader(bytes.NewReader(content))
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return report, locale.Wrap(locale.M("parsing credential report: the report is empty"), nil)
	}
	if err != nil {
		return report, locale.Wrap(locale.M("parsing credential report header: %v", err), err)
	}
	index := make(map[string]int, len(header))
	for i, name := range header {
		name = strings.TrimSpace(name)
		if _, dup := index[name]; dup {
			return report, locale.Wrap(locale.M("parsing credential report header: column %q appears twice", name), nil)
		}
		index[name] = i
	}
	for _, name := range requiredColumns {
		if _, ok := index[name]; !ok {
			return report, locale.Wrap(locale.M("parsing credential report header: column %q is missing", name), nil)
		}
	}
	for {
		record, err := r.Read()
		if errors.Is(err, io.EOF) {
			return report, nil
		}
		if err != nil {
			return report, locale.Wrap(locale.M("parsing credential report: %v", err), err)
		}
		line, _ := r.FieldPos(0)
		row := rowReader{record: record, index: index, line: line}
		user := row.user()
		if row.err != nil {
			return report, row.err
		}
		if user.IsRoot() {
			if report.Root != nil {
				return report, locale.Wrap(locale.M("parsing credential report line %v: a second %s row", locale.Digits(line), RootAccountRow), nil)
			}
			report.Root = &user
			continue
		}
		report.Users = append(report.Users, user)
	}
}

// rowReader reads the fields of one record, keeping the first error.
type rowReader struct {
	record []string
	index  map[string]int
	line   int
	err    error
}

func (r *rowReader) field(column string) string {
	return r.record[r.index[column]]
}

func (r *rowReader) fail(column, value, want string) {
	if r.err == nil {
		r.err = locale.Wrap(locale.M("parsing credential report line %v: column %s holds %q, want %s", locale.Digits(r.line), column, value, want), nil)
	}
}

func (r *rowReader) user() CredentialUser {
	u := CredentialUser{
		User:                r.field(colUser),
		ARN:                 r.field(colARN),
		CreationTime:        r.stamp(colCreationTime),
		PasswordEnabled:     r.flag(colPasswordEnabled, true),
		PasswordLastUsed:    r.stamp(colPasswordLastUsed),
		PasswordLastChanged: r.stamp(colPasswordLastChanged),
		MFAActive:           r.flag(colMFAActive, false).IsTrue(),
	}
	if u.User == "" {
		r.fail(colUser, "", "a user name")
	}
	for slot := range u.AccessKeys {
		u.AccessKeys[slot] = AccessKeyInfo{
			Active:      r.flag(keyColumn(slot, "active"), false).IsTrue(),
			LastRotated: r.stamp(keyColumn(slot, "last_rotated")),
			LastUsed:    r.stamp(keyColumn(slot, "last_used_date")),
		}
	}
	return u
}

func (r *rowReader) flag(column string, notSupportedAllowed bool) Flag {
	v := r.field(column)
	switch {
	case strings.EqualFold(v, "true"):
		return FlagTrue
	case strings.EqualFold(v, "false"):
		return FlagFalse
	case notSupportedAllowed && v == ValueNotSupported:
		return FlagNotSupported
	}
	r.fail(column, v, "true or false")
	return FlagFalse
}

func (r *rowReader) stamp(column string) Stamp {
	v := r.field(column)
	switch v {
	case ValueNotApplicable, ValueNoInformation, ValueNotSupported:
		return Stamp{Missing: v}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		r.fail(column, v, "an ISO 8601 time, N/A, no_information or not_supported")
		return Stamp{Missing: ValueNotApplicable}
	}
	return Stamp{Time: t}
}
