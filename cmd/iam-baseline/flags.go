package main

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Flag names, shared by the commands and the messages that point at them.
const (
	flagProfile     = "profile"
	flagRegion      = "region"
	flagEndpointURL = "endpoint-url"
	flagOutput      = "output"
	flagNoColor     = "no-color"
	flagDebug       = "debug"
	flagAccessible  = "accessible"
	flagLang        = "lang"

	flagGroup                      = "group"
	flagUser                       = "user"
	flagPasswordMinLength          = "password-min-length"
	flagPasswordReusePrevention    = "password-reuse-prevention"
	flagPasswordMaxAge             = "password-max-age"
	flagRequireUppercase           = "require-uppercase"
	flagRequireLowercase           = "require-lowercase"
	flagRequireNumbers             = "require-numbers"
	flagRequireSymbols             = "require-symbols"
	flagAllowUsersToChangePassword = "allow-users-to-change-password"
	flagHardExpiry                 = "hard-expiry"
	flagAllowWeakerPasswordPolicy  = "allow-weaker-password-policy"
	flagMFADeviceName              = "mfa-device-name"
	flagSkipMFA                    = "skip-mfa"
	flagRequireMFA                 = "require-mfa"
	flagConfirmRequireMFA          = "confirm-require-mfa"
	flagAccountAlias               = "account-alias"
	flagReplaceAccountAlias        = "replace-account-alias"
	flagSupportRole                = "support-role"
	flagAccessAnalyzer             = "access-analyzer"
	flagContactName                = "security-contact-name"
	flagContactTitle               = "security-contact-title"
	flagContactEmail               = "security-contact-email"
	flagContactPhone               = "security-contact-phone"
	flagResetPassword              = "reset-password"
	flagReenrollMFA                = "reenroll-mfa"

	flagDryRun           = "dry-run"
	flagNonInteractive   = "non-interactive"
	flagYes              = "yes"
	flagDetailedExitcode = "detailed-exitcode"
	flagPasswordFile     = "password-file"
	flagShowPassword     = "show-password"
	flagMFASecretFile    = "mfa-secret-file"
)

// fieldFlags maps baseline.Spec fields to the flags that set them.
var fieldFlags = map[string][]string{
	baseline.FieldGroupName:                  {flagGroup},
	baseline.FieldUserName:                   {flagUser},
	baseline.FieldMFADeviceName:              {flagMFADeviceName},
	baseline.FieldAccountAlias:               {flagAccountAlias},
	baseline.FieldSupportRole:                {flagSupportRole},
	baseline.FieldContactName:                {flagContactName},
	baseline.FieldContactTitle:               {flagContactTitle},
	baseline.FieldContactEmail:               {flagContactEmail},
	baseline.FieldContactPhone:               {flagContactPhone},
	baseline.FieldPasswordMinimumLength:      {flagPasswordMinLength},
	baseline.FieldPasswordReusePrevention:    {flagPasswordReusePrevention},
	baseline.FieldPasswordMaxAgeDays:         {flagPasswordMaxAge},
	baseline.FieldPasswordHardExpiryNeedsAge: {flagHardExpiry, flagPasswordMaxAge},
}

// The flag categories of --help, worded.
func catAWS(tr locale.Printer) string      { return tr.T("AWS connection") }
func catOutput(tr locale.Printer) string   { return tr.T("Output") }
func catBaseline(tr locale.Printer) string { return tr.T("Baseline") }
func catPolicy(tr locale.Printer) string   { return tr.T("Password policy") }
func catMode(tr locale.Printer) string     { return tr.T("Mode") }

// globalFlags are accepted before and after the command name.
func globalFlags(tr locale.Printer) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: flagProfile, Category: catAWS(tr), Usage: tr.T("AWS shared config `PROFILE` (default: the SDK's chain, AWS_PROFILE)")},
		&cli.StringFlag{Name: flagRegion, Category: catAWS(tr), Usage: tr.T("AWS `REGION` for the IAM and STS endpoints (IAM is global; default us-east-1)")},
		&cli.StringFlag{Name: flagEndpointURL, Category: catAWS(tr), Usage: tr.T("send IAM and STS requests to `URL` (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_IAM work too)")},
		timeoutFlag(tr),
		&cli.StringFlag{Name: flagOutput, Category: catOutput(tr), Value: "text", Usage: tr.T("`FORMAT` of the plan and summary on stdout: text or json")},
		&cli.BoolFlag{Name: flagNoColor, Category: catOutput(tr), Usage: tr.T("no colours (also when NO_COLOR is set)")},
		&cli.BoolFlag{Name: flagDebug, Category: catOutput(tr), Usage: tr.T("log each AWS request (action, status, time; never bodies or secrets) to stderr")},
		&cli.StringFlag{Name: flagLang, Category: catOutput(tr), Usage: tr.T("`LANGUAGE` of the text views: en or ko (default: LC_ALL, LC_MESSAGES, LANG; JSON never changes)")},
		&cli.BoolFlag{Name: flagAccessible, Category: catOutput(tr), EnvVars: []string{"ACCESSIBLE"}, Usage: tr.T("plain line-by-line prompts for screen readers and simple terminals")},
	}
}

// baselineFlags describe the baseline and the mode of a run.
func baselineFlags(tr locale.Printer) []cli.Flag {
	d := baseline.DefaultSpec()
	p := d.PasswordPolicy
	return []cli.Flag{
		&cli.StringFlag{Name: flagGroup, Category: catBaseline(tr), Value: d.GroupName, Usage: tr.T("`NAME` of the administrators' group")},
		&cli.StringFlag{Name: flagUser, Category: catBaseline(tr), Value: d.UserName, Usage: tr.T("`NAME` of the administrator user")},
		&cli.StringFlag{Name: flagMFADeviceName, Category: catBaseline(tr), Value: d.MFADeviceName, Usage: tr.T("`NAME` of the user's virtual MFA device (default: the --user name)")},
		&cli.BoolFlag{Name: flagSkipMFA, Category: catBaseline(tr), Usage: tr.T("do not enroll a virtual MFA device for the user")},
		&cli.BoolFlag{Name: flagRequireMFA, Category: catBaseline(tr), Value: d.RequireMFA, Usage: tr.T("deny the admin group's users everything without MFA but getting MFA (--require-mfa=false to not)")},
		&cli.StringFlag{Name: flagAccountAlias, Category: catBaseline(tr), Usage: tr.T("set account alias `ALIAS` (it names the sign-in URL; replacing another alias needs --replace-account-alias)")},
		&cli.BoolFlag{Name: flagReplaceAccountAlias, Category: catBaseline(tr), Usage: tr.T("let --account-alias replace the account's current alias (its sign-in URL stops working)")},
		&cli.StringFlag{Name: flagContactName, Category: catBaseline(tr), Usage: tr.T("register the account's security contact: `NAME` (with the title, e-mail and phone flags)")},
		&cli.StringFlag{Name: flagContactTitle, Category: catBaseline(tr), Usage: tr.T("the security contact's `TITLE`")},
		&cli.StringFlag{Name: flagContactEmail, Category: catBaseline(tr), Usage: tr.T("the security contact's `EMAIL` (a team address rather than a person's)")},
		&cli.StringFlag{Name: flagContactPhone, Category: catBaseline(tr), Usage: tr.T("the security contact's `PHONE` (digits, spaces, ( ) + -)")},
		&cli.BoolFlag{Name: flagAccessAnalyzer, Category: catBaseline(tr), Usage: tr.T("create the account's IAM Access Analyzer (external access, free) in every enabled region that has none")},
		&cli.StringFlag{Name: flagSupportRole, Category: catBaseline(tr), Usage: tr.T("create role `NAME` with AWSSupportAccess, assumable with MFA by the account's administrators (CIS: a support role)")},
		&cli.BoolFlag{Name: flagResetPassword, Category: catBaseline(tr), Usage: tr.T("give a user that already has a console password a new temporary one")},
		&cli.BoolFlag{Name: flagReenrollMFA, Category: catBaseline(tr), Usage: tr.T("replace a lost virtual MFA device of a user that has one: the new one is enabled first, then the old one deleted")},

		&cli.GenericFlag{Name: flagPasswordMinLength, Category: catPolicy(tr), Value: &decimalInt{p.MinimumLength}, Usage: tr.T("minimum password length `N` (6-128)")},
		&cli.GenericFlag{Name: flagPasswordReusePrevention, Category: catPolicy(tr), Value: &decimalInt{p.ReusePrevention}, Usage: tr.T("remember the last `N` passwords (1-24; 0 = off)")},
		&cli.GenericFlag{Name: flagPasswordMaxAge, Category: catPolicy(tr), Value: &decimalInt{p.MaxAgeDays}, Usage: tr.T("passwords expire after `DAYS` (1-1095; 0 = never)")},
		&cli.BoolFlag{Name: flagRequireUppercase, Category: catPolicy(tr), Value: p.RequireUppercase, Usage: tr.T("require an uppercase letter (--require-uppercase=false to not)")},
		&cli.BoolFlag{Name: flagRequireLowercase, Category: catPolicy(tr), Value: p.RequireLowercase, Usage: tr.T("require a lowercase letter")},
		&cli.BoolFlag{Name: flagRequireNumbers, Category: catPolicy(tr), Value: p.RequireNumbers, Usage: tr.T("require a number")},
		&cli.BoolFlag{Name: flagRequireSymbols, Category: catPolicy(tr), Value: p.RequireSymbols, Usage: tr.T("require a symbol")},
		&cli.BoolFlag{Name: flagAllowUsersToChangePassword, Category: catPolicy(tr), Value: p.AllowUsersToChangePassword, Usage: tr.T("let users change their own password")},
		&cli.BoolFlag{Name: flagHardExpiry, Category: catPolicy(tr), Value: p.HardExpiry, Usage: tr.T("expired passwords can only be reset by an administrator (needs --password-max-age)")},
		&cli.BoolFlag{Name: flagAllowWeakerPasswordPolicy, Category: catPolicy(tr), Usage: tr.T("replace a stricter password policy in force with the one asked for")},

		&cli.BoolFlag{Name: flagDryRun, Category: catMode(tr), Usage: tr.T("show the plan and change nothing (the same as the plan command)")},
		&cli.BoolFlag{Name: flagNonInteractive, Category: catMode(tr), Usage: tr.T("never prompt (the default when stdin or stdout is not a terminal)")},
		&cli.BoolFlag{Name: flagYes, Aliases: []string{"y"}, Category: catMode(tr), Usage: tr.T("apply without asking for confirmation (needed in non-interactive mode)")},
		&cli.BoolFlag{Name: flagDetailedExitcode, Category: catMode(tr), Usage: tr.T("exit 0 with no changes, 2 with changes, 1 on any error")},
		&cli.StringFlag{Name: flagPasswordFile, Category: catMode(tr), Usage: tr.T("write the new temporary password to `PATH` (created with mode 0600; never overwritten)")},
		&cli.StringFlag{Name: flagMFASecretFile, Category: catMode(tr), Usage: tr.T("enroll the MFA device without a person: write its otpauth URI to `PATH` (mode 0600, never overwritten) and compute the codes")},
		&cli.BoolFlag{Name: flagDeleteRootAccessKeys, Category: catMode(tr), Usage: tr.T("when root signs the run, delete root's access keys (the key in use last, after every other step)")},
		&cli.BoolFlag{Name: flagConfirmRequireMFA, Category: catMode(tr), Usage: tr.T("apply the MFA requirement although this run signs as a user it covers, whose session may lack MFA")},
		&cli.BoolFlag{Name: flagShowPassword, Category: catMode(tr), Usage: tr.T("print the new temporary password on stdout (non-interactive mode)")},
	}
}

// decimalInt is an integer flag read as decimal only: the standard
// library's reads a leading 0 as octal (014 would be 12, under CIS's 14).
type decimalInt struct{ n int }

// errNotDecimal is decimalInt's reason; the flag package passes it on as
// text only, after the value it quotes (flagParseError words it).
const errNotDecimal = "not a decimal number"

func (d *decimalInt) Set(s string) error {
	n, err := strconv.ParseInt(s, 10, 0)
	if err != nil {
		return fmt.Errorf("%q is %s", s, errNotDecimal)
	}
	d.n = int(n)
	return nil
}

func (d *decimalInt) String() string { return strconv.Itoa(d.n) }

func allFlags(tr locale.Printer) []cli.Flag {
	return append(append(globalFlags(tr), baselineFlags(tr)...), orgApplyFlags(tr)...)
}

// flags reads flag values wherever on the command line they were given:
// before the command name (app level) or after it. urfave/cli looks a flag up
// in the innermost context that defines it, set or not, so a value given at
// app level would otherwise be shadowed by the command's default.
type flags struct{ c *cli.Context }

func (f flags) at(name string) *cli.Context {
	for _, lc := range f.c.Lineage() {
		if lc.IsSet(name) {
			return lc
		}
	}
	return f.c
}

func (f flags) String(name string) string { return f.at(name).String(name) }
func (f flags) Bool(name string) bool     { return f.at(name).Bool(name) }
func (f flags) Int(name string) int       { return f.at(name).Int(name) }

// IsSet reports whether the flag was given on the command line.
func (f flags) IsSet(name string) bool {
	for _, lc := range f.c.Lineage() {
		if lc.IsSet(name) {
			return true
		}
	}
	return false
}

// specFromFlags builds the Spec from defaults and flags and validates it.
// Validation errors become usage errors naming the flags.
func specFromFlags(f flagValues) (baseline.Spec, error) {
	s := baseline.DefaultSpec()
	s.GroupName = f.String(flagGroup)
	s.UserName = f.String(flagUser)
	s.MFADeviceName = f.String(flagMFADeviceName)
	if !f.IsSet(flagMFADeviceName) {
		// The device is named after the user unless asked otherwise, as in
		// the wizard: another user's device would hold the default name.
		s.MFADeviceName = s.UserName
	}
	s.SkipMFA = f.Bool(flagSkipMFA)
	s.RequireMFA = f.Bool(flagRequireMFA)
	s.AccountAlias = f.String(flagAccountAlias)
	s.SupportRole = f.String(flagSupportRole)
	s.AccessAnalyzer = f.Bool(flagAccessAnalyzer)
	if f.IsSet(flagContactName) || f.IsSet(flagContactTitle) || f.IsSet(flagContactEmail) || f.IsSet(flagContactPhone) {
		s.SecurityContact = &baseline.SecurityContact{Name: f.String(flagContactName), Title: f.String(flagContactTitle),
			Email: f.String(flagContactEmail), Phone: f.String(flagContactPhone)}
	}
	s.ResetPassword = f.Bool(flagResetPassword)
	s.ReenrollMFA = f.Bool(flagReenrollMFA)
	if s.ReenrollMFA && s.SkipMFA {
		return s, newUsageError([]string{flagReenrollMFA, flagSkipMFA}, locale.M("--%s and --%s contradict each other: give one", flagReenrollMFA, flagSkipMFA))
	}
	s.DeleteRootAccessKeys = f.Bool(flagDeleteRootAccessKeys)
	s.AllowWeakerPasswordPolicy = f.Bool(flagAllowWeakerPasswordPolicy)
	s.PasswordPolicy = baseline.PasswordPolicy{
		MinimumLength:              f.Int(flagPasswordMinLength),
		ReusePrevention:            f.Int(flagPasswordReusePrevention),
		MaxAgeDays:                 f.Int(flagPasswordMaxAge),
		RequireUppercase:           f.Bool(flagRequireUppercase),
		RequireLowercase:           f.Bool(flagRequireLowercase),
		RequireNumbers:             f.Bool(flagRequireNumbers),
		RequireSymbols:             f.Bool(flagRequireSymbols),
		AllowUsersToChangePassword: f.Bool(flagAllowUsersToChangePassword),
		HardExpiry:                 f.Bool(flagHardExpiry),
	}
	if err := s.Validate(); err != nil {
		return s, specUsageError(err)
	}
	return s, nil
}

// specUsageError turns Spec.Validate's field errors into one usage error
// that names each flag.
func specUsageError(err error) error {
	var names []string
	var msgs []locale.Msg
	for _, fe := range baseline.FieldErrors(err) {
		fl := fieldFlags[fe.Field]
		if len(fl) == 0 {
			msgs = append(msgs, locale.M("invalid %s %q: %s", fe.Field, fe.Value, fe.Reason))
			continue
		}
		names = append(names, fl...)
		msgs = append(msgs, locale.M("invalid value %q for --%s: %s", fe.Value, fl[0], fe.Reason))
	}
	if len(msgs) == 0 {
		return newUsageError(nil, locale.M("%s", err.Error()))
	}
	return &usageError{flags: names, msgs: msgs}
}

// checkEndpointURL rejects an --endpoint-url that cannot be an HTTP endpoint.
func checkEndpointURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return newUsageError([]string{flagEndpointURL}, locale.M("invalid value %q for --%s: want an http:// or https:// URL, for example https://iam.amazonaws.com", raw, flagEndpointURL))
	}
	return nil
}
