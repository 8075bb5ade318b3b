package prompt

import (
	"context"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// OptIns are the opt-in CIS fixes the wizard offers: only those the
// account lacks and no flag answered are asked (the Ask fields).
type OptIns struct {
	AskSupportRole bool
	// SupportRole is the role offered; the answer is SupportRoleYes.
	SupportRole    string
	SupportRoleYes bool

	AskAnalyzer bool
	// AnalyzerRegions are the enabled regions without an analyzer.
	AnalyzerRegions []string
	AnalyzerYes     bool

	AskContact bool
	// Contact is left empty to register none.
	Contact Contact
}

// Contact is a security contact as typed.
type Contact struct{ Name, Title, Email, Phone string }

// Empty is a contact the operator chose not to give.
func (c Contact) Empty() bool { return c == Contact{} }

// ContactValidators check each contact field as it is typed, and the whole
// contact once given; they are the ones flag mode uses.
type ContactValidators struct {
	Name, Title, Email, Phone func(string) error
	Whole                     func(Contact) error
}

// optInWhys are the one-line whys, naming the control each fix satisfies.
func (u *UI) optInWhys(q *OptIns) (supportRole, analyzer, contact string) {
	tr := u.tr
	// The regions go under the why, wrapped here at spaces: huh (lipgloss)
	// would break a title at the hyphens of "ap-southeast-1".
	regions := textwrap.Words(tr.T("Regions: %s", strings.Join(q.AnalyzerRegions, ", ")), u.term.width(80)-formGutter)
	return tr.T("CIS v5 1.16 / Security Hub IAM.18: someone must be able to open AWS Support cases without root; the account's administrators may assume the role, with MFA."),
		tr.T("CIS v5 1.19 / Security Hub IAM.28: the account analyzer (free) reports resources shared outside the account.") + "\n" + regions,
		tr.T("CIS v5 1.2 / Security Hub Account.1: AWS sends security notices here. Leave all four empty to skip.")
}

// AskOptIns asks about the opt-in fixes in q that are asked: the two yes/no
// fixes on one page, the security contact on the next, so that each page
// fits a terminal of 24 rows. Each keeps the answer q holds as its default
// (the wizard gives no: an opt-in fix is made only when the operator says
// so).
func (u *UI) AskOptIns(ctx context.Context, q *OptIns, v ContactValidators) error {
	tr := u.tr
	supportRoleWhy, analyzerWhy, contactWhy := u.optInWhys(q)
	var fixes []huh.Field
	if q.AskSupportRole {
		fixes = append(fixes, u.yesNo(tr.T("Create support role %q with AWSSupportAccess?", q.SupportRole), &q.SupportRoleYes).
			Description(supportRoleWhy))
	}
	if q.AskAnalyzer {
		fixes = append(fixes, u.yesNo(tr.T("Create IAM Access Analyzer in the %d region(s) without one?", len(q.AnalyzerRegions)), &q.AnalyzerYes).
			Description(analyzerWhy))
	}
	var pages []*huh.Group
	if len(fixes) > 0 {
		pages = append(pages, huh.NewGroup(fixes...))
	}
	c := &q.Contact
	if q.AskContact {
		pages = append(pages, huh.NewGroup(
			u.contactInput(tr.T("Security contact name"), contactWhy, &c.Name, v.Name),
			u.contactInput(tr.T("Security contact title"), "", &c.Title, v.Title),
			u.contactInput(tr.T("Security contact e-mail (a team address)"), "", &c.Email, v.Email),
			u.contactInput(tr.T("Security contact phone"), "", &c.Phone, v.Phone)))
	}
	if len(pages) == 0 {
		return nil
	}
	if u.accessible {
		// huh's accessible mode prints no descriptions.
		u.printWhys(q)
	}
	form := huh.NewForm(pages...)
	if err := u.runForm(ctx, form); err != nil {
		return err
	}
	*c = Contact{strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)}
	if !c.Empty() && v.Whole != nil {
		if err := v.Whole(*c); err != nil {
			return locale.Wrap(locale.M("security contact: %s", err), err)
		}
	}
	u.recapOptIns(q)
	return nil
}

// contactInput is one optional contact field: empty passes here, and the
// whole contact is checked once the page is done.
func (u *UI) contactInput(title, help string, value *string, validate func(string) error) *huh.Input {
	check := u.worded(func(s string) error {
		if strings.TrimSpace(s) == "" {
			return nil
		}
		return accept(validate)(strings.TrimSpace(s))
	})
	typed := &sharedString{v: value}
	return huh.NewInput().Title(title).Accessor(typed).Validate(check).
		DescriptionFunc(func() string {
			if err := check(typed.Get()); err != nil {
				return "✗ " + err.Error()
			}
			return help
		}, value)
}

func (u *UI) recapOptIns(q *OptIns) {
	tr := u.tr
	var done []string
	if q.AskSupportRole && q.SupportRoleYes {
		done = append(done, tr.T("support role %s", q.SupportRole))
	}
	if q.AskAnalyzer && q.AnalyzerYes {
		done = append(done, tr.T("Access Analyzer"))
	}
	if q.AskContact && !q.Contact.Empty() {
		done = append(done, tr.T("security contact %s", q.Contact.Email))
	}
	if len(done) > 0 {
		u.recap(tr.T("Also: %s", strings.Join(done, ", ")))
	}
}

func (u *UI) printWhys(q *OptIns) {
	tr := u.tr
	supportRoleWhy, analyzerWhy, contactWhy := u.optInWhys(q)
	for _, w := range []struct {
		asked     bool
		what, why string
	}{
		{q.AskSupportRole, tr.T("Support role"), supportRoleWhy},
		{q.AskAnalyzer, tr.T("Access Analyzer"), analyzerWhy},
		{q.AskContact, tr.T("Security contact (optional)"), contactWhy},
	} {
		if w.asked {
			u.println(w.what + ": " + w.why)
		}
	}
}
