package iamsim_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func (f *fixture) analyzer(region string) *accessanalyzer.Client {
	return accessanalyzer.NewFromConfig(f.cfg(iamsim.DefaultRootAccessKeyID, region))
}

func (f *fixture) account(accessKeyID string) *account.Client {
	return account.NewFromConfig(f.cfg(accessKeyID, "us-east-1"))
}

func createAnalyzer(c *accessanalyzer.Client, name string) (*accessanalyzer.CreateAnalyzerOutput, error) {
	return c.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String(name), Type: aatypes.TypeAccount})
}

// TestAccessAnalyzerPerRegion: analyzers live in the region of the request's
// credential scope; names are unique per region.
func TestAccessAnalyzerPerRegion(t *testing.T) {
	f := start(t, iamsim.Options{})
	east, west := f.analyzer("us-east-1"), f.analyzer("eu-west-1")
	out := must[*accessanalyzer.CreateAnalyzerOutput](t)(createAnalyzer(east, "account-analyzer"))
	if *out.Arn != "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account-analyzer" {
		t.Fatalf("arn %s", *out.Arn)
	}
	_, err := createAnalyzer(east, "account-analyzer")
	wantError(t, err, "ConflictException", 409, "account-analyzer")
	var conflict *aatypes.ConflictException
	if !errors.As(err, &conflict) || aws.ToString(conflict.ResourceId) != "account-analyzer" {
		t.Fatalf("the SDK does not read the error's shape: %#v", err)
	}
	if got := must[*accessanalyzer.ListAnalyzersOutput](t)(west.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})).Analyzers; len(got) != 0 {
		t.Fatalf("eu-west-1 sees us-east-1's analyzer: %+v", got)
	}
	must[*accessanalyzer.CreateAnalyzerOutput](t)(createAnalyzer(west, "account-analyzer"))

	for _, bad := range []string{"1starts-with-digit", "has space"} {
		_, err = createAnalyzer(east, bad)
		wantError(t, err, "ValidationException", 400, "analyzerName")
		var invalid *aatypes.ValidationException
		if !errors.As(err, &invalid) || len(invalid.FieldList) != 1 || aws.ToString(invalid.FieldList[0].Name) != "analyzerName" {
			t.Fatalf("the SDK does not read the error's shape: %#v", err)
		}
	}
	_, err = east.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("org"), Type: aatypes.TypeOrganization})
	wantError(t, err, "ValidationException", 400, "management account")

	must[*accessanalyzer.CreateAnalyzerOutput](t)(createAnalyzer(east, "second"))
	var names []string
	p := accessanalyzer.NewListAnalyzersPaginator(east, &accessanalyzer.ListAnalyzersInput{MaxResults: aws.Int32(1), Type: aatypes.TypeAccount})
	for p.HasMorePages() {
		page := must[*accessanalyzer.ListAnalyzersOutput](t)(p.NextPage(ctx))
		for _, a := range page.Analyzers {
			if a.Status != aatypes.AnalyzerStatusActive || a.CreatedAt == nil {
				t.Errorf("analyzer %+v", a)
			}
			names = append(names, *a.Name)
		}
	}
	if len(names) != 2 || names[0] != "account-analyzer" || names[1] != "second" {
		t.Fatalf("paged analyzers: %v", names)
	}
	got := must[*accessanalyzer.ListAnalyzersOutput](t)(east.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{Type: aatypes.TypeAccountUnusedAccess}))
	if len(got.Analyzers) != 0 {
		t.Fatalf("type filter: %+v", got.Analyzers)
	}

	// An opt-in region the account has not enabled does not know it.
	_, err = f.analyzer("af-south-1").ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})
	wantError(t, err, "UnrecognizedClientException", 403)
	optIn := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "111122223333", AnyKeyIsRoot: true, OptInRegions: []string{"af-south-1"}}}})
	if _, err := optIn.analyzer("af-south-1").ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{}); err != nil {
		t.Fatalf("enabled opt-in region: %v", err)
	}

	logged := map[string]bool{}
	for _, e := range f.sim.MutatingRequests() {
		logged[e.Action+" "+e.Params["analyzerName"]] = true
	}
	if !logged["CreateAnalyzer account-analyzer"] || !logged["CreateAnalyzer second"] {
		t.Fatalf("mutating log: %v", logged)
	}
}

func TestAlternateContact(t *testing.T) {
	f := start(t, iamsim.Options{})
	acct := f.account(iamsim.DefaultRootAccessKeyID)
	get := func() (*account.GetAlternateContactOutput, error) {
		return acct.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: accttypes.AlternateContactTypeSecurity})
	}
	_, err := get()
	wantError(t, err, "ResourceNotFoundException", 404)

	put := func(name, title, email, phone string) error {
		_, err := acct.PutAlternateContact(ctx, &account.PutAlternateContactInput{AlternateContactType: accttypes.AlternateContactTypeSecurity,
			Name: aws.String(name), Title: aws.String(title), EmailAddress: aws.String(email), PhoneNumber: aws.String(phone)})
		return err
	}
	for _, bad := range []struct{ name, title, email, phone, field string }{
		{"Sec", "CISO", "not-an-email", "+1 555 0100", "EmailAddress"},
		{"Sec", "CISO", "sec@example.com", "call me", "PhoneNumber"},
		{string(make([]byte, 65)), "CISO", "sec@example.com", "+1 555 0100", "Name"},
		{"Sec", "", "sec@example.com", "+1 555 0100", "Title"},
	} {
		wantError(t, put(bad.name, bad.title, bad.email, bad.phone), "ValidationException", 400, bad.field)
	}
	if len(f.sim.MutatingRequests()) != 4 {
		t.Fatalf("rejected puts are logged as attempts: %d", len(f.sim.MutatingRequests()))
	}
	if err := put("Security Team", "CISO", "security@example.com", "+1 (555) 0100"); err != nil {
		t.Fatal(err)
	}
	got := must[*account.GetAlternateContactOutput](t)(get()).AlternateContact
	if *got.Name != "Security Team" || *got.EmailAddress != "security@example.com" || *got.PhoneNumber != "+1 (555) 0100" || *got.Title != "CISO" {
		t.Fatalf("contact %+v", got)
	}
	_, err = acct.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: accttypes.AlternateContactTypeBilling})
	wantError(t, err, "ResourceNotFoundException", 404)
}

// TestAlternateContactOfMember: the management account reaches a member's
// contact by AccountId once it trusts account.amazonaws.com; a member
// cannot reach another account's.
func TestAlternateContactOfMember(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 4, Seed: 1})
	acct := f.account(iamsim.DefaultRootAccessKeyID)
	in := &account.GetAlternateContactInput{AccountId: aws.String("210000000003"), AlternateContactType: accttypes.AlternateContactTypeSecurity}
	_, err := acct.GetAlternateContact(ctx, in)
	wantError(t, err, "AccessDeniedException", 403, "Trusted access")
	must[*organizations.EnableAWSServiceAccessOutput](t)(f.org(iamsim.DefaultRootAccessKeyID).EnableAWSServiceAccess(ctx,
		&organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String("account.amazonaws.com")}))
	_, err = acct.GetAlternateContact(ctx, in)
	wantError(t, err, "ResourceNotFoundException", 404)
	_, err = acct.GetAlternateContact(ctx, &account.GetAlternateContactInput{AccountId: aws.String(iamsim.DefaultAccountID), AlternateContactType: accttypes.AlternateContactTypeSecurity})
	wantError(t, err, "ValidationException", 400, "own AccountId")

	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.account(session).GetAlternateContact(ctx, &account.GetAlternateContactInput{AccountId: aws.String("210000000004"), AlternateContactType: accttypes.AlternateContactTypeSecurity})
	wantError(t, err, "AccessDeniedException", 403)
}

func TestListRegions(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "111122223333", AnyKeyIsRoot: true, OptInRegions: []string{"me-south-1"}}}})
	acct := f.account("AKIAANYKEY0000000000")
	status := map[string]accttypes.RegionOptStatus{}
	pages := 0
	p := account.NewListRegionsPaginator(acct, &account.ListRegionsInput{MaxResults: aws.Int32(10)})
	for p.HasMorePages() {
		pages++
		for _, r := range must[*account.ListRegionsOutput](t)(p.NextPage(ctx)).Regions {
			status[*r.RegionName] = r.RegionOptStatus
		}
	}
	if pages != 4 || len(status) != 32 {
		t.Fatalf("%d regions on %d pages", len(status), pages)
	}
	if status["us-east-1"] != accttypes.RegionOptStatusEnabledByDefault || status["me-south-1"] != accttypes.RegionOptStatusEnabled || status["af-south-1"] != accttypes.RegionOptStatusDisabled {
		t.Fatalf("statuses: %v", status)
	}
	enabled := must[*account.ListRegionsOutput](t)(acct.ListRegions(ctx, &account.ListRegionsInput{MaxResults: aws.Int32(50),
		RegionOptStatusContains: []accttypes.RegionOptStatus{accttypes.RegionOptStatusEnabled}}))
	if len(enabled.Regions) != 1 || *enabled.Regions[0].RegionName != "me-south-1" {
		t.Fatalf("filtered: %+v", enabled.Regions)
	}
	_, err := acct.ListRegions(ctx, &account.ListRegionsInput{MaxResults: aws.Int32(51)})
	wantError(t, err, "ValidationException", 400, "MaxResults")
	_, err = acct.ListRegions(ctx, &account.ListRegionsInput{NextToken: aws.String("forged")})
	wantError(t, err, "ValidationException", 400, "NextToken")
}
