package iamsim_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// TestJSONThrottlingCodes: each protocol throttles with its own service's
// code, which the SDK's retryer recognises.
func TestJSONThrottlingCodes(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 2, ThrottleRate: 1})
	_, err := f.org(iamsim.DefaultRootAccessKeyID).ListAccounts(ctx, &organizations.ListAccountsInput{})
	wantError(t, err, "TooManyRequestsException", 400, "Rate exceeded")
	_, err = f.analyzer("us-east-1").ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})
	wantError(t, err, "ThrottlingException", 429, "Rate exceeded")
	_, err = f.account(iamsim.DefaultRootAccessKeyID).ListRegions(ctx, &account.ListRegionsInput{})
	wantError(t, err, "TooManyRequestsException", 429, "Rate exceeded")
	for _, code := range []string{"TooManyRequestsException", "ThrottlingException"} {
		if !(retry.ThrottleErrorCode{Codes: retry.DefaultThrottleErrorCodes}).IsErrorThrottle(codeError(code)).Bool() {
			t.Errorf("the SDK does not treat %s as throttling", code)
		}
	}
}

type codeError string

func (e codeError) Error() string     { return string(e) }
func (e codeError) ErrorCode() string { return string(e) }

// TestThrottledOrganizationSurvives: with 30% of requests throttled, the
// SDK's standard retryer completes every call of every new service,
// AssumeRoot included.
func TestThrottledOrganizationSurvives(t *testing.T) {
	f := start(t, iamsim.Options{MemberAccounts: 30, Seed: 4})
	f.enableRootAccess(t)
	adminKey := f.rootAdminKey(t)
	f.sim.SetThrottleRate(0.3)
	retrying := func(key string) aws.Config {
		cfg := f.cfg(key, "us-east-1")
		cfg.Retryer = func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 10
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				o.RateLimiter = ratelimit.None
			})
		}
		return cfg
	}
	root := retrying(iamsim.DefaultRootAccessKeyID)
	org, aa, acct := organizations.NewFromConfig(root), accessanalyzer.NewFromConfig(root), account.NewFromConfig(root)
	admin := sts.NewFromConfig(retrying(adminKey))
	for _, m := range iamsim.GenerateMembers(30, 4) {
		if m.Member.Suspended {
			continue
		}
		must[*sts.AssumeRootOutput](t)(assumeRoot(admin, m.ID, auditTask))
	}
	for range 10 {
		p := organizations.NewListAccountsPaginator(org, &organizations.ListAccountsInput{MaxResults: aws.Int32(5)})
		n := 0
		for p.HasMorePages() {
			n += len(must[*organizations.ListAccountsOutput](t)(p.NextPage(ctx)).Accounts)
		}
		if n != 31 {
			t.Fatalf("listed %d accounts under throttling", n)
		}
		must[*accessanalyzer.ListAnalyzersOutput](t)(aa.ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{}))
		must[*account.ListRegionsOutput](t)(acct.ListRegions(ctx, &account.ListRegionsInput{}))
	}
	throttled := map[string]bool{}
	for _, e := range f.sim.Log() {
		if e.ErrorCode != "" {
			throttled[e.ErrorCode] = true
		}
	}
	if !throttled["TooManyRequestsException"] || !throttled["ThrottlingException"] {
		t.Fatalf("throttling codes seen: %v", throttled)
	}
}

func TestJSONFaults(t *testing.T) {
	f := start(t, iamsim.Options{})
	aa := f.analyzer("us-east-1")
	f.sim.AddFault(iamsim.Fault{Action: "CreateAnalyzer", Nth: 1, Code: "InternalServerException", Status: 500, AfterHandling: true})
	_, err := createAnalyzer(aa, "lost-answer")
	wantError(t, err, "InternalServerException", 500)
	// The analyzer was made although the answer was an error.
	_, err = createAnalyzer(aa, "lost-answer")
	wantError(t, err, "ConflictException", 409)
	f.sim.AddFault(iamsim.Fault{Action: "ListRegions", Code: "AccessDeniedException", Status: 403, Message: "nope"})
	_, err = f.account(iamsim.DefaultRootAccessKeyID).ListRegions(ctx, &account.ListRegionsInput{})
	wantError(t, err, "AccessDeniedException", 403, "nope")
	log := f.sim.Log()
	if last := log[len(log)-1]; last.Action != "ListRegions" || last.ErrorCode != "AccessDeniedException" || last.AccountID != iamsim.DefaultAccountID {
		t.Fatalf("log %+v", last)
	}
}

func TestJSONAuthentication(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "555555555555"}}})
	_, err := f.analyzer("us-east-1").ListAnalyzers(ctx, &accessanalyzer.ListAnalyzersInput{})
	wantError(t, err, "UnrecognizedClientException", 403)

	req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "AWSOrganizationsV20161128.NoSuchOperation")
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 400 || resp.Header.Get("X-Amzn-ErrorType") != "UnknownOperationException" {
		t.Fatalf("unknown operation: %d %q", resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"))
	}
}

// TestCredentialReportDelayPerAccount: a member's report takes its own time
// to build, another account's the simulator's.
func TestCredentialReportDelayPerAccount(t *testing.T) {
	clk := newClock()
	members := iamsim.GenerateMembers(3, 1)
	members[2].CredentialReportDelay = 10 * time.Second
	f := start(t, iamsim.Options{Now: clk.Now, Accounts: append([]iamsim.AccountConfig{iamsim.DefaultAccount()}, members...)})
	state := func(c *iam.Client) string {
		return string(must[*iam.GenerateCredentialReportOutput](t)(c.GenerateCredentialReport(ctx, &iam.GenerateCredentialReportInput{})).State)
	}
	session, err := f.enter(t, "210000000003")
	if err != nil {
		t.Fatal(err)
	}
	slow, _ := f.clients(session)
	if s1, s2 := state(slow), state(slow); s1 != "STARTED" || s2 != "INPROGRESS" {
		t.Fatalf("slow account: %s then %s", s1, s2)
	}
	if s1, s2 := state(f.iam), state(f.iam); s1 != "STARTED" || s2 != "COMPLETE" {
		t.Fatalf("management account: %s then %s", s1, s2)
	}
	clk.Advance(10 * time.Second)
	if s := state(slow); s != "COMPLETE" {
		t.Fatalf("slow account after its delay: %s", s)
	}
	report := must[*iam.GetCredentialReportOutput](t)(slow.GetCredentialReport(ctx, &iam.GetCredentialReportInput{}))
	if !strings.Contains(string(report.Content), "<root_account>,arn:aws:iam::210000000003:root") {
		t.Fatalf("report of the wrong account:\n%s", report.Content)
	}
	_, stsClient := f.clients(session)
	who := must[*sts.GetCallerIdentityOutput](t)(stsClient.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{}))
	if *who.Account != "210000000003" {
		t.Fatalf("session account %s", *who.Account)
	}
}
