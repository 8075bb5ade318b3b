package mfapolicy_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

func TestDocumentIsPartitionAware(t *testing.T) {
	for _, p := range []string{"aws", "aws-cn", "aws-us-gov"} {
		doc := mfapolicy.Document(p).JSON()
		if !strings.Contains(doc, `"arn:`+p+`:iam::*:user/${aws:username}"`) || !strings.Contains(doc, `"arn:`+p+`:iam::*:mfa/${aws:username}"`) {
			t.Errorf("%s: own-resource ARNs missing in %s", p, doc)
		}
		for _, other := range []string{"arn:aws:", "arn:aws-cn:", "arn:aws-us-gov:"} {
			if other != "arn:"+p+":" && strings.Contains(doc, other) {
				t.Errorf("%s: document names partition %s", p, other)
			}
		}
	}
	if mfapolicy.Document("").JSON() != mfapolicy.Document("aws").JSON() {
		t.Error(`an empty partition is not "aws"`)
	}
}

// IAM counts a group's inline policies, whitespace excluded, against 5,120
// characters; the document must leave room for the operator's own.
func TestDocumentSize(t *testing.T) {
	n := 0
	for _, r := range mfapolicy.Document("aws-us-gov").JSON() {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	if n > 2048 {
		t.Errorf("document is %d characters, want at most 2048 of the 5120 quota", n)
	}
}

func TestSame(t *testing.T) {
	p := mfapolicy.Document("aws")
	if !p.Same(p.JSON()) {
		t.Error("a document differs from itself")
	}
	// Reformatted by a person or a tool: still the same.
	spaced := strings.ReplaceAll(p.JSON(), ",", ",\n  ")
	if !p.Same(spaced) {
		t.Error("whitespace makes a difference")
	}
	if p.Same(mfapolicy.Document("aws-cn").JSON()) {
		t.Error("another partition's document is the same")
	}
	if p.Same(strings.Replace(p.JSON(), "BoolIfExists", "Bool", 1)) {
		t.Error("Bool instead of BoolIfExists is the same")
	}
	if p.Same("not json") {
		t.Error("garbage is the same")
	}
}

// Every action the exceptions name must be a real IAM or STS action, and the
// key-denied ones a subset of the self-service ones.
func TestActionLists(t *testing.T) {
	self := map[string]bool{}
	for _, a := range mfapolicy.SelfService() {
		self[a] = true
	}
	for _, a := range mfapolicy.KeyDenied() {
		if !self[a] {
			t.Errorf("%s is denied to keys but not a self-service action", a)
		}
	}
	if self["iam:DeactivateMFADevice"] {
		t.Error("removing MFA without MFA is allowed")
	}
}
