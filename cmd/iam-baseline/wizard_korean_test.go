package main

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// The whole wizard in Korean, with a wrong answer at every question that
// checks one: the questions, their help, the buttons and the validation
// messages (baseline's rules, worded by the prompt) are Korean, and none of
// the English is left.
func TestWizardInKorean(t *testing.T) {
	h := newWizardHarness(t)
	h.tr = locale.New(language.Korean)
	input := strings.Join([]string{
		"ops team", "admin", // group: a space is refused
		"",       // user: the default
		"ab", "", // alias: too short, then none
		"5", "3", // policy: no such choice, then custom
		"abc", "200", "14", // minimum length: not a number, too long, then 14
		"99", "24", // reuse prevention: too many, then 24
		"",                     // maximum age: the default
		"", "", "", "", "", "", // the switches: defaults
		"",     // require MFA: yes
		"", "", // opt-ins: no support role, no analyzer
		"", "", "not-an-email", "", "", // contact: a bad e-mail refused, then none
		"AKIAWRONG", "", // the root key: a wrong ID, then kept
		"y", "y", // apply; password saved
	}, "\n") + "\n"
	if _, err := h.run(context.Background(), input, skipMFA()); err != nil {
		t.Fatalf("wizard: %v\n%s", err, h.screen)
	}
	screen := h.screen.String()
	for _, want := range []string{
		"관리자 그룹 이름 [admin]", "관리자 IAM 사용자 이름 [administrator]", "계정 별칭(선택 사항)",
		"' ' 문자가 있습니다. IAM에서는 영문자, 숫자와 + = , . @ _ - 만 허용합니다",
		"3자에서 63자 사이여야 합니다",
		"비밀번호 정책", "권장: 14자 이상", "사용자 지정: 설정을 하나씩 선택",
		"1에서 3 사이의 번호를 입력합니다: [1]", "1에서 3 사이의 번호를 입력해야 합니다",
		"최소 비밀번호 길이 [14]", "정수를 입력해야 합니다", "6에서 128 사이여야 합니다",
		"1에서 24 사이이거나, 재사용을 막지 않으려면 0이어야 합니다",
		"대문자(A-Z)를 하나 이상 포함하도록 하시겠습니까?",
		"\"admin\" 그룹의 사용자에게 MFA를 요구하시겠습니까?",
		"이 루트 액세스 키를 삭제하려면 " + iamsim.DefaultRootAccessKeyID + "을(를) 입력합니다",
		iamsim.DefaultRootAccessKeyID + "와(과) 다릅니다",
		"변경 사항 4개를 적용하시겠습니까?",
		"보안 연락처 이메일(팀 주소) security@example.com 같은 이메일 주소여야 합니다",
	} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	for _, english := range []string{"Name of the admin group", "Account alias", "Password policy", "Require MFA", "must be", "contains", "Apply 4", "enter a whole number", "Enter a number", "Type " + iamsim.DefaultRootAccessKeyID} {
		if strings.Contains(screen, english) {
			t.Errorf("screen still says %q in English:\n%s", english, screen)
		}
	}
}

// The wizard stopped before any change says so in the operator's language
// where the run ends, with the interrupted exit code.
func TestWizardStoppedInKorean(t *testing.T) {
	r := runCLI(t, "demo", "--lang", "ko") // input ends at the first question
	if r.code != ExitInterrupted {
		t.Fatalf("exit %d, want %d:\n%s", r.code, ExitInterrupted, r.stderr)
	}
	if !strings.Contains(r.stderr, "마법사를 중단했습니다. 아무것도 변경하지 않았습니다") || strings.Contains(r.stderr, "nothing was changed") {
		t.Errorf("the stop is not said in Korean:\n%s", r.stderr)
	}
}

// Flag mode shares the wizard's rules: the same reason is Korean after
// --lang ko and, byte for byte, the English it always was without it (a
// limit such as 1095 keeps its bare digits).
func TestValidationReasonsInKorean(t *testing.T) {
	en := runCLI(t, "plan", "--password-max-age", "2000")
	if want := `iam-baseline: invalid value "2000" for --password-max-age: must be between 1 and 1095 days, or 0 for passwords that never expire` + "\n"; !strings.HasPrefix(en.stderr, want) {
		t.Errorf("English changed:\n%s", en.stderr)
	}
	ko := runCLI(t, "plan", "--group", "ops team", "--lang", "ko")
	if want := `' ' 문자가 있습니다. IAM에서는 영문자, 숫자와 + = , . @ _ - 만 허용합니다`; ko.code != ExitUsage || !strings.Contains(ko.stderr, want) {
		t.Errorf("exit %d, the Korean reason is missing:\n%s", ko.code, ko.stderr)
	}
}
