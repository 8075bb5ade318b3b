package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// testNameRule stands in for baseline's IAM name rule: 1-64 characters from
// [A-Za-z0-9+=,.@_-].
func testNameRule(s string) error {
	if len(s) == 0 || len(s) > 64 {
		return errors.New("must be 1 to 64 characters")
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+=,.@_-", r)
		if !ok {
			return fmt.Errorf("%q is not allowed in an IAM name", r)
		}
	}
	return nil
}

func testPolicyRule(p PasswordPolicy) error {
	switch {
	case p.MinimumLength < 6 || p.MinimumLength > 128:
		return errors.New("minimum length must be 6 to 128")
	case p.ReusePrevention < 0 || p.ReusePrevention > 24:
		return errors.New("reuse prevention must be 1 to 24")
	case p.MaxAgeDays < 0 || p.MaxAgeDays > 1095:
		return errors.New("maximum age must be 1 to 1095 days")
	}
	return nil
}

// testPolicies stand in for baseline's presets.
var testPolicies = PolicyQuestion{
	Recommended: PasswordPolicy{MinimumLength: 14, ReusePrevention: 24, RequireUppercase: true, AllowUsersToChangePassword: true},
	AWSDefault:  PasswordPolicy{MinimumLength: 8},
}

func testAnswers() Answers {
	return Answers{Group: Default("admin"), User: Default("administrator"), Policy: Default(testPolicies.Recommended)}
}

var testValidators = Validators{GroupName: testNameRule, UserName: testNameRule, AccountAlias: testNameRule, PasswordPolicy: testPolicyRule}

// accessibleUI answers the wizard from input in huh's accessible mode.
// A strings.Reader on purpose: UI must cope with huh making one scanner per
// field over the same reader.
func accessibleUI(input string) (*UI, *bytes.Buffer) {
	out := &bytes.Buffer{}
	return New(Options{In: strings.NewReader(input), Out: out, Accessible: true, NoColor: true}), out
}

func TestNamesDefaultsAccepted(t *testing.T) {
	ui, out := accessibleUI("\n\n")
	a := testAnswers()
	if err := ui.AskNames(context.Background(), &a, testValidators); err != nil {
		t.Fatalf("AskNames: %v\n%s", err, out)
	}
	if a.Group.Value != "admin" || a.User.Value != "administrator" {
		t.Fatalf("got group %q user %q, want the defaults admin/administrator", a.Group.Value, a.User.Value)
	}
	for _, want := range []string{"Name of the admin group [admin]", "Name of the administrator user [administrator]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

func TestNamesBadNameRejectedThenCorrected(t *testing.T) {
	ui, out := accessibleUI("ops team\nops-team\nroot admin\nalice\n")
	a := testAnswers()
	if err := ui.AskNames(context.Background(), &a, testValidators); err != nil {
		t.Fatalf("AskNames: %v\n%s", err, out)
	}
	if a.Group.Value != "ops-team" || a.User.Value != "alice" {
		t.Fatalf("got group %q user %q, want ops-team/alice", a.Group.Value, a.User.Value)
	}
	if n := strings.Count(out.String(), "' ' is not allowed in an IAM name"); n != 2 {
		t.Errorf("want the rule shown for each of the 2 bad names, saw it %d times:\n%s", n, out)
	}
}

func TestNamesPrefilledSkipsQuestion(t *testing.T) {
	ui, out := accessibleUI("bob\n")
	a := testAnswers()
	a.Group = Prefilled("ops")
	if err := ui.AskNames(context.Background(), &a, testValidators); err != nil {
		t.Fatalf("AskNames: %v", err)
	}
	if a.Group.Value != "ops" || a.User.Value != "bob" {
		t.Fatalf("got group %q user %q, want ops/bob", a.Group.Value, a.User.Value)
	}
	if strings.Contains(out.String(), "admin group") {
		t.Errorf("the group question was asked although --group was given:\n%s", out)
	}

	ui, out = accessibleUI("")
	a.User = Prefilled("carol")
	if err := ui.AskNames(context.Background(), &a, testValidators); err != nil {
		t.Fatalf("AskNames with everything given: %v", err)
	}
	if out.Len() != 0 {
		t.Errorf("nothing should be asked when every name is given, screen:\n%s", out)
	}
}

func TestNamesEndOfInputAborts(t *testing.T) {
	for name, input := range map[string]string{
		"nothing typed":         "",
		"first answered only":   "ops\n",
		"bad name then nothing": "bad name",
	} {
		t.Run(name, func(t *testing.T) {
			ui, out := accessibleUI(input)
			a := testAnswers()
			err := ui.AskNames(context.Background(), &a, testValidators)
			if !errors.Is(err, ErrAborted) {
				t.Fatalf("got %v, want ErrAborted\n%s", err, out)
			}
		})
	}
}

func TestCancelledContextAborts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ui, _ := accessibleUI("\n\n")
	a := testAnswers()
	if err := ui.AskNames(ctx, &a, testValidators); !errors.Is(err, ErrAborted) {
		t.Fatalf("got %v, want ErrAborted", err)
	}
}

// A reader that never answers stands for a terminal nobody types into: Ctrl-C
// (the context) must still end the question.
type silentReader struct{ block chan struct{} }

func (r silentReader) Read([]byte) (int, error) { <-r.block; return 0, errors.New("closed") }

func TestCancelWhileWaitingForAnswer(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	ui := New(Options{In: silentReader{block}, Out: &bytes.Buffer{}, Accessible: true})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		a := testAnswers()
		done <- ui.AskNames(ctx, &a, testValidators)
	}()
	cancel()
	if err := <-done; !errors.Is(err, ErrAborted) {
		t.Fatalf("got %v, want ErrAborted", err)
	}
}

func TestPolicyPresets(t *testing.T) {
	cases := []struct {
		input  string
		preset PolicyPreset
		want   PasswordPolicy
	}{
		{"\n", PresetRecommended, testPolicies.Recommended},
		{"1\n", PresetRecommended, testPolicies.Recommended},
		{"2\n", PresetAWSDefault, testPolicies.AWSDefault},
		{
			// custom: length 20, reuse 5, max age 90, upper y, lower y,
			// numbers y, symbols n, users change y, hard expiry n
			"3\n20\n5\n90\ny\ny\ny\nn\ny\nn\n", PresetCustom,
			PasswordPolicy{MinimumLength: 20, ReusePrevention: 5, MaxAgeDays: 90, RequireUppercase: true,
				RequireLowercase: true, RequireNumbers: true, AllowUsersToChangePassword: true},
		},
		{
			// custom with every default kept, but a 200 refused first
			"3\n200\n\n\n\n\n\n\n\n\n\n", PresetCustom, testPolicies.Recommended,
		},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.input, "\n", "⏎"), func(t *testing.T) {
			ui, out := accessibleUI(c.input)
			a := testAnswers()
			if err := ui.AskPasswordPolicy(context.Background(), &a, testValidators, testPolicies); err != nil {
				t.Fatalf("AskPasswordPolicy: %v\n%s", err, out)
			}
			if a.Preset != c.preset || a.Policy.Value != c.want {
				t.Fatalf("got %s %+v, want %s %+v\n%s", a.Preset, a.Policy.Value, c.preset, c.want, out)
			}
			if strings.Contains(c.input, "200") && !strings.Contains(out.String(), "minimum length must be 6 to 128") {
				t.Errorf("the out-of-range length was not explained:\n%s", out)
			}
		})
	}
}

func TestPolicyNoteShownAndGivenPolicySkips(t *testing.T) {
	ui, out := accessibleUI("\n")
	a := testAnswers()
	note := "The account already requires 16 characters; that stricter value is kept."
	q := testPolicies
	q.Note = note
	if err := ui.AskPasswordPolicy(context.Background(), &a, testValidators, q); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), note) || a.Preset != PresetRecommended {
		t.Fatalf("the note about the existing policy must be shown before the choice:\n%s", out)
	}

	ui, out = accessibleUI("")
	a = testAnswers()
	a.Policy = Prefilled(PasswordPolicy{MinimumLength: 30, AllowUsersToChangePassword: true})
	if err := ui.AskPasswordPolicy(context.Background(), &a, testValidators, testPolicies); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 || a.Policy.Value.MinimumLength != 30 {
		t.Fatalf("a policy given by flags must skip the question: screen %q, policy %+v", out, a.Policy.Value)
	}
}

// yesNoAnswers are the answers to a yes/no question that defaults to no.
var yesNoAnswers = []struct {
	input   string
	want    bool
	wantErr error
}{
	{"y\n", true, nil},
	{"n\n", false, nil},
	{"\n", false, nil}, // the default is no
	{"", false, ErrAborted},
}

func TestConfirmPlan(t *testing.T) {
	plan := "+ admin-group  create group admin\n+ admin-user   create user administrator\n"
	for _, c := range yesNoAnswers {
		t.Run(strings.ReplaceAll(c.input, "\n", "⏎"), func(t *testing.T) {
			ui, out := accessibleUI(c.input)
			got, err := ui.ConfirmPlan(context.Background(), plan, 2)
			if !errors.Is(err, c.wantErr) || got != c.want {
				t.Fatalf("got %v, %v; want %v, %v", got, err, c.want, c.wantErr)
			}
			if !strings.Contains(out.String(), "create user administrator") || !strings.Contains(out.String(), "Apply 2 changes?") {
				t.Errorf("the plan and the question must be on screen:\n%s", out)
			}
		})
	}
}

// TestConfirmAliasReplacement: the question names both aliases and the URL
// that stops working, and defaults to keeping the alias.
func TestConfirmAliasReplacement(t *testing.T) {
	for _, c := range yesNoAnswers {
		t.Run(strings.ReplaceAll(c.input, "\n", "⏎"), func(t *testing.T) {
			ui, out := accessibleUI(c.input)
			got, err := ui.ConfirmAliasReplacement(context.Background(), "acme", "newco", "https://acme.signin.aws.amazon.com/console")
			if !errors.Is(err, c.wantErr) || got != c.want {
				t.Fatalf("got %v, %v; want %v, %v", got, err, c.want, c.wantErr)
			}
			for _, want := range []string{"Replace the account alias acme with newco?", "https://acme.signin.aws.amazon.com/console stops working"} {
				if !strings.Contains(out.String(), want) {
					t.Errorf("%q is not on screen:\n%s", want, out)
				}
			}
		})
	}
}

func TestConfirmRootKeyDeletionNeedsTheKeyTyped(t *testing.T) {
	const key = "AKIAIOSFODNN7EXAMPLE"
	for _, c := range []struct {
		input string
		want  bool
	}{
		{key + "\n", true},
		{"yes\n" + key + "\n", true},
		{"\n", false},
		{"yes\n\n", false},
	} {
		ui, out := accessibleUI(c.input)
		got, err := ui.ConfirmRootKeyDeletion(context.Background(), key, true)
		if err != nil || got != c.want {
			t.Fatalf("input %q: got %v, %v; want %v\n%s", c.input, got, err, c.want, out)
		}
		if strings.HasPrefix(c.input, "yes") && !strings.Contains(out.String(), "that is not "+key) {
			t.Errorf("input %q: a wrong confirmation must be refused with a reason:\n%s", c.input, out)
		}
	}
	ui, _ := accessibleUI("yes")
	if ok, err := ui.ConfirmRootKeyDeletion(context.Background(), key, false); ok || !errors.Is(err, ErrAborted) {
		t.Fatalf("a wrong answer and end of input: got %v, %v; want false, ErrAborted", ok, err)
	}
}

func testSignInURL(alias string) string { return "https://" + alias + ".signin.example/console" }

func TestAccountAlias(t *testing.T) {
	ui, _ := accessibleUI("\n")
	a := testAnswers()
	if err := ui.AskAccountAlias(context.Background(), &a, testValidators, testSignInURL); err != nil || a.AccountAlias.Value != "" {
		t.Fatalf("empty alias: got %q, %v", a.AccountAlias.Value, err)
	}
	ui, out := accessibleUI("my corp\nmy-corp\n")
	if err := ui.AskAccountAlias(context.Background(), &a, testValidators, testSignInURL); err != nil || a.AccountAlias.Value != "my-corp" {
		t.Fatalf("got %q, %v\n%s", a.AccountAlias.Value, err, out)
	}
}

// The custom policy's second page keeps the heading, and the Yes/No buttons
// start in the same column under every question, in English and Korean.
func TestCustomPolicySwitchesAlign(t *testing.T) {
	for _, c := range []struct {
		tr      locale.Printer
		yes, no string
	}{{locale.English, "Yes", "No"}, {locale.New(language.Korean), "예", "아니요"}} {
		u := New(Options{Out: &bytes.Buffer{}, NoColor: true, Tr: c.tr})
		p := PasswordPolicy{}
		if view := ansi.Strip(u.customPolicySwitches(&p).View()); !strings.Contains(view, u.customPolicyTitle()) {
			t.Errorf("%v: the page lost its heading:\n%s", c.tr.Tag(), view)
		}
		cols := map[int]bool{}
		var views []string
		for _, f := range u.customPolicySwitchFields(&p) {
			view := ansi.Strip(f.View()) // no width set: as the wizard draws it
			views = append(views, view)
			for _, line := range strings.Split(view, "\n") {
				if i := strings.Index(line, c.yes); i >= 0 && strings.Contains(line, c.no) {
					cols[locale.Width(line[:i])] = true
				}
			}
		}
		if len(cols) != 1 {
			t.Errorf("%v: the buttons start in %d different columns:\n%s", c.tr.Tag(), len(cols), strings.Join(views, "\n"))
		}
	}
}
