package baseline

import "testing"

// SameReads changes with every Spec field ReadState's reads depend on, and
// with no other.
func TestSameReads(t *testing.T) {
	base := DefaultSpec()
	for name, change := range map[string]func(*Spec){
		"group":            func(s *Spec) { s.GroupName = "ops" },
		"user":             func(s *Spec) { s.UserName = "alice" },
		"mfa device":       func(s *Spec) { s.MFADeviceName = "alice-phone" },
		"support role":     func(s *Spec) { s.SupportRole = "aws-support" },
		"access analyzer":  func(s *Spec) { s.AccessAnalyzer = true },
		"security contact": func(s *Spec) { s.SecurityContact = &SecurityContact{Email: "sec@example.com"} },
	} {
		other := base
		change(&other)
		if SameReads(base, other) {
			t.Errorf("%s changed, SameReads = true", name)
		}
	}
	other := base
	other.PasswordPolicy.MinimumLength = 20
	other.ResetPassword = true
	if !SameReads(base, other) {
		t.Error("the password policy and a password reset read nothing more, SameReads = false")
	}
}
