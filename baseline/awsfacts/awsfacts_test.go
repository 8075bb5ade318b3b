package awsfacts

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
)

func TestPartitionURLs(t *testing.T) {
	for _, tt := range []struct{ partition, signIn, console, policy string }{
		{"aws", "https://acme.signin.aws.amazon.com/console", "https://console.aws.amazon.com/", "arn:aws:iam::aws:policy/AdministratorAccess"},
		{"aws-cn", "https://acme.signin.amazonaws.cn/console", "https://console.amazonaws.cn/", "arn:aws-cn:iam::aws:policy/AdministratorAccess"},
		{"aws-us-gov", "https://acme.signin.amazonaws-us-gov.com/console", "https://console.amazonaws-us-gov.com/", "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"},
		{"", "https://acme.signin.aws.amazon.com/console", "https://console.aws.amazon.com/", "arn:aws:iam::aws:policy/AdministratorAccess"},
	} {
		if got := SignInURL(tt.partition, "acme"); got != tt.signIn {
			t.Errorf("SignInURL(%q) = %s", tt.partition, got)
		}
		if got := ConsoleURL(tt.partition); got != tt.console {
			t.Errorf("ConsoleURL(%q) = %s", tt.partition, got)
		}
		if got := ManagedPolicyARN(tt.partition, AdministratorAccess); got != tt.policy {
			t.Errorf("ManagedPolicyARN(%q) = %s", tt.partition, got)
		}
	}
}

func TestErrorCodes(t *testing.T) {
	answered := fmt.Errorf("creating user: %w", &smithy.GenericAPIError{Code: "EntityAlreadyExists"})
	if ErrorCode(answered) != "EntityAlreadyExists" || !HasErrorCode(answered, "EntityAlreadyExists") || !Answered(answered) {
		t.Errorf("a wrapped API error: code %q", ErrorCode(answered))
	}
	lost := fmt.Errorf("creating user: %w", context.DeadlineExceeded)
	if ErrorCode(lost) != "" || HasErrorCode(lost, "EntityAlreadyExists") || Answered(lost) || HasErrorCode(nil, "EntityAlreadyExists") {
		t.Error("a request without an answer has no code")
	}
}

func TestValidIAMName(t *testing.T) {
	for name, want := range map[string]bool{
		"administrator":         true,
		"a+b=c,d.e@f_g-h":       true,
		"":                      false,
		"with space":            false,
		"ümlaut":                false,
		strings.Repeat("a", 64): true,
		strings.Repeat("a", 65): false,
	} {
		if got := ValidIAMName(name, MaxUserNameLen); got != want {
			t.Errorf("ValidIAMName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestActionPrefix(t *testing.T) {
	for id, want := range map[string]string{"IAM": "iam", "STS": "sts", "Account": "account", "AccessAnalyzer": "access-analyzer"} {
		if got := ActionPrefix(id); got != want {
			t.Errorf("ActionPrefix(%q) = %q, want %q", id, got, want)
		}
	}
}
