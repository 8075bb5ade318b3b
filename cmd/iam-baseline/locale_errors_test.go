package main

import (
	"bytes"
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"golang.org/x/text/language"
)

// valueToken is what a Korean message may carry in Latin letters: values
// and names that are not words of the message (action names, flags, ARNs,
// quoted names, paths, URLs, AWS's error codes and its own message).
var valueToken = regexp.MustCompile(`"[^"]*"|https?://\S+|arn:\S+|[a-z0-9-]+:[A-Za-z]+|--[a-z-]+|/\S+|\b[A-Z][A-Za-z]+\b|\biam-baseline\b|\binjected\b`)

// englishWords lists the words of an English sentence left in text once its
// values (and the names given) are taken out: none is what a Korean run
// prints.
func englishWords(text string, names ...string) []string {
	for _, n := range names {
		text = strings.ReplaceAll(text, n, " ")
	}
	return regexp.MustCompile(`[A-Za-z]{2,}`).FindAllString(valueToken.ReplaceAllString(text, " "), -1)
}

// unreachableURL is a loopback endpoint nothing listens on.
func unreachableURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	_ = l.Close()
	return url
}

// TestUnreachableEndpointErrorInKorean: the read that fails names its
// context ("reading the account (iam:...)") in the operator's language, the
// English stays as it was, and the exit code is the same in both.
func TestUnreachableEndpointErrorInKorean(t *testing.T) {
	url := unreachableURL(t)
	runIn := func(vars map[string]string) (int, string) {
		var out, errOut bytes.Buffer
		env := newTestEnv(&out, &errOut, simAccount(url, iamsim.DefaultRootAccessKeyID), envVars(vars))
		code := run(context.Background(), env, []string{"iam-baseline", "plan", "--timeout", "3s"})
		return code, errOut.String()
	}
	enCode, en := runIn(nil)
	koCode, ko := runIn(map[string]string{"LANG": "ko_KR.UTF-8"})
	if enCode != ExitError || koCode != enCode {
		t.Errorf("exit codes: English %d, Korean %d, want %d both", enCode, koCode, ExitError)
	}
	wantEN := regexp.MustCompile(`^iam-baseline: reading the account \(((?:iam|sts):\w+)\): ((?:iam|sts):\w+): could not reach the AWS endpoint\n` +
		`hint: check the network connection or proxy, and --endpoint-url or --region, then run again\n$`)
	if !wantEN.MatchString(en) {
		t.Errorf("English changed:\n%s", en)
	}
	if !strings.Contains(ko, "계정 읽기(") || !strings.Contains(ko, "힌트:") {
		t.Errorf("the Korean does not say what it was reading:\n%s", ko)
	}
	if words := englishWords(ko); len(words) > 0 {
		t.Errorf("English words %q in the Korean:\n%s", words, ko)
	}
}

// TestFailedApplyChainInKorean: an apply failing mid-way, in an MFA
// enrollment whose error carries several contexts (enrolling MFA for the
// user, creating the device, the AWS call), prints each of them in Korean,
// both in the step's failure and in the run's error; English run, same
// failure, keeps its English and its exit code.
func TestFailedApplyChainInKorean(t *testing.T) {
	runWith := func(vars map[string]string, run string) runResult {
		r := newRig(t, iamsim.Options{})
		r.env = vars
		r.sim.AddFault(iamsim.Fault{Action: "CreateVirtualMFADevice", Code: "ServiceFailure", Message: "injected"})
		return r.run(faultScenario{}.args(r, run)...)
	}
	en := runWith(map[string]string{}, "en")
	ko := runWith(map[string]string{"LANG": "ko_KR.UTF-8"}, "ko")
	if en.code != ExitError || ko.code != en.code {
		t.Fatalf("exit codes: English %d, Korean %d, want %d both\n%s\n%s", en.code, ko.code, ExitError, en.output(), ko.output())
	}
	if !strings.Contains(en.output(), `failed: enrolling MFA for "administrator": creating virtual MFA device "administrator": `) {
		t.Errorf("the English chain changed:\n%s", en.output())
	}
	for _, want := range []string{`실패: "administrator"의 MFA 등록: 가상 MFA 디바이스 "administrator" 생성: `, "완료: admin 그룹을 만들었습니다"} {
		if !strings.Contains(ko.output(), want) {
			t.Errorf("the Korean lacks %q:\n%s", want, ko.output())
		}
	}
	// The lines that report: each step's outcome and the run's error.
	var said []string
	for _, line := range strings.Split(ko.stderr, "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "실패:") || strings.HasPrefix(line, "완료:") || strings.HasPrefix(line, "iam-baseline:") {
			said = append(said, line)
		}
	}
	if len(said) < 3 {
		t.Fatalf("no step outcomes in the Korean run's stderr:\n%s", ko.stderr)
	}
	for _, line := range said {
		if words := englishWords(line, "iam-baseline-require-mfa", "administrator", "admin", "my-corp"); len(words) > 0 {
			t.Errorf("English words %q in the Korean: %s", words, line)
		}
	}
}

// TestWizardStepFailureInKorean: the wizard's progress shows a failed step's
// error chain in the operator's language, the AWS call's text shortened.
func TestWizardStepFailureInKorean(t *testing.T) {
	aws := errors.New("boom")
	err := locale.Wrap(locale.M("creating %v: %v", locale.M("group %q", "admin"), aws), aws)
	for _, c := range []struct {
		tr   locale.Printer
		want string
	}{
		{locale.English, `creating group "admin": boom`},
		{locale.New(language.Korean), `그룹 "admin" 생성: boom`},
	} {
		ui := &fakeUI{}
		wizardReporter{ui: ui, tr: c.tr}.Report(baseline.Event{Kind: baseline.StepFinished, Step: baseline.StepAdminGroup, Action: baseline.ActionCreate, Err: err})
		if len(ui.failed) != 1 || ui.failed[0] != c.want {
			t.Errorf("%v: the progress shows %q, want %q", c.tr.Tag(), ui.failed, c.want)
		}
	}
}

// TestNotDecimalInKorean: a number flag's reason is worded too, the English
// as it was.
func TestNotDecimalInKorean(t *testing.T) {
	for lang, want := range map[string]string{
		"en": `iam-baseline: invalid value "014x" for flag --password-min-length: "014x" is not a decimal number` + "\n",
		"ko": `"014x"은(는) 10진수가 아닙니다`,
	} {
		r := runCLI(t, "plan", "--lang", lang, "--password-min-length", "014x")
		mustCode(t, r, ExitUsage)
		if !strings.Contains(r.stderr, want) || (lang == "ko" && englishWords(strings.SplitN(r.stderr, "\n", 2)[0]) != nil) {
			t.Errorf("--lang %s: %q, want %q", lang, r.stderr, want)
		}
	}
}
