package baseline_test

import (
	"context"
	"crypto/rand"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	aatypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// The gaps the wizard asks about: all three on a new account, none once a
// role holds AWSSupportAccess, the contact is registered and one region has
// an analyzer (that region only); a part not asked for is not read.
func TestReadOptInGaps(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	ctx := context.Background()
	iamc, aa := iam.NewFromConfig(cfg), accessanalyzer.NewFromConfig(cfg)
	deps := baseline.Deps{IAM: iamc, STS: sts.NewFromConfig(cfg), Account: account.NewFromConfig(cfg), AccessAnalyzer: aa, Rand: rand.Reader}
	all := baseline.OptInReads{SupportRole: true, AccessAnalyzer: true, SecurityContact: true}
	regions, err := baseline.ReadEnabledRegions(ctx, deps.Account)
	if err != nil || len(regions) < 2 {
		t.Fatalf("regions %v, %v", regions, err)
	}

	g := baseline.ReadOptInGaps(ctx, deps, "aws", all)
	if g.SupportErr != nil || g.AnalyzerErr != nil || g.ContactErr != nil {
		t.Fatalf("read errors: %+v", g)
	}
	if !g.SupportRoleMissing || !g.ContactMissing || !slices.Equal(g.RegionsWithoutAnalyzer, regions) {
		t.Fatalf("a new account lacks all three: %+v", g)
	}

	srv.Sim.ResetLog()
	if g := baseline.ReadOptInGaps(ctx, deps, "aws", baseline.OptInReads{}); g.SupportRoleMissing || g.ContactMissing || len(g.RegionsWithoutAnalyzer) > 0 {
		t.Errorf("nothing asked, nothing found: %+v", g)
	}
	if n := len(srv.Sim.Log()); n != 0 {
		t.Errorf("nothing asked made %d requests", n)
	}

	if _, err := iamc.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String("support"),
		AssumeRolePolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := iamc.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String("support"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AWSSupportAccess")}); err != nil {
		t.Fatal(err)
	}
	if _, err := account.NewFromConfig(cfg).PutAlternateContact(ctx, &account.PutAlternateContactInput{AlternateContactType: "SECURITY",
		Name: aws.String("Sec Team"), Title: aws.String("Security"), EmailAddress: aws.String("security@example.com"), PhoneNumber: aws.String("+1 555 0100")}); err != nil {
		t.Fatal(err)
	}
	if _, err := aa.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{AnalyzerName: aws.String("a"), Type: aatypes.TypeAccount},
		func(o *accessanalyzer.Options) { o.Region = regions[0] }); err != nil {
		t.Fatal(err)
	}
	g = baseline.ReadOptInGaps(ctx, deps, "aws", all)
	if g.SupportRoleMissing || g.ContactMissing || !slices.Equal(g.RegionsWithoutAnalyzer, regions[1:]) {
		t.Errorf("after the fixes: %+v", g)
	}
}

// An account without Account or Access Analyzer clients reads those parts
// as errors, not as gaps: the wizard does not offer what it cannot check.
func TestReadOptInGapsWithoutClients(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	g := baseline.ReadOptInGaps(context.Background(), baseline.Deps{IAM: iam.NewFromConfig(cfg)}, "aws",
		baseline.OptInReads{AccessAnalyzer: true, SecurityContact: true})
	if g.AnalyzerErr == nil || g.ContactErr == nil || g.ContactMissing || len(g.RegionsWithoutAnalyzer) > 0 {
		t.Errorf("%+v", g)
	}
}
