package prompt

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

func TestMFATokenAcceptsACode(t *testing.T) {
	in := strings.NewReader("123 456\nleft for the wizard\n")
	var out bytes.Buffer
	code, err := MFAToken(in, &out, "prod", "arn:aws:iam::123456789012:mfa/ops")
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
	code, err := MFAToken(strings.NewReader("12345\r\nabcdef\n654321\n"), &out, "prod", "serial")
	if err != nil || code != "654321" {
		t.Fatalf("code %q, err %v", code, err)
	}
	if got := strings.Count(out.String(), "MFA code for serial"); got != 3 {
		t.Errorf("asked %d times, want 3:\n%s", got, out.String())
	}
	if !strings.Contains(out.String(), "try 1 of 3") {
		t.Errorf("no retry count:\n%s", out.String())
	}

	_, err = MFAToken(strings.NewReader("1\n2\n3\n4\n"), io.Discard, "prod", "serial")
	if err == nil || !strings.Contains(err.Error(), `profile "prod"`) {
		t.Errorf("after 3 bad codes: %v", err)
	}
	_, err = MFAToken(strings.NewReader(""), io.Discard, "prod", "serial")
	if err == nil || !strings.Contains(err.Error(), "input ended") {
		t.Errorf("at end of input: %v", err)
	}
}
