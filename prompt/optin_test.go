package prompt

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// One page in accessible mode: the support role accepted, the analyzer kept
// at its default (no), a bad e-mail refused live and then corrected.
func TestOptInsAccessible(t *testing.T) {
	ui, out := accessibleUI("y\n\nSec Team\nSecurity\nnot-an-address\nsecurity@example.com\n+1 555 0100\n")
	q := OptIns{AskSupportRole: true, SupportRole: "aws-support",
		AskAnalyzer: true, AnalyzerRegions: []string{"us-east-1", "eu-west-1"}, AskContact: true}
	badEmail := errors.New("must be an e-mail address such as security@example.com")
	v := ContactValidators{Email: func(s string) error {
		if !strings.Contains(s, "@") {
			return badEmail
		}
		return nil
	}, Whole: func(Contact) error { return nil }}
	if err := ui.AskOptIns(context.Background(), &q, v); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	want := Contact{"Sec Team", "Security", "security@example.com", "+1 555 0100"}
	if !q.SupportRoleYes || q.AnalyzerYes || q.Contact != want {
		t.Errorf("answers %+v\n%s", q, out)
	}
	screen := out.String()
	for _, s := range []string{"IAM.18", "IAM.28", "Account.1", "in the 2 regions without one?", "Regions: us-east-1, eu-west-1", badEmail.Error()} {
		if !strings.Contains(screen, s) {
			t.Errorf("screen lacks %q:\n%s", s, screen)
		}
	}
}

// A half-typed contact is refused by the whole-contact check; nothing asked
// reads no input.
func TestOptInsContactWholeAndNothingAsked(t *testing.T) {
	ui, out := accessibleUI("Sec Team\n\n\n\n")
	q := OptIns{AskContact: true}
	incomplete := errors.New("must not be empty")
	err := ui.AskOptIns(context.Background(), &q, ContactValidators{Whole: func(c Contact) error {
		if c.Email == "" {
			return incomplete
		}
		return nil
	}})
	if !errors.Is(err, incomplete) {
		t.Errorf("err %v\n%s", err, out)
	}
	ui, out = accessibleUI("")
	if err := ui.AskOptIns(context.Background(), &OptIns{}, ContactValidators{}); err != nil || out.Len() != 0 {
		t.Errorf("nothing asked: %v %q", err, out)
	}
}
