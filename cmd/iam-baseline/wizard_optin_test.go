package main

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// fakeOptIns answers the opt-in page and records what it offered; it is
// kept apart from fakeUI.asked so the page does not change every other
// test's list of questions.
type fakeOptIns struct {
	accept  bool           // answers yes to the support role and the analyzer
	contact prompt.Contact // typed as the security contact
	offered *prompt.OptIns // what the page asked (nil: no page)
	refused error          // what the contact check said of contact
}

func (f *fakeUI) AskOptIns(_ context.Context, q *prompt.OptIns, v prompt.ContactValidators) error {
	offered := *q
	f.opt.offered = &offered
	if f.opt.accept {
		q.SupportRoleYes, q.AnalyzerYes = true, true
	}
	if q.AskContact && !f.opt.contact.Empty() {
		if f.opt.refused = v.Whole(f.opt.contact); f.opt.refused != nil {
			return f.opt.refused
		}
		q.Contact = f.opt.contact
	}
	return nil
}

var secTeam = prompt.Contact{Name: "Sec Team", Title: "Security", Email: "security@example.com", Phone: "+1 555 0100"}

// checkNoOptInGaps: the account lacks none of the opt-in fixes.
func checkNoOptInGaps(t *testing.T, cfg aws.Config) {
	t.Helper()
	all := baseline.OptInReads{SupportRole: true, AccessAnalyzer: true, SecurityContact: true}
	g := baseline.ReadOptInGaps(context.Background(), simDeps(cfg, ""), "aws", all)
	if g.SupportErr != nil || g.AnalyzerErr != nil || g.ContactErr != nil || g.SupportRoleMissing || len(g.RegionsWithoutAnalyzer) > 0 || g.ContactMissing {
		t.Errorf("the account still lacks opt-in fixes: %+v", g)
	}
}

// closeOptInGaps gives the account a support role, an analyzer in every
// enabled region and a security contact, as another tool would.
func closeOptInGaps(t *testing.T, cfg aws.Config) {
	t.Helper()
	ctx := context.Background()
	c := iam.NewFromConfig(cfg)
	if _, err := c.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("support"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("support"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess")}); err != nil {
		t.Fatal(err)
	}
	acct := account.NewFromConfig(cfg)
	if _, err := acct.PutAlternateContact(ctx, &account.PutAlternateContactInput{AlternateContactType: "SECURITY",
		Name: aws.String(secTeam.Name), Title: aws.String(secTeam.Title), EmailAddress: aws.String(secTeam.Email), PhoneNumber: aws.String(secTeam.Phone)}); err != nil {
		t.Fatal(err)
	}
	regions, err := baseline.ReadEnabledRegions(ctx, acct)
	if err != nil {
		t.Fatal(err)
	}
	aa := accessanalyzer.NewFromConfig(cfg)
	for _, r := range regions {
		if _, err := aa.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("a"), Type: aatypes.TypeAccount},
			func(o *accessanalyzer.Options) { o.Region = r }); err != nil {
			t.Fatal(err)
		}
	}
}

// TestWizardOptInDecisions: the page offers only what the account lacks and
// no flag answered, answers no unless told yes, and its answers set the
// Spec fields the flags set, so plan and apply are flag mode's.
func TestWizardOptInDecisions(t *testing.T) {
	tests := []struct {
		name    string
		account func(*testing.T, aws.Config)
		given   []string
		opt     fakeOptIns
		confirm bool
		// want
		page                        bool // a page at all
		askRole, askAnalyzer, askCt bool
		spec                        baseline.Spec // the opt-in fields of the Spec the answers made
		created                     []string      // mutating actions of the opt-in fixes
	}{
		{name: "fresh account, defaults: offered, nothing made", confirm: true,
			page: true, askRole: true, askAnalyzer: true, askCt: true},
		{name: "fresh account, all taken: made as the flags make them", opt: fakeOptIns{accept: true, contact: secTeam}, confirm: true,
			page: true, askRole: true, askAnalyzer: true, askCt: true,
			spec: baseline.Spec{SupportRole: baseline.DefaultSupportRoleName, AccessAnalyzer: true, SecurityContact: &baseline.SecurityContact{
				Name: secTeam.Name, Title: secTeam.Title, Email: secTeam.Email, Phone: secTeam.Phone}},
			created: []string{"AttachRolePolicy", "CreateAnalyzer", "CreateRole", "PutAlternateContact"}},
		{name: "all taken, plan declined: nothing made", opt: fakeOptIns{accept: true, contact: secTeam},
			page: true, askRole: true, askAnalyzer: true, askCt: true,
			spec: baseline.Spec{SupportRole: baseline.DefaultSupportRoleName, AccessAnalyzer: true, SecurityContact: &baseline.SecurityContact{
				Name: secTeam.Name, Title: secTeam.Title, Email: secTeam.Email, Phone: secTeam.Phone}}},
		{name: "an account lacking none: no page", account: closeOptInGaps, opt: fakeOptIns{accept: true, contact: secTeam}, confirm: true},
		{name: "flags answer their part", given: []string{flagSupportRole, flagContactEmail}, opt: fakeOptIns{accept: true}, confirm: true,
			page: true, askAnalyzer: true, spec: baseline.Spec{AccessAnalyzer: true}, created: []string{"CreateAnalyzer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := iamsim.NewServer(iamsim.Options{})
			t.Cleanup(srv.Close)
			cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
			if tt.account != nil {
				tt.account(t, cfg)
			}
			srv.Sim.ResetLog()
			ui := fakeUI{opt: tt.opt, applyPlan: tt.confirm}
			got, _, err := runWizard(context.Background(), wizardRun{
				Deps: simDeps(cfg, iamsim.DefaultRootAccessKeyID), Spec: skipMFA(),
				Given: func(flag string) bool { return slices.Contains(tt.given, flag) },
				UI:    &ui, PlanText: renderPlanText(locale.English, false, 0),
			})
			if (err == nil) != tt.confirm {
				t.Fatalf("wizard: %v", err)
			}
			q := ui.opt.offered
			if (q != nil) != tt.page {
				t.Fatalf("page shown %v, want %v", q != nil, tt.page)
			}
			if q != nil {
				if q.AskSupportRole != tt.askRole || q.AskAnalyzer != tt.askAnalyzer || q.AskContact != tt.askCt || q.SupportRoleYes || q.AnalyzerYes {
					t.Errorf("offered %+v", q)
				}
				if q.AskAnalyzer && len(q.AnalyzerRegions) < 2 {
					t.Errorf("a fresh account lacks an analyzer in every region, offered %v", q.AnalyzerRegions)
				}
			}
			if got.SupportRole != tt.spec.SupportRole || got.AccessAnalyzer != tt.spec.AccessAnalyzer ||
				(got.SecurityContact == nil) != (tt.spec.SecurityContact == nil) ||
				(got.SecurityContact != nil && *got.SecurityContact != *tt.spec.SecurityContact) {
				t.Errorf("spec support role %q, analyzer %v, contact %+v; want %q, %v, %+v", got.SupportRole, got.AccessAnalyzer, got.SecurityContact,
					tt.spec.SupportRole, tt.spec.AccessAnalyzer, tt.spec.SecurityContact)
			}
			plan := strings.Join(ui.plans, "\n")
			for _, row := range []struct {
				want bool
				text string
			}{
				{tt.spec.SupportRole != "", `+ create Role "aws-support" with AWSSupportAccess`},
				{tt.spec.AccessAnalyzer, "+ create IAM Access Analyzer in every enabled region"},
				{tt.spec.SecurityContact != nil, "+ create Security contact"},
			} {
				if strings.Contains(plan, row.text) != row.want {
					t.Errorf("the plan shown has %q: %v, want %v\n%s", row.text, !row.want, row.want, plan)
				}
			}
			var made []string
			for _, e := range srv.Sim.MutatingRequests() {
				if slices.Contains([]string{"CreateRole", "AttachRolePolicy", "CreateAnalyzer", "PutAlternateContact"}, e.Action) && !slices.Contains(made, e.Action) {
					made = append(made, e.Action)
				}
			}
			slices.Sort(made)
			if !slices.Equal(made, tt.created) {
				t.Errorf("opt-in writes %v, want %v", made, tt.created)
			}
			if !tt.confirm && len(srv.Sim.MutatingRequests()) != 0 {
				t.Errorf("a declined plan made %d writes", len(srv.Sim.MutatingRequests()))
			}
		})
	}
}

// The page checks the contact with flag mode's own rule: the wizard refuses
// what `--security-contact-*` refuses, with the same reason.
func TestWizardContactCheckIsFlagModes(t *testing.T) {
	bad := prompt.Contact{Name: "Sec Team", Title: "Security", Email: "not-an-address", Phone: "call us"}
	flagRun := runCLI(t, "plan", "--security-contact-name", bad.Name, "--security-contact-title", bad.Title,
		"--security-contact-email", bad.Email, "--security-contact-phone", bad.Phone)
	mustCode(t, flagRun, ExitUsage)
	wizard := contactValidators().Whole(bad)
	if wizard == nil {
		t.Fatal("the wizard accepted a contact flag mode refuses")
	}
	for _, reason := range strings.Split(wizard.Error(), "; ") {
		if !strings.Contains(flagRun.stderr, reason) {
			t.Errorf("flag mode does not give the wizard's reason %q:\n%s", reason, flagRun.stderr)
		}
	}
	if err := contactValidators().Email("security@example.com"); err != nil {
		t.Errorf("a good e-mail refused: %v", err)
	}
	if err := contactValidators().Email(bad.Email); err == nil || !strings.Contains(err.Error(), "e-mail") {
		t.Errorf("the e-mail field alone: %v", err)
	}
}
