package prompt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

func TestAskMFACodes(t *testing.T) {
	// a short code, a code with a letter, then a valid one; the same code
	// again as the second, then the next one.
	ui, out := accessibleUI("12345\n12a456\n123456\n123456\n654321\n")
	codes, err := ui.MFASource().Codes(context.Background(), mfa.CodeRequest{Attempt: 1, MaxAttempts: 3})
	first, second := codes.First, codes.Second
	if err != nil {
		t.Fatalf("AskMFACodes: %v\n%s", err, out)
	}
	if first.Reveal() != "123456" || second.Reveal() != "654321" {
		t.Fatalf("got %q %q, want 123456 654321", first.Reveal(), second.Reveal())
	}
	for _, want := range []string{"got 5 characters", "only digits", "the two MFA codes are the same"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

func TestAskMFACodesExplainsRetryAndAborts(t *testing.T) {
	ui, out := accessibleUI("123456\n")
	_, err := ui.MFASource().Codes(context.Background(), mfa.CodeRequest{Attempt: 2, MaxAttempts: 3, Refused: errors.New("they must be consecutive")})
	if !errors.Is(err, io.EOF) {
		t.Fatalf("end of input before the second code: got %v, want io.EOF", err)
	}
	if !strings.Contains(out.String(), "they must be consecutive") {
		t.Errorf("the reason for asking again is not shown:\n%s", out)
	}
}

func TestMFASourcePresentsQRAndSecret(t *testing.T) {
	seed := secret.New("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	en := mfa.Enrollment{
		UserName: "administrator", Issuer: mfa.DefaultIssuer, AccountName: "administrator@123456789012",
		Seed: seed, URI: mfa.BuildURI(mfa.DefaultIssuer, "administrator@123456789012", seed),
	}
	out := &bytes.Buffer{}
	ui := New(Options{Out: out, NoColor: true})
	if err := ui.MFASource().Present(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	screen := out.String()
	for _, want := range []string{"administrator@123456789012", "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP", "█"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.Contains(screen, "otpauth://") {
		t.Errorf("the URI belongs in the QR code only:\n%s", screen)
	}

	// Accessible mode: text a screen reader can read, one fact a line,
	// and no block or box drawing.
	ui, out = accessibleUI("")
	if err := ui.MFASource().Present(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	screen = out.String()
	for _, want := range []string{"\nKey: JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP\n", "\nIssuer: " + mfa.DefaultIssuer + "\n",
		"\nAccount: administrator@123456789012\n", en.URI.Reveal() + "\n"} {
		if !strings.Contains(screen, want) {
			t.Errorf("accessible screen lacks %q:\n%s", want, screen)
		}
	}
	if strings.ContainsAny(screen, "█▀▄─│╭╮╰╯┌┐└┘") {
		t.Errorf("accessible screen draws blocks or boxes:\n%s", screen)
	}
}

// A terminal too short for the QR code and the code prompt says what to do
// and what stays in the scrollback.
func TestShortTerminalSaysWhatToDo(t *testing.T) {
	seed := secret.New("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	en := mfa.Enrollment{Issuer: mfa.DefaultIssuer, AccountName: "administrator@123456789012",
		Seed: seed, URI: mfa.BuildURI(mfa.DefaultIssuer, "administrator@123456789012", seed)}
	out := &bytes.Buffer{}
	ui := New(Options{Out: out, NoColor: true, Terminal: Terminal{IsTerminal: true, Width: 80, Height: 24}})
	if err := ui.MFASource().Present(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(out.String()), " ")
	for _, want := range []string{"Enlarge the window", "type the key shown under the QR code", "stay in this terminal's scrollback"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the short terminal is not told %q:\n%s", want, out)
		}
	}
}

func TestMFASourceCodes(t *testing.T) {
	refused := fmt.Errorf("%w: enter two consecutive codes", mfa.ErrCodesRejected)
	ui, out := accessibleUI("111111\n222222\n")
	codes, err := ui.MFASource().Codes(context.Background(), mfa.CodeRequest{Attempt: 2, MaxAttempts: 3, Refused: refused})
	if err != nil || codes.First.Reveal() != "111111" || codes.Second.Reveal() != "222222" {
		t.Fatalf("got %q %q %v", codes.First.Reveal(), codes.Second.Reveal(), err)
	}
	if !strings.Contains(out.String(), "enter two consecutive codes (try 2 of 3)") {
		t.Errorf("the reason for asking again is not shown:\n%s", out)
	}

	// End of input is io.EOF, a cancelled context its error: both make
	// mfa.Enroll delete the device.
	ui, _ = accessibleUI("111111\n")
	if _, err := ui.MFASource().Codes(context.Background(), mfa.CodeRequest{Attempt: 1, MaxAttempts: 3}); !errors.Is(err, io.EOF) {
		t.Errorf("end of input: got %v, want io.EOF", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ui, _ = accessibleUI("111111\n222222\n")
	if _, err := ui.MFASource().Codes(ctx, mfa.CodeRequest{Attempt: 1, MaxAttempts: 3}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}

func TestShowFoundWarnsAboutRootKey(t *testing.T) {
	found := Found{
		AccountID: "123456789012", Partition: "aws", CallerARN: "arn:aws:iam::123456789012:root",
		CallerIsRoot: true, RootKeyInUse: true,
		Findings: []Finding{{Text: "root has 1 access key"}, {Text: "root MFA is not enabled"}},
	}
	ui, out := accessibleUI("")
	ui.ShowFound(found)
	for _, want := range []string{"123456789012", "(root user)", "✗ root has 1 access key", "AWS CloudShell", "Alias      (none)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
	found.RootKeyInUse, found.CallerIsRoot = false, false
	found.CallerARN = "arn:aws:iam::123456789012:user/ops"
	ui, out = accessibleUI("")
	ui.ShowFound(found)
	if strings.Contains(out.String(), "CloudShell") || !strings.Contains(out.String(), "(IAM principal)") {
		t.Errorf("an IAM caller gets no root-key warning:\n%s", out)
	}
}

func TestClosingCardShowsPasswordOnceAndWaits(t *testing.T) {
	card := ClosingCard{
		SignInURL: "https://123456789012.signin.aws.amazon.com/console",
		UserName:  "administrator",
		Password:  secret.New("Tmp-Pa55word-xyz-0123"),
		Changed:   []string{"group admin created"},
		Manual: []ManualStep{{
			Title: "Enable MFA for the root user", ConsolePath: "IAM > Security credentials > Assign MFA device",
		}},
	}
	// "not yet" first: the card must ask again rather than move on.
	ui, out := accessibleUI("n\ny\n")
	if err := ui.ShowClosingCard(context.Background(), card); err != nil {
		t.Fatalf("ShowClosingCard: %v", err)
	}
	screen := out.String()
	if n := strings.Count(screen, "Tmp-Pa55word-xyz-0123"); n != 1 {
		t.Errorf("the password must be shown exactly once, saw it %d times:\n%s", n, screen)
	}
	if strings.Contains(screen, "next screen") {
		t.Errorf("the card stays in the scrollback after the password screen: it must not promise a next screen:\n%s", screen)
	}
	for _, want := range []string{card.SignInURL, "administrator", "It cannot be shown again", "Enable MFA for the root user", "IAM > Security credentials"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
	// Accessible mode draws no box: a screen reader would read its border.
	if strings.ContainsAny(screen, "─│╭╮╰╯┌┐└┘") {
		t.Errorf("accessible mode draws a box:\n%s", screen)
	}

	card.Password = secret.Value{}
	ui, out = accessibleUI("")
	if err := ui.ShowClosingCard(context.Background(), card); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Have you saved") || !strings.Contains(out.String(), "unchanged") {
		t.Errorf("without a new password there is nothing to save:\n%s", out)
	}
}

func TestProgressLines(t *testing.T) {
	ui, out := accessibleUI("")
	ui.StepStarted("Create group admin")
	ui.StepDone("Create group admin", "created")
	ui.StepStarted("Password policy")
	ui.StepFailed("Password policy", errors.New("access denied"))
	want := []string{"… Create group admin", "✓ Create group admin: created", "… Password policy", "✗ Password policy: access denied"}
	got := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(got) != len(want) {
		t.Fatalf("got lines %q, want %q", got, want)
	}
	for i := range want {
		if strings.TrimSpace(got[i]) != want[i] {
			t.Errorf("line %d: got %q, want %q", i, strings.TrimSpace(got[i]), want[i])
		}
	}
}

// Apply overlaps steps: an event that arrives while the MFA screen waits for
// codes must not be drawn over it, but after it.
func TestProgressHeldDuringMFAScreen(t *testing.T) {
	seed := secret.New("JBSWY3DPEHPK3PXP")
	en := mfa.Enrollment{AccountName: "administrator@123456789012", Seed: seed, URI: mfa.BuildURI("AWS", "a", seed)}
	ui, out := accessibleUI("111111\n222222\n")
	src := ui.MFASource()
	if err := src.Present(context.Background(), en); err != nil {
		t.Fatal(err)
	}
	ui.StepDone("Account password policy", "updated")
	if strings.Contains(out.String(), "Account password policy") {
		t.Fatalf("progress was drawn while the MFA screen was up:\n%s", out)
	}
	if _, err := src.Codes(context.Background(), mfa.CodeRequest{Attempt: 1, MaxAttempts: 3}); err != nil {
		t.Fatal(err)
	}
	screen := out.String()
	codes, policy := strings.Index(screen, "Next code"), strings.Index(screen, "✓ Account password policy: updated")
	if codes < 0 || policy < codes {
		t.Fatalf("the held progress line must follow the code prompts:\n%s", screen)
	}
}

// TestCardFollowsTheTerminalDecidedOnce: the width comes from the Terminal
// the caller decided, not from asking the writer again; text wraps at
// spaces, and a word too long for the terminal (an ARN) stays whole.
func TestCardFollowsTheTerminalDecidedOnce(t *testing.T) {
	const arn = "arn:aws:iam::123456789012:user/someone-with-a-rather-long-name"
	for _, width := range []int{50, 90} {
		out := &bytes.Buffer{}
		ui := New(Options{In: strings.NewReader(""), Out: out, NoColor: true, Terminal: Terminal{Width: width}})
		ui.ShowFound(Found{AccountID: "123456789012", Partition: "aws", CallerARN: arn})
		widest := 0
		for _, line := range strings.Split(out.String(), "\n") {
			widest = max(widest, lipgloss.Width(line))
		}
		if !strings.Contains(out.String(), arn) {
			t.Errorf("terminal of %d columns: the ARN was split:\n%s", width, out)
		}
		if want := max(width, len(arn)+6); widest != want {
			t.Errorf("terminal of %d columns: the card is %d wide, want %d:\n%s", width, widest, want, out)
		}
	}
}

// TestCardKeepsBordersWithHangul: Hangul takes two cells; the closing card
// holding Korean keeps every line of its box the same display width at
// 80 and 120 columns, and wraps only at spaces (no Korean word is split).
func TestCardKeepsBordersWithHangul(t *testing.T) {
	changed := []string{
		"admin 그룹을 만들었습니다",
		"admin 그룹에 arn:aws:iam::aws:policy/AdministratorAccess 정책을 연결했습니다",
		"administrator 사용자의 콘솔 비밀번호를 만들었습니다(첫 로그인 시 비밀번호 변경 필요)",
	}
	manual := ManualStep{
		Title: "루트 사용자 MFA: 루트 사용자에게 MFA가 없습니다. AWS는 활성화하는 API를 제공하지 않으며 콘솔에서만 할 수 있습니다",
		Steps: []string{"https://console.aws.amazon.com/에 루트 사용자로 로그인합니다", "계정 메뉴 > 보안 자격 증명 > 멀티 팩터 인증(MFA)을 엽니다"},
	}
	for _, width := range []int{80, 120} {
		out := &bytes.Buffer{}
		ui := New(Options{In: strings.NewReader(""), Out: out, NoColor: true, Terminal: Terminal{Width: width},
			Tr: locale.New(language.Korean)})
		card := ClosingCard{SignInURL: "https://acme.signin.aws.amazon.com/console", UserName: "administrator",
			PasswordNote: "아직 설정되지 않았습니다", Changed: changed, Manual: []ManualStep{manual}}
		if err := ui.ShowClosingCard(context.Background(), card); err != nil {
			t.Fatal(err)
		}
		var box []string
		for _, line := range strings.Split(out.String(), "\n") {
			if strings.HasPrefix(line, "╭") || strings.HasPrefix(line, "│") || strings.HasPrefix(line, "╰") {
				box = append(box, line)
			}
		}
		if len(box) < 10 {
			t.Fatalf("%d columns: no box drawn:\n%s", width, out)
		}
		for _, line := range box {
			if lipgloss.Width(line) != lipgloss.Width(box[0]) {
				t.Errorf("%d columns: line %q is %d cells wide, the box %d", width, line, lipgloss.Width(line), lipgloss.Width(box[0]))
			}
		}
		if lipgloss.Width(box[0]) > width {
			t.Errorf("%d columns: the box is %d wide", width, lipgloss.Width(box[0]))
		}
		words := strings.Fields(strings.Join(append(append(changed, manual.Title), manual.Steps...), " "))
		words = append(words, "완료", "IAM 사용자 로그인 링크", "직접 해야 할 일")
		text := out.String()
		for _, w := range words {
			if !strings.Contains(text, w) {
				t.Errorf("%d columns: the word %q was split:\n%s", width, w, text)
			}
		}
	}
}

// TestMFACodesInKorean: the two code prompts use the console's words,
// 인증 코드 1 and 인증 코드 2.
// A refused pair and the codes' validation are said in Korean too.
func TestMFACodesInKorean(t *testing.T) {
	out := &bytes.Buffer{}
	ui := New(Options{In: strings.NewReader("12345\n123456\n123456\n654321\n"), Out: out, Accessible: true, NoColor: true, Tr: locale.New(language.Korean)})
	refused := mfa.CheckCodes(mfa.Codes{First: secret.New("111111"), Second: secret.New("111111")})
	if _, err := ui.MFASource().Codes(context.Background(), mfa.CodeRequest{Attempt: 2, MaxAttempts: 3, Refused: refused}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"인증 코드 1", "인증 코드 2",
		"MFA 코드는 숫자 6자리입니다. 5자를 입력했습니다",
		"! 두 MFA 코드가 같습니다. 앱에 새 코드가 표시될 때까지 기다린 다음",
		"(2/3번째 시도)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("screen lacks %q:\n%s", want, out)
		}
	}
}

// The banner's text wraps at words, and every line of it starts in the
// column after the title, at any width.
func TestBannerLinesAlign(t *testing.T) {
	for _, width := range []int{40, 80, 120} {
		out := &bytes.Buffer{}
		ui := New(Options{Out: out, NoColor: true, Terminal: Terminal{Width: width}})
		text := "A simulated AWS account on this machine (http://127.0.0.1:43210). Nothing leaves the machine; everything created here is gone when the demo ends."
		ui.Banner(" SANDBOX ", text)
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		col := strings.Index(lines[0], "A simulated")
		if col < 0 {
			t.Fatalf("width %d: no text on the first line:\n%s", width, out)
		}
		var words []string
		for i, l := range lines {
			if lipgloss.Width(l) > width {
				t.Errorf("width %d: line %d is %d wide:\n%s", width, i, lipgloss.Width(l), out)
			}
			if i > 0 && (len(l) <= col || strings.TrimSpace(l[:col]) != "" || l[col] == ' ') {
				t.Errorf("width %d: line %d does not start in column %d:\n%s", width, i, col, out)
			}
			words = append(words, strings.Fields(l[min(col, len(l)):])...)
		}
		if strings.Join(words, " ") != text {
			t.Errorf("width %d: the text is not kept whole:\n%s", width, out)
		}
	}
}

// A failed step's error is worded in the operator's language where the
// engine said it (a locale.Error), inside plain context.
func TestStepFailedInKorean(t *testing.T) {
	out := &bytes.Buffer{}
	ui := New(Options{Out: out, Accessible: true, NoColor: true, Tr: locale.New(language.Korean)})
	ui.StepFailed("MFA", fmt.Errorf("enabling: %w", mfa.ErrCodesRejected))
	if want := "enabling: AWS가 MFA 코드를 거부했습니다"; !strings.Contains(out.String(), want) {
		t.Errorf("lacks %q:\n%s", want, out)
	}
}

// A card entry that wraps continues under its text, not under its marker or
// label: the ✓ lines, the labelled values and the manual steps.
func TestCardEntriesHangUnderTheirText(t *testing.T) {
	out := &bytes.Buffer{}
	ui := New(Options{In: strings.NewReader(""), Out: out, NoColor: true, Terminal: Terminal{Width: 50}})
	card := ClosingCard{SignInURL: "https://acme.signin.aws.amazon.com/console", UserName: "administrator",
		PasswordNote: "written to the file pw.txt, readable by you alone, to hand over in person",
		Changed:      []string{"attached the AWS managed policy AdministratorAccess to the group admin"},
		Manual:       []ManualStep{{Title: "Root MFA: the root user has no MFA and only the console can enable it", Steps: []string{"sign in to the console as root with its password and open Security credentials"}}}}
	if err := ui.ShowClosingCard(context.Background(), card); err != nil {
		t.Fatal(err)
	}
	// Each entry's text starts in the column of its first word; the line
	// after it (each entry here is long enough to wrap) must start there.
	var body []string
	for _, line := range strings.Split(out.String(), "\n") {
		if inner, ok := strings.CutPrefix(line, "│  "); ok {
			body = append(body, strings.TrimRight(strings.TrimSuffix(strings.TrimRight(inner, " "), "│"), " "))
		}
	}
	for _, first := range []string{"attached", "written", "Root", "sign"} {
		i := slices.IndexFunc(body, func(line string) bool { return strings.Contains(line, first+" ") })
		if i < 0 || i+1 >= len(body) {
			t.Fatalf("no wrapped entry %q on the card:\n%s", first, out)
		}
		col := lipgloss.Width(body[i][:strings.Index(body[i], first+" ")])
		next := body[i+1]
		if lead := len(next) - len(strings.TrimLeft(next, " ")); lead != col {
			t.Errorf("entry %q continues at column %d, its text starts at %d:\n%s", first, lead, col, strings.Join(body, "\n"))
		}
	}
}
