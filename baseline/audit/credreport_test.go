package audit

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"
)

// awsHeader is the header AWS writes today, columns in AWS's order.
const awsHeader = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed," +
	"password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date," +
	"access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated," +
	"access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active," +
	"cert_1_last_rotated,cert_2_active,cert_2_last_rotated"

// A report in the form AWS writes it: the root row with its not_supported
// fields, a user with a used key, a user whose password was never used.
const awsSample = awsHeader + "\n" +
	"<root_account>,arn:aws:iam::123456789012:root,2017-06-10T02:35:07+00:00,not_supported,2017-10-22T08:11:09+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
	"alice,arn:aws:iam::123456789012:user/alice,2024-01-01T00:00:00+00:00,true,2026-07-30T00:00:00+00:00,2024-01-01T00:00:00+00:00,N/A,true,true,2026-07-01T00:00:00+00:00,2026-07-29T00:00:00+00:00,us-east-1,ec2,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n" +
	"bob,arn:aws:iam::123456789012:user/bob,2025-02-03T04:05:06+00:00,TRUE,no_information,2025-02-03T04:05:06+00:00,N/A,FALSE,TRUE,2025-02-03T04:05:06+00:00,N/A,N/A,N/A,TRUE,2025-03-01T00:00:00Z,N/A,N/A,N/A,false,N/A,false,N/A\n"

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestParseCredentialReportAWSSample(t *testing.T) {
	got, err := ParseCredentialReport([]byte(awsSample))
	if err != nil {
		t.Fatal(err)
	}
	if got.Root == nil {
		t.Fatal("root row not found")
	}
	root := *got.Root
	if root.PasswordEnabled != FlagNotSupported || root.PasswordLastChanged.Missing != ValueNotSupported {
		t.Errorf("root password fields = %q, %v; want not_supported", root.PasswordEnabled, root.PasswordLastChanged)
	}
	if !root.MFAActive || root.AccessKeys[0].Active || root.AccessKeys[1].Active {
		t.Errorf("root mfa/keys = %v %v %v", root.MFAActive, root.AccessKeys[0].Active, root.AccessKeys[1].Active)
	}
	if !root.PasswordLastUsed.Time.Equal(mustTime(t, "2017-10-22T08:11:09Z")) {
		t.Errorf("root password last used = %v", root.PasswordLastUsed)
	}
	if len(got.Users) != 2 {
		t.Fatalf("users = %d, want 2", len(got.Users))
	}
	alice, bob := got.Users[0], got.Users[1]
	if alice.User != "alice" || alice.ARN != "arn:aws:iam::123456789012:user/alice" {
		t.Errorf("alice = %q %q", alice.User, alice.ARN)
	}
	if !alice.PasswordEnabled.IsTrue() || !alice.MFAActive || !alice.AccessKeys[0].Active || alice.AccessKeys[1].Active {
		t.Errorf("alice flags wrong: %+v", alice)
	}
	if !alice.AccessKeys[0].LastUsed.Time.Equal(mustTime(t, "2026-07-29T00:00:00Z")) {
		t.Errorf("alice key 1 last used = %v", alice.AccessKeys[0].LastUsed)
	}
	if alice.AccessKeys[1].LastRotated.Missing != ValueNotApplicable {
		t.Errorf("alice key 2 last rotated = %v, want N/A", alice.AccessKeys[1].LastRotated)
	}
	if bob.PasswordLastUsed.Missing != ValueNoInformation || bob.PasswordLastUsed.Valid() {
		t.Errorf("bob password last used = %v, want no_information", bob.PasswordLastUsed)
	}
	if !bob.PasswordEnabled.IsTrue() || bob.MFAActive || !bob.AccessKeys[0].Active || !bob.AccessKeys[1].Active {
		t.Errorf("upper-case TRUE/FALSE misread: %+v", bob)
	}
	if !bob.AccessKeys[1].LastRotated.Time.Equal(mustTime(t, "2025-03-01T00:00:00Z")) {
		t.Errorf("bob key 2 rotated = %v", bob.AccessKeys[1].LastRotated)
	}
}

func TestParseCredentialReportColumnsByName(t *testing.T) {
	// Columns in another order, an unknown extra column, no cert columns.
	content := "arn,user,extra_future_column,mfa_active,password_enabled,user_creation_time,password_last_used,password_last_changed," +
		"access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date\n" +
		"arn:aws:iam::123456789012:user/carol,carol,whatever,true,false,2024-01-01T00:00:00+00:00,N/A,N/A,false,N/A,N/A,true,2024-01-02T00:00:00+00:00,N/A\n"
	got, err := ParseCredentialReport([]byte(content))
	if err != nil {
		t.Fatal(err)
	}
	if got.Root != nil || len(got.Users) != 1 {
		t.Fatalf("got root %v, %d users", got.Root, len(got.Users))
	}
	carol := got.Users[0]
	if carol.User != "carol" || !carol.MFAActive || carol.PasswordEnabled != FlagFalse || !carol.AccessKeys[0].Active || carol.AccessKeys[1].Active {
		t.Errorf("carol = %+v", carol)
	}
}

func TestParseCredentialReportRejects(t *testing.T) {
	row := func(replace map[int]string) string {
		fields := strings.Split(strings.Split(awsSample, "\n")[2], ",")
		for i, v := range replace {
			fields[i] = v
		}
		return awsHeader + "\n" + strings.Join(fields, ",") + "\n"
	}
	cases := map[string]struct {
		content string
		want    string
	}{
		"empty":               {"", "empty"},
		"missing column":      {strings.Replace(awsHeader, ",mfa_active", ",mfa", 1) + "\n", `"mfa_active" is missing`},
		"duplicate column":    {awsHeader + ",user\n", "appears twice"},
		"bad bool":            {row(map[int]string{7: "yes"}), `column mfa_active holds "yes"`},
		"not_supported key":   {row(map[int]string{8: "not_supported"}), "access_key_1_active"},
		"bad time":            {row(map[int]string{2: "2024-01-01"}), "user_creation_time"},
		"empty time":          {row(map[int]string{4: ""}), "password_last_used"},
		"short row":           {awsHeader + "\nalice,arn\n", "wrong number of fields"},
		"empty user":          {row(map[int]string{0: ""}), "column user"},
		"two root rows":       {awsSample + strings.Split(awsSample, "\n")[1] + "\n", "second <root_account>"},
		"unterminated quotes": {awsHeader + "\n\"alice\n", "parsing credential report"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCredentialReport([]byte(tc.content))
			if err == nil {
				t.Fatalf("no error, want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

// formatCredentialReport writes a report in AWS's column layout: the inverse
// of ParseCredentialReport for the columns it reads.
func formatCredentialReport(r CredentialReport) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(strings.Split(awsHeader, ","))
	flag := func(b bool) string {
		if b {
			return "true"
		}
		return "false"
	}
	rows := r.Users
	if r.Root != nil {
		rows = append([]CredentialUser{*r.Root}, rows...)
	}
	for _, u := range rows {
		record := []string{u.User, u.ARN, u.CreationTime.String(), string(u.PasswordEnabled), u.PasswordLastUsed.String(),
			u.PasswordLastChanged.String(), ValueNotApplicable, flag(u.MFAActive)}
		for _, k := range u.AccessKeys {
			record = append(record, flag(k.Active), k.LastRotated.String(), k.LastUsed.String(), ValueNotApplicable, ValueNotApplicable)
		}
		record = append(record, "false", ValueNotApplicable, "false", ValueNotApplicable)
		_ = w.Write(record)
	}
	w.Flush()
	return buf.Bytes()
}

func FuzzParseCredentialReport(f *testing.F) {
	f.Add([]byte(awsSample))
	f.Add([]byte(awsHeader + "\n"))
	f.Add([]byte("user,arn\nx,y\n"))
	f.Add([]byte(awsHeader + "\n\"a,b\",arn,N/A,not_supported,no_information,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		first, err := ParseCredentialReport(content)
		if err != nil {
			return
		}
		// Whatever parses must survive a round trip through AWS's layout
		// unchanged: no field is silently dropped or misread.
		second, err := ParseCredentialReport(formatCredentialReport(first))
		if err != nil {
			t.Fatalf("re-parsing a formatted report: %v", err)
		}
		normalize := func(r *CredentialReport) {
			all := append([]*CredentialUser{}, r.Root)
			for i := range r.Users {
				all = append(all, &r.Users[i])
			}
			for _, u := range all {
				if u == nil {
					continue
				}
				for _, s := range []*Stamp{&u.CreationTime, &u.PasswordLastUsed, &u.PasswordLastChanged,
					&u.AccessKeys[0].LastRotated, &u.AccessKeys[0].LastUsed, &u.AccessKeys[1].LastRotated, &u.AccessKeys[1].LastUsed} {
					if s.Valid() {
						s.Time = time.Unix(s.Time.Unix(), 0).UTC()
					}
				}
			}
		}
		normalize(&first)
		normalize(&second)
		if !reflect.DeepEqual(first, second) {
			t.Fatalf("round trip changed the report:\n first %+v\nsecond %+v", first, second)
		}
	})
}
