package baseline

import (
	"errors"
	"fmt"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Default names of the baseline's entities.
const (
	DefaultGroupName     = "admin"
	DefaultUserName      = "administrator"
	DefaultMFADeviceName = "administrator"
	// AdminPolicyName is the AWS-managed policy attached to the group.
	AdminPolicyName = awsfacts.AdministratorAccess
)

// Limits IAM enforces, used by Validate.
const (
	MinPasswordLengthLimit = 6
	MaxPasswordLengthLimit = 128
	MaxReusePrevention     = 24
	MaxPasswordAgeDays     = 1095
	maxUserNameLen         = awsfacts.MaxUserNameLen
	maxGroupNameLen        = awsfacts.MaxGroupNameLen
	maxMFADeviceNameLen    = awsfacts.MaxMFADeviceNameLen
	minAliasLen            = 3
	maxAliasLen            = 63
)

// PasswordPolicy is the account password policy (awsfacts.PasswordPolicy).
type PasswordPolicy = awsfacts.PasswordPolicy

// DefaultPasswordPolicy is the recommended policy (see docs/plan-format.md
// for the reasoning): CIS AWS Foundations' length 14 and reuse prevention
// 24, users may change their own password, all four character classes
// (Security Hub IAM.7), and no forced expiry (NIST SP 800-63B advises against
// periodic rotation; an expiry without a hard stop only nags, a hard stop
// locks people out).
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{
		MinimumLength:              awsfacts.RecommendedMinimumLength,
		RequireUppercase:           true,
		RequireLowercase:           true,
		RequireNumbers:             true,
		RequireSymbols:             true,
		AllowUsersToChangePassword: true,
		ReusePrevention:            awsfacts.RecommendedReusePrevention,
	}
}

// AWSDefaultPasswordPolicy is what IAM enforces when an account has no
// password policy: at least 8 characters and three of the four character
// classes. The three-of-four rule has no PasswordPolicy field; the generated
// password satisfies it by using all four.
func AWSDefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{MinimumLength: 8}
}

// Spec is the desired baseline.
type Spec struct {
	GroupName      string
	UserName       string
	PasswordPolicy PasswordPolicy
	MFADeviceName  string
	// SkipMFA leaves the user's MFA out of the plan (step shown as skip).
	SkipMFA bool
	// ReenrollMFA replaces the user's virtual MFA devices (one was lost):
	// a new one is created and enabled first, and only then are the old
	// ones deactivated and deleted, so the user is never without MFA.
	ReenrollMFA bool
	// RequireMFA puts the policy that denies the admin group's users
	// everything without MFA but getting MFA (baseline/mfapolicy).
	RequireMFA bool
	// AccountAlias, when set, is created if the account has no alias.
	AccountAlias string
	// SupportRole, when set, names a role with AWSSupportAccess that the
	// account's administrators may assume; created when missing.
	SupportRole string
	// SecurityContact, when set, is registered as the account's security
	// contact unless it already is.
	SecurityContact *SecurityContact
	// AccessAnalyzer asks for the account's external-access analyzer in
	// every enabled region that lacks one.
	AccessAnalyzer bool
	// AllowWeakerPasswordPolicy lets the requested policy replace a
	// stricter one already in force, field by field.
	AllowWeakerPasswordPolicy bool
	// ResetPassword gives an existing login profile a new temporary
	// password (UpdateLoginProfile with PasswordResetRequired).
	ResetPassword bool
	// DeleteRootAccessKeys asks to delete the root user's access keys when
	// the caller is root (the key the run signs with last); otherwise the
	// step stays manual.
	DeleteRootAccessKeys bool
}

// DefaultSpec is the baseline with every default.
func DefaultSpec() Spec {
	return Spec{
		GroupName:      DefaultGroupName,
		UserName:       DefaultUserName,
		PasswordPolicy: DefaultPasswordPolicy(),
		MFADeviceName:  DefaultMFADeviceName,
		RequireMFA:     true,
	}
}

// AdminPolicyARN is the ARN of AdministratorAccess in the given partition
// ("aws", "aws-cn", "aws-us-gov").
func AdminPolicyARN(partition string) string {
	return awsfacts.ManagedPolicyARN(partition, AdminPolicyName)
}

// Field names used in FieldError, one per Spec field that can be wrong. The
// CLI maps them to flags, the wizard to questions.
const (
	FieldGroupName                  = "GroupName"
	FieldUserName                   = "UserName"
	FieldMFADeviceName              = "MFADeviceName"
	FieldAccountAlias               = "AccountAlias"
	FieldSupportRole                = "SupportRole"
	FieldContactName                = "SecurityContact.Name"
	FieldContactTitle               = "SecurityContact.Title"
	FieldContactEmail               = "SecurityContact.Email"
	FieldContactPhone               = "SecurityContact.Phone"
	FieldPasswordMinimumLength      = "PasswordPolicy.MinimumLength"
	FieldPasswordReusePrevention    = "PasswordPolicy.ReusePrevention"
	FieldPasswordMaxAgeDays         = "PasswordPolicy.MaxAgeDays"
	FieldPasswordHardExpiryNeedsAge = "PasswordPolicy.HardExpiry"
)

// FieldError says which Spec field is wrong and why.
type FieldError struct {
	Field string
	Value string
	// Reason is why, said without a field name (flag mode names the flag,
	// the wizard is at the question): English in Error, worded by views.
	Reason locale.Msg
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Field, e.Value, e.Reason)
}

// Validate checks every name and number against IAM's rules, so that bad
// input fails before any request. It returns every problem found, joined;
// each is a *FieldError (use errors.As, or FieldErrors).
func (s Spec) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(ValidateGroupName(s.GroupName))
	add(ValidateUserName(s.UserName))
	if !s.SkipMFA {
		add(ValidateMFADeviceName(s.MFADeviceName))
	}
	if s.AccountAlias != "" {
		add(ValidateAccountAlias(s.AccountAlias))
	}
	if s.SupportRole != "" {
		add(ValidateRoleName(s.SupportRole))
	}
	if s.SecurityContact != nil {
		for _, err := range ValidateSecurityContact(*s.SecurityContact) {
			add(err)
		}
	}
	for _, err := range validatePolicy(s.PasswordPolicy) {
		add(err)
	}
	return errors.Join(errs...)
}

// FieldErrors unpacks what Validate returned.
func FieldErrors(err error) []*FieldError {
	var out []*FieldError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if fe, ok := e.(*FieldError); ok {
			out = append(out, fe)
			return
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, inner := range j.Unwrap() {
				walk(inner)
			}
			return
		}
		walk(errors.Unwrap(e))
	}
	walk(err)
	return out
}

// ValidateUserName checks an IAM user name: 1-64 characters from
// [A-Za-z0-9+=,.@_-].
func ValidateUserName(name string) error {
	return validateIAMName(FieldUserName, name, maxUserNameLen)
}

// ValidateGroupName checks an IAM group name: 1-128 characters from
// [A-Za-z0-9+=,.@_-].
func ValidateGroupName(name string) error {
	return validateIAMName(FieldGroupName, name, maxGroupNameLen)
}

// ValidateRoleName checks an IAM role name: 1-64 characters from
// [A-Za-z0-9+=,.@_-].
func ValidateRoleName(name string) error {
	return validateIAMName(FieldSupportRole, name, awsfacts.MaxRoleNameLen)
}

// ValidateSecurityContact checks a contact against the Account API's rules:
// every field is required, and the e-mail and phone have their forms.
func ValidateSecurityContact(c SecurityContact) []error {
	var errs []error
	for _, f := range []struct {
		field, value string
		max          int
		valid        func(string) bool
		want         locale.Msg
	}{
		{FieldContactName, c.Name, awsfacts.MaxContactNameLen, nil, locale.Msg{}},
		{FieldContactTitle, c.Title, awsfacts.MaxContactTitleLen, nil, locale.Msg{}},
		{FieldContactEmail, c.Email, awsfacts.MaxContactEmailLen, awsfacts.ValidContactEmail, locale.M("must be an e-mail address such as security@example.com")},
		{FieldContactPhone, c.Phone, awsfacts.MaxContactPhoneLen, awsfacts.ValidContactPhone, locale.M("must be digits, spaces and ( ) + - only")},
	} {
		switch {
		case f.value == "":
			errs = append(errs, &FieldError{Field: f.field, Value: f.value, Reason: locale.M("must not be empty: a security contact needs a name, title, e-mail and phone")})
		case len(f.value) > f.max:
			errs = append(errs, &FieldError{Field: f.field, Value: f.value, Reason: locale.M("is %v characters long; AWS allows at most %v", locale.Digits(len(f.value)), locale.Digits(f.max))})
		case f.valid != nil && !f.valid(f.value):
			errs = append(errs, &FieldError{Field: f.field, Value: f.value, Reason: f.want})
		}
	}
	return errs
}

// ValidateMFADeviceName checks a virtual MFA device name: 1-226 characters
// from [A-Za-z0-9+=,.@_-].
func ValidateMFADeviceName(name string) error {
	return validateIAMName(FieldMFADeviceName, name, maxMFADeviceNameLen)
}

func validateIAMName(field, name string, maxLen int) error {
	if name == "" {
		return &FieldError{Field: field, Value: name, Reason: locale.M("must not be empty")}
	}
	if len(name) > maxLen {
		return &FieldError{Field: field, Value: name, Reason: locale.M("is %v characters long; IAM allows at most %v", locale.Digits(len(name)), locale.Digits(maxLen))}
	}
	for _, r := range name {
		if !isIAMNameRune(r) {
			return &FieldError{Field: field, Value: name, Reason: locale.M("contains %q; IAM allows only letters, digits and + = , . @ _ -", r)}
		}
	}
	return nil
}

func isIAMNameRune(r rune) bool { return awsfacts.IsIAMNameRune(r) }

// ValidateAccountAlias checks an account alias: 3-63 characters, lowercase
// letters, digits and hyphens, not starting or ending with a hyphen, no two
// hyphens in a row, and not 12 digits (it would read as an account ID).
func ValidateAccountAlias(alias string) error {
	fail := func(reason locale.Msg) error {
		return &FieldError{Field: FieldAccountAlias, Value: alias, Reason: reason}
	}
	if len(alias) < minAliasLen || len(alias) > maxAliasLen {
		return fail(locale.M("must be %d to %d characters long", minAliasLen, maxAliasLen))
	}
	allDigits := true
	for i, r := range alias {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z':
			allDigits = false
		case r == '-':
			allDigits = false
			if i == 0 || i == len(alias)-1 {
				return fail(locale.M("must not start or end with a hyphen"))
			}
			if alias[i-1] == '-' {
				return fail(locale.M("must not contain two hyphens in a row"))
			}
		default:
			return fail(locale.M("contains %q; only lowercase letters, digits and hyphens are allowed", r))
		}
	}
	if allDigits && len(alias) == 12 {
		return fail(locale.M("must not be 12 digits (it would look like an account ID)"))
	}
	return nil
}

func validatePolicy(p PasswordPolicy) []error {
	var errs []error
	if p.MinimumLength < MinPasswordLengthLimit || p.MinimumLength > MaxPasswordLengthLimit {
		errs = append(errs, &FieldError{Field: FieldPasswordMinimumLength, Value: fmt.Sprint(p.MinimumLength),
			Reason: locale.M("must be between %d and %d", MinPasswordLengthLimit, MaxPasswordLengthLimit)})
	}
	if p.ReusePrevention < 0 || p.ReusePrevention > MaxReusePrevention {
		errs = append(errs, &FieldError{Field: FieldPasswordReusePrevention, Value: fmt.Sprint(p.ReusePrevention),
			Reason: locale.M("must be between 1 and %d, or 0 to not prevent reuse", MaxReusePrevention)})
	}
	if p.MaxAgeDays < 0 || p.MaxAgeDays > MaxPasswordAgeDays {
		errs = append(errs, &FieldError{Field: FieldPasswordMaxAgeDays, Value: fmt.Sprint(p.MaxAgeDays),
			Reason: locale.M("must be between 1 and %v days, or 0 for passwords that never expire", locale.Digits(MaxPasswordAgeDays))})
	}
	if p.HardExpiry && p.MaxAgeDays == 0 {
		errs = append(errs, &FieldError{Field: FieldPasswordHardExpiryNeedsAge, Value: "true",
			Reason: locale.M("hard expiry needs a maximum password age; passwords that never expire cannot hard-expire")})
	}
	return errs
}
