package prompt

import (
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Answer is one answer of the wizard. Given means it came from a flag (or
// from the account itself) before the wizard started: its question is
// skipped and Value is used as is.
type Answer[T any] struct {
	Value T
	Given bool
}

// Prefilled is an answer that skips its question.
func Prefilled[T any](v T) Answer[T] { return Answer[T]{Value: v, Given: true} }

// Default is an answer whose question is asked, with v offered as the
// default.
func Default[T any](v T) Answer[T] { return Answer[T]{Value: v} }

// PolicyPreset is the operator's choice of password policy.
type PolicyPreset string

const (
	// PresetRecommended is the tool's default policy.
	PresetRecommended PolicyPreset = "recommended"
	// PresetAWSDefault is the closest policy to what AWS applies when an
	// account has none.
	PresetAWSDefault PolicyPreset = "aws-default"
	// PresetCustom asks every field.
	PresetCustom PolicyPreset = "custom"
)

// PasswordPolicy is the account password policy the wizard asks for
// (awsfacts.PasswordPolicy). Zero ReusePrevention or MaxAgeDays means "not
// set".
type PasswordPolicy = awsfacts.PasswordPolicy

// policySummary describes the policy in one line.
func policySummary(tr locale.Printer, p PasswordPolicy) string {
	parts := []string{tr.T("%d+ characters", p.MinimumLength)}
	var classes []string
	for _, c := range []struct {
		on   bool
		name string
	}{{p.RequireUppercase, tr.T("uppercase")}, {p.RequireLowercase, tr.T("lowercase")}, {p.RequireNumbers, tr.T("number")}, {p.RequireSymbols, tr.T("symbol")}} {
		if c.on {
			classes = append(classes, c.name)
		}
	}
	if len(classes) > 0 {
		parts = append(parts, tr.T("needs %s", strings.Join(classes, ", ")))
	}
	if p.ReusePrevention > 0 {
		parts = append(parts, tr.T("remembers %d", p.ReusePrevention))
	}
	if p.MaxAgeDays > 0 {
		parts = append(parts, tr.T("expires after %d day(s)", p.MaxAgeDays))
		if p.HardExpiry {
			parts = append(parts, tr.T("hard expiry"))
		}
	}
	if p.AllowUsersToChangePassword {
		parts = append(parts, tr.T("users change their own"))
	}
	return strings.Join(parts, ", ")
}

// Answers are everything the wizard asks. cmd fills the Given ones from
// flags, runs the questions, and turns the result into baseline's Spec.
type Answers struct {
	Group Answer[string]
	User  Answer[string]
	// Policy is the chosen policy; Preset records how it was chosen. A
	// Given Policy (any password flag) skips the whole policy question.
	Policy Answer[PasswordPolicy]
	Preset PolicyPreset
	// AccountAlias is optional; an empty answer means none.
	AccountAlias Answer[string]
}

// PolicyQuestion is what the password policy question offers. cmd fills
// the presets from baseline, which owns the policy facts.
type PolicyQuestion struct {
	Recommended PasswordPolicy
	AWSDefault  PasswordPolicy
	// Note explains what the account has now, for example that stricter
	// values in force are kept; empty for none.
	Note string
}

// Validators check answers with the same rules the engine applies (cmd
// passes baseline's validators), so a bad value is refused while it is being
// typed rather than after the plan is made. A nil validator accepts anything.
type Validators struct {
	GroupName    func(string) error
	UserName     func(string) error
	AccountAlias func(string) error
	// PasswordPolicy checks a whole policy; each custom number is checked
	// by putting it into the recommended policy and asking this.
	PasswordPolicy func(PasswordPolicy) error
}
