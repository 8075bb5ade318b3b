package prompt

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/huh"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// AskNames asks for the admin group and user names that were not given,
// checking each as it is typed.
func (u *UI) AskNames(ctx context.Context, a *Answers, v Validators) error {
	group, user := a.Group.Value, a.User.Value
	var fields []huh.Field
	if !a.Group.Given {
		fields = append(fields, u.nameInput(u.tr.T("Name of the admin group"),
			u.tr.T("Gets the AWS-managed AdministratorAccess policy."), &group, v.GroupName))
	}
	if !a.User.Given {
		fields = append(fields, u.nameInput(u.tr.T("Name of the administrator user"),
			u.tr.T("Signs in to the console instead of root; member of the admin group."), &user, v.UserName))
	}
	if len(fields) == 0 {
		return nil
	}
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(fields...))); err != nil {
		return err
	}
	// huh's accessible mode can finish with a refused value still bound;
	// never let one through.
	if err := accept(v.GroupName)(group); err != nil {
		return locale.Wrap(locale.M("group name %q: %s", group, err), err)
	}
	if err := accept(v.UserName)(user); err != nil {
		return locale.Wrap(locale.M("user name %q: %s", user, err), err)
	}
	a.Group.Value, a.User.Value = group, user
	u.recap(u.tr.T("Group %s, user %s", group, user))
	return nil
}

// AskAccountAlias offers to create an account alias (optional; empty keeps
// the account ID in the sign-in URL). signInURL shows the URL an alias gives.
func (u *UI) AskAccountAlias(ctx context.Context, a *Answers, v Validators, signInURL func(alias string) string) error {
	if a.AccountAlias.Given {
		return nil
	}
	alias := a.AccountAlias.Value
	check := u.worded(func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return accept(v.AccountAlias)(s)
	})
	typed := &sharedString{v: &alias}
	input := huh.NewInput().
		Title(u.titleWithDefault(u.tr.T("Account alias (optional)"), alias)).
		Accessor(typed).
		Validate(check).
		DescriptionFunc(func() string {
			alias := typed.Get()
			if err := check(alias); err != nil {
				return "✗ " + err.Error()
			}
			if strings.TrimSpace(alias) == "" {
				return u.tr.T("Leave empty to keep the account ID in the sign-in URL.")
			}
			return u.tr.T("IAM users will sign in at %s", signInURL(alias))
		}, &alias)
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(input))); err != nil {
		return err
	}
	alias = strings.TrimSpace(alias)
	if err := check(alias); err != nil {
		return locale.Wrap(locale.M("account alias %q: %s", alias, err), err)
	}
	a.AccountAlias.Value = alias
	if alias != "" {
		u.recap(u.tr.T("Account alias %s", alias))
	}
	return nil
}

func (u *UI) nameInput(title, help string, value *string, validate func(string) error) *huh.Input {
	check := u.worded(accept(validate))
	typed := &sharedString{v: value}
	return huh.NewInput().
		Title(u.titleWithDefault(title, *value)).
		Accessor(typed).
		Validate(u.emptyKeeps(*value, check)).
		DescriptionFunc(func() string {
			if err := check(typed.Get()); err != nil {
				return "✗ " + err.Error()
			}
			return help
		}, value)
}

// sharedString binds an input's value for a DescriptionFunc to read: huh
// calls those functions on a goroutine of their own while keystrokes set the
// value on the form's, so a plain pointer would be a data race.
type sharedString struct {
	mu sync.Mutex
	v  *string
}

func (s *sharedString) Get() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.v
}

func (s *sharedString) Set(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	*s.v = v
}

// recap leaves a line saying what was answered: huh clears a finished form
// from the screen. Accessible mode keeps the typed answers, so it needs none.
func (u *UI) recap(text string) {
	if !u.accessible {
		u.println(textwrap.Hanging(u.styles.good.Render("✓")+" ", "  ", text, u.term.width(80)-1))
	}
}

// titleWithDefault shows the default in the title in accessible mode, where
// huh prints no pre-filled text: Enter on an empty line keeps it.
func (u *UI) titleWithDefault(title, def string) string {
	if u.accessible && def != "" {
		return fmt.Sprintf("%s [%s]", title, def)
	}
	return title
}

// emptyKeeps adapts a check to huh's accessible mode, which validates the
// typed line before an empty one falls back to the default: there, an empty
// line means "keep def" and def is what gets checked.
func (u *UI) emptyKeeps(def string, check func(string) error) func(string) error {
	if !u.accessible {
		return check
	}
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			s = def
		}
		return check(s)
	}
}

// worded gives check's errors in the operator's language: huh shows a
// validation error by its Error().
func (u *UI) worded(check func(string) error) func(string) error {
	return func(s string) error {
		if err := check(s); err != nil {
			return errors.New(u.tr.Err(err))
		}
		return nil
	}
}

// accept turns a nil validator into one that accepts everything.
func accept(validate func(string) error) func(string) error {
	if validate == nil {
		return func(string) error { return nil }
	}
	return validate
}

// AskPasswordPolicy asks for the password policy preset, and for every field
// when the operator picks custom (starting from the recommended values).
func (u *UI) AskPasswordPolicy(ctx context.Context, a *Answers, v Validators, q PolicyQuestion) error {
	if a.Policy.Given {
		a.Preset = PresetCustom
		return nil
	}
	preset := a.Preset
	if preset == "" {
		preset = PresetRecommended
	}
	description := u.tr.T("The account password policy applies to every IAM user's console password.")
	if q.Note != "" {
		description += "\n" + q.Note
	}
	if u.accessible && q.Note != "" {
		// The accessible choice prints no description.
		u.println(q.Note)
	}
	options := []huh.Option[PolicyPreset]{
		huh.NewOption(u.tr.T("Recommended: %s", policySummary(u.tr, q.Recommended)), PresetRecommended),
		huh.NewOption(u.tr.T("AWS default: %s", policySummary(u.tr, q.AWSDefault)), PresetAWSDefault),
		huh.NewOption(u.tr.T("Custom: choose each setting"), PresetCustom),
	}
	if u.accessible {
		if err := chooseByNumber(ctx, u, u.tr.T("Password policy"), options, &preset); err != nil {
			return err
		}
	} else {
		choice := huh.NewSelect[PolicyPreset]().Title(u.tr.T("Password policy")).Description(description).
			Options(options...).Value(&preset)
		if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(choice))); err != nil {
			return err
		}
	}
	a.Preset = preset
	switch preset {
	case PresetRecommended:
		a.Policy.Value = q.Recommended
	case PresetAWSDefault:
		a.Policy.Value = q.AWSDefault
	case PresetCustom:
		if err := u.askCustomPolicy(ctx, a, v, q.Recommended); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown password policy preset %q", preset)
	}
	u.recap(u.tr.T("Password policy: %s", policySummary(u.tr, a.Policy.Value)))
	return nil
}

// chooseByNumber is a choice in accessible mode: the options numbered, one
// a line, and a number typed. huh's own accessible select says its prompt
// and its errors in English only.
func chooseByNumber[T comparable](ctx context.Context, u *UI, title string, options []huh.Option[T], value *T) error {
	u.println(title)
	def := 1
	for i, o := range options {
		// Wrapped under the label's first word, as a list item.
		number := fmt.Sprintf("%d. ", i+1)
		u.println(textwrap.Hanging(number, strings.Repeat(" ", len(number)), o.Key, u.term.Width))
		if o.Value == *value {
			def = i + 1
		}
	}
	typed := strconv.Itoa(def)
	check := func(s string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < 1 || n > len(options) {
			return errors.New(u.tr.T("enter a number between %d and %d", 1, len(options)))
		}
		return nil
	}
	input := huh.NewInput().Title(u.titleWithDefault(u.tr.T("Enter a number between %d and %d:", 1, len(options)), typed)).
		Value(&typed).Validate(u.emptyKeeps(typed, check))
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(input))); err != nil {
		return err
	}
	if strings.TrimSpace(typed) == "" {
		typed = strconv.Itoa(def)
	}
	if err := check(typed); err != nil {
		return err
	}
	n, _ := strconv.Atoi(strings.TrimSpace(typed))
	*value = options[n-1].Value
	return nil
}

func (u *UI) askCustomPolicy(ctx context.Context, a *Answers, v Validators, recommended PasswordPolicy) error {
	p := a.Policy.Value
	if p.MinimumLength == 0 {
		p = recommended
	}
	minLength, reuse, maxAge := strconv.Itoa(p.MinimumLength), strconv.Itoa(p.ReusePrevention), strconv.Itoa(p.MaxAgeDays)
	fieldCheck := func(set func(*PasswordPolicy, int), zeroMeansOff bool) func(string) error {
		return u.worded(func(s string) error {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil {
				return locale.Wrap(locale.M("enter a whole number"), nil)
			}
			if zeroMeansOff && n == 0 || v.PasswordPolicy == nil {
				return nil
			}
			probe := recommended
			set(&probe, n)
			return v.PasswordPolicy(probe)
		})
	}
	checkMin := fieldCheck(func(p *PasswordPolicy, n int) { p.MinimumLength = n }, false)
	checkReuse := fieldCheck(func(p *PasswordPolicy, n int) { p.ReusePrevention = n }, true)
	checkAge := fieldCheck(func(p *PasswordPolicy, n int) { p.MaxAgeDays = n }, true)
	numberInput := func(title, help string, value *string, check func(string) error) *huh.Input {
		typed := &sharedString{v: value}
		return huh.NewInput().Title(u.titleWithDefault(title, *value)).Accessor(typed).Validate(u.emptyKeeps(*value, check)).
			DescriptionFunc(func() string {
				if err := check(typed.Get()); err != nil {
					return "✗ " + err.Error()
				}
				return help
			}, value)
	}
	form := huh.NewForm(
		huh.NewGroup(
			numberInput(u.tr.T("Minimum password length"), u.tr.T("6 to 128 characters."), &minLength, checkMin),
			numberInput(u.tr.T("Passwords remembered (reuse prevention)"), u.tr.T("1 to 24; 0 turns it off."), &reuse, checkReuse),
			numberInput(u.tr.T("Maximum password age in days"), u.tr.T("1 to 1095; 0 means passwords never expire."), &maxAge, checkAge),
		).Title(u.customPolicyTitle()),
		u.customPolicySwitches(&p),
	)
	if err := u.runForm(ctx, form); err != nil {
		return err
	}
	for _, f := range []struct {
		name  locale.Msg
		text  string
		check func(string) error
		dst   *int
	}{
		{locale.M("minimum password length"), minLength, checkMin, &p.MinimumLength},
		{locale.M("reuse prevention"), reuse, checkReuse, &p.ReusePrevention},
		{locale.M("maximum password age"), maxAge, checkAge, &p.MaxAgeDays},
	} {
		if err := f.check(f.text); err != nil {
			return locale.Wrap(locale.M("%s %q: %s", f.name, f.text, err), err)
		}
		*f.dst, _ = strconv.Atoi(strings.TrimSpace(f.text))
	}
	a.Policy.Value = p
	if v.PasswordPolicy != nil {
		if err := v.PasswordPolicy(p); err != nil {
			// A rule across fields (hard expiry needs a maximum age):
			// say so and ask again, starting from what was typed.
			u.println(u.styles.bad.Render("✗ ") + u.tr.Err(err))
			return u.askCustomPolicy(ctx, a, v, recommended)
		}
	}
	return nil
}

// customPolicyTitle heads both pages of the custom policy, so the second
// does not lose it.
func (u *UI) customPolicyTitle() string { return u.tr.T("Custom password policy") }

// customPolicySwitches is the custom policy's second page: its yes/no
// questions, their buttons at the left edge under every question (huh
// centres them under each title, so they moved with its length).
func (u *UI) customPolicySwitches(p *PasswordPolicy) *huh.Group {
	return huh.NewGroup(u.customPolicySwitchFields(p)...).Title(u.customPolicyTitle())
}

func (u *UI) customPolicySwitchFields(p *PasswordPolicy) []huh.Field {
	return []huh.Field{
		u.yesNo(u.tr.T("Require an uppercase letter?"), &p.RequireUppercase),
		u.yesNo(u.tr.T("Require a lowercase letter?"), &p.RequireLowercase),
		u.yesNo(u.tr.T("Require a number?"), &p.RequireNumbers),
		u.yesNo(u.tr.T("Require a symbol?"), &p.RequireSymbols),
		u.yesNo(u.tr.T("Allow users to change their own password?"), &p.AllowUsersToChangePassword),
		u.yesNo(u.tr.T("Block expired passwords until an administrator resets them (hard expiry)?"), &p.HardExpiry),
	}
}

// confirm is a yes/no question with its buttons in the operator's language.
func (u *UI) confirm(title string) *huh.Confirm {
	return huh.NewConfirm().Title(title).Affirmative(u.tr.T("Yes")).Negative(u.tr.T("No"))
}

// ShowPlan shows the rendered plan.
func (u *UI) ShowPlan(planText string) {
	u.println("")
	u.println(u.styles.heading.Render(u.tr.T("The plan")))
	u.println(strings.TrimRight(planText, "\n"))
	u.println("")
}

// Note shows one line of information.
func (u *UI) Note(text string) { u.println(text) }

// ConfirmPlan shows the rendered plan and asks once whether to apply it. The
// answer defaults to no.
func (u *UI) ConfirmPlan(ctx context.Context, planText string, pending int) (bool, error) {
	u.ShowPlan(planText)
	apply := false
	confirm := huh.NewConfirm().Title(u.tr.T("Apply %d change(s)?", pending)).
		Description(u.tr.T("Nothing is changed until you say yes.")).
		Affirmative(u.tr.T("Apply")).Negative(u.tr.T("Cancel")).
		Value(&apply)
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(confirm))); err != nil {
		return false, err
	}
	return apply, nil
}

// ConfirmAliasReplacement asks whether the alias asked for may replace the
// account's current one. The answer defaults to no: the old sign-in URL, which
// people may have bookmarked, stops working.
func (u *UI) ConfirmAliasReplacement(ctx context.Context, current, asked, currentURL string) (bool, error) {
	replace := false
	// On screen before the question, as accessible mode shows no
	// description.
	u.println(u.tr.T("An account has one alias: replacing it, %s stops working for everyone.", currentURL))
	confirm := huh.NewConfirm().
		Title(u.tr.T("Replace the account alias %s with %s?", current, asked)).
		Affirmative(u.tr.T("Replace")).Negative(u.tr.T("Keep %s", current)).
		Value(&replace)
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(confirm))); err != nil {
		return false, err
	}
	if !replace {
		u.recap(u.tr.T("Account alias %s kept", current))
	}
	return replace, nil
}

// ConfirmRootKeyDeletion asks the operator to type the ID of the root access
// key before it is deleted. inUse says that this key signs the current run:
// once it is gone, root can only sign in with its password. An empty answer
// keeps the key.
func (u *UI) ConfirmRootKeyDeletion(ctx context.Context, keyID string, inUse bool) (bool, error) {
	typed := ""
	check := func(s string) error {
		s = strings.TrimSpace(s)
		if s == "" || s == keyID {
			return nil
		}
		return errors.New(u.tr.T("that is not %s; type it exactly, or leave empty to keep the key", keyID))
	}
	description := u.tr.T("Root access keys are the most dangerous credential an account can have.")
	if inUse {
		description = u.tr.T("This key signs the current run: it is deleted last, once every other step " +
			"succeeded. Then sign in as the new administrator user, or as root with its password " +
			"(AWS CloudShell needs no key).")
	}
	input := huh.NewInput().
		Title(u.tr.T("Type %s to delete this root access key (empty keeps it)", keyID)).
		Description(description).
		Value(&typed).
		Validate(check)
	if err := u.runForm(ctx, huh.NewForm(huh.NewGroup(input))); err != nil {
		return false, err
	}
	typed = strings.TrimSpace(typed)
	if err := check(typed); err != nil {
		return false, err
	}
	return typed == keyID, nil
}

// AskYesNo asks one yes/no question with a one-line why; value holds the
// default and receives the answer.
func (u *UI) AskYesNo(ctx context.Context, title, why string, value *bool) error {
	confirm := u.confirm(title).Description(why).Value(value)
	return u.runForm(ctx, huh.NewForm(huh.NewGroup(confirm)))
}
