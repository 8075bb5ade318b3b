package prompt

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

func TestMFATokenAcceptsACode(t *testing.T) {
	in := strings.NewReader("123 456\nleft for the wizard\n")
	var out bytes.Buffer
	code, err := MFAToken(in, &out, locale.English, "prod", "arn:aws:iam::123456789012:mfa/ops")
	if err != nil {
		t.Fatal(err)
	}
	if code != "123456" {
		t.Errorf("code %q, want 123456", code)
	}
	if !strings.Contains(out.String(), `Profile "prod"`) || !strings.Contains(out.String(), "arn:aws:iam::123456789012:mfa/ops") {
		t.Errorf("prompt does not name the profile and device:\n%s", out.String())
	}
	rest, _ := io.ReadAll(in)
	if string(rest) != "left for the wizard\n" {
		t.Errorf("MFAToken read past its line; left %q", rest)
	}
}

func TestMFATokenAsksAgainThenGivesUp(t *testing.T) {
	var out bytes.Buffer
	code, err := MFAToken(strings.NewReader("12345\r\nabcdef\n654321\n"), &out, locale.English, "prod", "serial")
	if err != nil || code != "654321" {
		t.Fatalf("code %q, err %v", code, err)
	}
	if got := strings.Count(out.String(), "MFA code for serial"); got != 3 {
		t.Errorf("asked %d times, want 3:\n%s", got, out.String())
	}
	if !strings.Contains(out.String(), "try 1 of 3") {
		t.Errorf("no retry count:\n%s", out.String())
	}

	_, err = MFAToken(strings.NewReader("1\n2\n3\n4\n"), io.Discard, locale.English, "prod", "serial")
	if err == nil || !strings.Contains(err.Error(), `profile "prod"`) {
		t.Errorf("after 3 bad codes: %v", err)
	}
	_, err = MFAToken(strings.NewReader(""), io.Discard, locale.English, "prod", "serial")
	if err == nil || !strings.Contains(err.Error(), "input ended") {
		t.Errorf("at end of input: %v", err)
	}
}

// The question, and why a code is refused, in Korean.
func TestMFATokenInKorean(t *testing.T) {
	var out bytes.Buffer
	ko := locale.New(language.Korean)
	if _, err := MFAToken(strings.NewReader("12345\n123456\n"), &out, ko, "prod", "serial"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"prod" 프로필이 맡는 역할에는 MFA가 필요합니다.`, "serial의 MFA 코드:",
		"MFA 코드는 숫자 6자리입니다. 5자를 입력했습니다 (1/3번째 시도)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("lacks %q:\n%s", want, out.String())
		}
	}
	_, err := MFAToken(strings.NewReader(""), io.Discard, ko, "prod", "serial")
	if got := ko.Err(err); got != `"prod" 프로필의 MFA 코드를 읽는 중 입력이 끝났습니다` {
		t.Errorf("at end of input: %q", got)
	}
}
