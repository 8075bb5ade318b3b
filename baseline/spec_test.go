package baseline

import (
	"regexp"
	"strings"
	"testing"
)

func TestDefaultSpecIsValid(t *testing.T) {
	if err := DefaultSpec().Validate(); err != nil {
		t.Fatalf("DefaultSpec().Validate() = %v", err)
	}
}

func TestValidateRejectsEachRule(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Spec)
		field  string
		reason string
	}{
		{"empty user", func(s *Spec) { s.UserName = "" }, FieldUserName, "empty"},
		{"user too long", func(s *Spec) { s.UserName = strings.Repeat("u", 65) }, FieldUserName, "at most 64"},
		{"user bad char", func(s *Spec) { s.UserName = "bob smith" }, FieldUserName, `' '`},
		{"user slash", func(s *Spec) { s.UserName = "ops/bob" }, FieldUserName, `'/'`},
		{"user non-ascii", func(s *Spec) { s.UserName = "jürgen" }, FieldUserName, `'ü'`},
		{"empty group", func(s *Spec) { s.GroupName = "" }, FieldGroupName, "empty"},
		{"group too long", func(s *Spec) { s.GroupName = strings.Repeat("g", 129) }, FieldGroupName, "at most 128"},
		{"group bad char", func(s *Spec) { s.GroupName = "admin*" }, FieldGroupName, `'*'`},
		{"mfa name bad", func(s *Spec) { s.MFADeviceName = "my phone" }, FieldMFADeviceName, `' '`},
		{"mfa name too long", func(s *Spec) { s.MFADeviceName = strings.Repeat("m", 227) }, FieldMFADeviceName, "at most 226"},
		{"alias short", func(s *Spec) { s.AccountAlias = "ab" }, FieldAccountAlias, "3 to 63"},
		{"alias long", func(s *Spec) { s.AccountAlias = strings.Repeat("a", 64) }, FieldAccountAlias, "3 to 63"},
		{"alias upper", func(s *Spec) { s.AccountAlias = "MyCorp" }, FieldAccountAlias, `'M'`},
		{"alias underscore", func(s *Spec) { s.AccountAlias = "my_corp" }, FieldAccountAlias, `'_'`},
		{"alias leading hyphen", func(s *Spec) { s.AccountAlias = "-corp" }, FieldAccountAlias, "start or end"},
		{"alias trailing hyphen", func(s *Spec) { s.AccountAlias = "corp-" }, FieldAccountAlias, "start or end"},
		{"alias double hyphen", func(s *Spec) { s.AccountAlias = "my--corp" }, FieldAccountAlias, "two hyphens"},
		{"alias 12 digits", func(s *Spec) { s.AccountAlias = "123456789012" }, FieldAccountAlias, "12 digits"},
		{"min length low", func(s *Spec) { s.PasswordPolicy.MinimumLength = 5 }, FieldPasswordMinimumLength, "between 6 and 128"},
		{"min length high", func(s *Spec) { s.PasswordPolicy.MinimumLength = 129 }, FieldPasswordMinimumLength, "between 6 and 128"},
		{"reuse high", func(s *Spec) { s.PasswordPolicy.ReusePrevention = 25 }, FieldPasswordReusePrevention, "between 1 and 24"},
		{"reuse negative", func(s *Spec) { s.PasswordPolicy.ReusePrevention = -1 }, FieldPasswordReusePrevention, "between 1 and 24"},
		{"age high", func(s *Spec) { s.PasswordPolicy.MaxAgeDays = 1096 }, FieldPasswordMaxAgeDays, "1095"},
		{"age negative", func(s *Spec) { s.PasswordPolicy.MaxAgeDays = -3 }, FieldPasswordMaxAgeDays, "1095"},
		{"hard expiry without age", func(s *Spec) { s.PasswordPolicy.HardExpiry = true }, FieldPasswordHardExpiryNeedsAge, "maximum password age"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := DefaultSpec()
			tt.edit(&s)
			err := s.Validate()
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			fes := FieldErrors(err)
			if len(fes) != 1 {
				t.Fatalf("FieldErrors = %v, want exactly one", fes)
			}
			if fes[0].Field != tt.field {
				t.Errorf("field = %q, want %q", fes[0].Field, tt.field)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not say %q", err, tt.reason)
			}
		})
	}
}

func TestValidateAcceptsEdgeValues(t *testing.T) {
	s := DefaultSpec()
	s.UserName = strings.Repeat("u", 64)
	s.GroupName = "a+b=c,d.e@f_g-" + strings.Repeat("G", 114)
	s.AccountAlias = "a-1"
	s.PasswordPolicy = PasswordPolicy{MinimumLength: 128, ReusePrevention: 24, MaxAgeDays: 1095, HardExpiry: true}
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
	s.PasswordPolicy = PasswordPolicy{MinimumLength: 6}
	s.AccountAlias = "1234567890123" // 13 digits is not an account ID
	if err := s.Validate(); err != nil {
		t.Fatalf("Validate() = %v", err)
	}
}

func TestValidateSkipMFAIgnoresDeviceName(t *testing.T) {
	s := DefaultSpec()
	s.MFADeviceName = ""
	if s.Validate() == nil {
		t.Fatal("empty MFA device name accepted")
	}
	s.SkipMFA = true
	if err := s.Validate(); err != nil {
		t.Fatalf("with SkipMFA: %v", err)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	s := DefaultSpec()
	s.UserName = ""
	s.GroupName = "a b"
	s.PasswordPolicy.MinimumLength = 1
	if n := len(FieldErrors(s.Validate())); n != 3 {
		t.Fatalf("got %d field errors, want 3", n)
	}
}

func FuzzValidateAccountAlias(f *testing.F) {
	for _, s := range []string{"my-corp", "ab", "-a-", "a--b", "123456789012", "ÄÖ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, alias string) {
		if ValidateAccountAlias(alias) != nil {
			return
		}
		if len(alias) < 3 || len(alias) > 63 || strings.Contains(alias, "--") ||
			strings.HasPrefix(alias, "-") || strings.HasSuffix(alias, "-") {
			t.Fatalf("accepted %q", alias)
		}
		for _, r := range alias {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' {
				t.Fatalf("accepted %q with %q", alias, r)
			}
		}
	})
}

func FuzzValidateUserName(f *testing.F) {
	for _, s := range []string{"administrator", "", "a b", "x@y.z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if ValidateUserName(name) != nil {
			return
		}
		if !iamUserName.MatchString(name) {
			t.Fatalf("accepted %q", name)
		}
	})
}

// iamUserName is IAM's documented pattern for user names, written
// independently of the validator.
var iamUserName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
