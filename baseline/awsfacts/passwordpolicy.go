package awsfacts

import (
	"fmt"
	"strings"
)

// PasswordPolicy is the account password policy, the one type the engine,
// the wizard and the views share. Zero MaxAgeDays means passwords never
// expire and zero ReusePrevention means reuse is not prevented: IAM has no
// other way to say either (the API rejects 0 and the field is left out).
type PasswordPolicy struct {
	MinimumLength              int  `json:"minimum_length"`
	RequireUppercase           bool `json:"require_uppercase"`
	RequireLowercase           bool `json:"require_lowercase"`
	RequireNumbers             bool `json:"require_numbers"`
	RequireSymbols             bool `json:"require_symbols"`
	AllowUsersToChangePassword bool `json:"allow_users_to_change_password"`
	MaxAgeDays                 int  `json:"max_age_days"`
	ReusePrevention            int  `json:"reuse_prevention"`
	HardExpiry                 bool `json:"hard_expiry"`
}

// The character classes IAM's password policy speaks of. Symbols are the
// set IAM documents for RequireSymbols.
const (
	UpperChars  = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	LowerChars  = "abcdefghijklmnopqrstuvwxyz"
	DigitChars  = "0123456789"
	SymbolChars = "!@#$%^&*()_+-=[]{}|'"
)

// Satisfies reports whether password meets the policy's length and class
// requirements, and why not.
func (p PasswordPolicy) Satisfies(password string) error {
	var missing []string
	if len(password) < p.MinimumLength {
		missing = append(missing, fmt.Sprintf("at least %d characters", p.MinimumLength))
	}
	check := func(required bool, chars, name string) {
		if required && !strings.ContainsAny(password, chars) {
			missing = append(missing, name)
		}
	}
	check(p.RequireUppercase, UpperChars, "an uppercase letter")
	check(p.RequireLowercase, LowerChars, "a lowercase letter")
	check(p.RequireNumbers, DigitChars, "a number")
	check(p.RequireSymbols, SymbolChars, "a symbol")
	if len(missing) > 0 {
		return fmt.Errorf("password needs %s", strings.Join(missing, ", "))
	}
	return nil
}
