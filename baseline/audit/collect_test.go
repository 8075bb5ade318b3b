package audit_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

var ctx = context.Background()

// fakeClock is shared by the simulator and status: Sleep moves it on.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 11, 30, 3, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.Advance(d)
	return ctx.Err()
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type env struct {
	t       *testing.T
	srv     *iamsim.Server
	sim     *iamsim.Sim
	clock   *fakeClock
	iam     *iam.Client
	sts     *sts.Client
	account *account.Client
	aa      *accessanalyzer.Client
}

func newEnv(t *testing.T, accounts ...iamsim.AccountConfig) *env {
	t.Helper()
	clock := newFakeClock()
	srv := iamsim.NewServer(iamsim.Options{Accounts: accounts, Now: clock.Now})
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, sim: srv.Sim, clock: clock}
	e.iam, e.sts = e.clients(iamsim.DefaultRootAccessKeyID)
	e.account = account.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	e.aa = accessanalyzer.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	return e
}

func (e *env) clients(accessKeyID string) (*iam.Client, *sts.Client) {
	cfg := iamsim.ClientConfig(e.srv.URL, accessKeyID)
	return iam.NewFromConfig(cfg), sts.NewFromConfig(cfg)
}

func (e *env) deps() audit.Deps {
	return audit.Deps{IAM: e.iam, STS: e.sts, Account: e.account, AccessAnalyzer: e.aa, Clock: e.clock}
}

var target = audit.Target{GroupName: "admin", UserName: "administrator"}

func (e *env) status() audit.Report {
	e.t.Helper()
	snap, err := audit.Collect(ctx, e.deps(), target)
	if err != nil {
		e.t.Fatalf("collect: %v", err)
	}
	return audit.Evaluate(snap)
}

func (e *env) must(_ any, err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

// baseline sets up what apply would, except MFA.
func (e *env) baseline(partition string) {
	e.t.Helper()
	c := e.iam
	e.must(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	e.must(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"),
		PolicyArn: aws.String(baseline.AdminPolicyARN(partition))}))
	e.must(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("administrator")}))
	e.must(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("administrator"),
		Password: aws.String("Correct-Horse-Battery-9"), PasswordResetRequired: true}))
	e.must(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	e.must(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), PasswordReusePrevention: aws.Int32(24), AllowUsersToChangePassword: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, RequireNumbers: true, RequireSymbols: true}))
}

func results(r audit.Report) map[string]audit.Result {
	m := map[string]audit.Result{}
	for _, f := range r.Findings {
		m[f.ID] = f.Result
	}
	return m
}

func wantResults(t *testing.T, r audit.Report, want map[string]audit.Result) {
	t.Helper()
	got := results(r)
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s = %s, want %s", id, got[id], w)
		}
	}
}

func finding(t *testing.T, r audit.Report, id string) audit.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("no finding %s", id)
	return audit.Finding{}
}

func TestFreshAccountAsRoot(t *testing.T) {
	e := newEnv(t)
	r := e.status()
	if !r.Account.IsRoot || r.Account.ID != iamsim.DefaultAccountID || r.Account.Partition != "aws" {
		t.Errorf("account %+v", r.Account)
	}
	wantResults(t, r, map[string]audit.Result{
		audit.CheckRootAccessKeys:     audit.ResultFail,
		audit.CheckRootMFA:            audit.ResultFail,
		audit.CheckRootHardwareMFA:    audit.ResultFail,
		audit.CheckIndividualUsers:    audit.ResultFail,
		audit.CheckGroupPermissions:   audit.ResultPass,
		audit.CheckPasswordPolicy:     audit.ResultFail,
		audit.CheckPasswordLength:     audit.ResultFail,
		audit.CheckPasswordReuse:      audit.ResultFail,
		audit.CheckBaselineGroup:      audit.ResultFail,
		audit.CheckBaselineUser:       audit.ResultFail,
		audit.CheckBaselineMembership: audit.ResultFail,
		audit.CheckBaselineUserMFA:    audit.ResultFail,
	})
	if fix := finding(t, r, audit.CheckRootAccessKeys).Fix; fix == nil || !strings.Contains(fix.Apply.String(), "--delete-root-access-keys") {
		t.Errorf("root caller: root key fix %+v should offer apply", fix)
	}
	if !r.Failed() {
		t.Error("a fresh account must fail the audit")
	}
	if n := len(e.sim.MutatingRequests()); n > 1 {
		t.Errorf("status made %d mutating requests: %+v", n, e.sim.MutatingRequests())
	}
}

func TestBaselineAccountPasses(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.sim.SetRoot(iamsim.DefaultAccountID, nil, true)
	// The baseline's user signs the audit: an IAM caller, not root.
	r := e.status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckRootAccessKeys:     audit.ResultPass,
		audit.CheckRootMFA:            audit.ResultPass,
		audit.CheckIndividualUsers:    audit.ResultPass,
		audit.CheckGroupPermissions:   audit.ResultPass,
		audit.CheckPasswordPolicy:     audit.ResultPass,
		audit.CheckPasswordLength:     audit.ResultPass,
		audit.CheckPasswordReuse:      audit.ResultPass,
		audit.CheckBaselineGroup:      audit.ResultPass,
		audit.CheckBaselineUser:       audit.ResultPass,
		audit.CheckBaselineMembership: audit.ResultPass,
		audit.CheckBaselineUserMFA:    audit.ResultFail,
	})
}

func TestUserPoliciesFailGroupPermissions(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	for _, name := range []string{"alice", "bob", "carol"} {
		e.must(e.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(name)}))
	}
	e.must(e.iam.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("alice"),
		PolicyArn: aws.String("arn:aws:iam::aws:policy/ReadOnlyAccess")}))
	e.must(e.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("s3-read"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"*"}]}`)}))
	f := finding(t, e.status(), audit.CheckGroupPermissions)
	want := []string{"alice: attached arn:aws:iam::aws:policy/ReadOnlyAccess", "bob: inline s3-read"}
	if f.Result != audit.ResultFail || strings.Join(locale.English.Msgs(f.Offenders), "|") != strings.Join(want, "|") {
		t.Errorf("%s %v, want fail with %v", f.Result, f.Offenders, want)
	}
}

// rootlessEnv is an account at the baseline whose root user has no
// credential at all.
func rootlessEnv(t *testing.T) *env {
	acct := iamsim.DefaultAccount()
	acct.RootAccessKeyIDs = nil
	acct.RootCredentialsRemoved = true
	e := newEnv(t, acct)
	e.baseline("aws")
	return e
}

func TestCentralizedRootAccessIsNotApplicable(t *testing.T) {
	r := rootlessEnv(t).status()
	wantResults(t, r, map[string]audit.Result{
		audit.CheckRootAccessKeys:  audit.ResultNotApplicable,
		audit.CheckRootMFA:         audit.ResultNotApplicable,
		audit.CheckRootHardwareMFA: audit.ResultNotApplicable,
	})
	if !r.Account.RootCredentialsRemoved {
		t.Error("account does not say root credentials were removed")
	}
}

func TestGovCloud(t *testing.T) {
	acct := iamsim.DefaultAccount()
	acct.Partition = "aws-us-gov"
	e := newEnv(t, acct)
	e.baseline("aws-us-gov")
	r := e.status()
	if r.Account.Partition != "aws-us-gov" {
		t.Fatalf("partition %q", r.Account.Partition)
	}
	wantResults(t, r, map[string]audit.Result{
		audit.CheckRootAccessKeys:  audit.ResultFail,
		audit.CheckRootMFA:         audit.ResultNotApplicable,
		audit.CheckRootHardwareMFA: audit.ResultNotApplicable,
		audit.CheckBaselineGroup:   audit.ResultPass,
	})
	if d := finding(t, r, audit.CheckBaselineGroup).Detail; !strings.Contains(d.String(), "arn:aws-us-gov:iam::aws:policy/AdministratorAccess") {
		t.Errorf("group detail %q lacks the GovCloud policy ARN", d)
	}
	if c := finding(t, r, audit.CheckRootAccessKeys).Fix.Console; !strings.Contains(c.String(), "console.amazonaws-us-gov.com") {
		t.Errorf("root key console path %q is not GovCloud's", c)
	}
}

// addUsers seeds n more users straight into the simulator.
func (e *env) addUsers(n int) {
	e.t.Helper()
	if err := e.sim.SeedUsers(iamsim.DefaultAccountID, "user", n); err != nil {
		e.t.Fatal(err)
	}
}

// requestsPerAction audits the account once and counts its requests.
func (e *env) requestsPerAction() (map[string]int, int, int) {
	e.t.Helper()
	// Latency makes concurrent requests overlap, so MaxDepth counts the
	// round trips status waits for one after another.
	e.sim.SetLatency(30 * time.Millisecond)
	defer e.sim.SetLatency(0)
	e.sim.ResetLog()
	e.status()
	counts := map[string]int{}
	log := e.sim.Log()
	for _, l := range log {
		counts[l.Action]++
	}
	return counts, len(log), e.sim.MaxDepth()
}

func TestRequestCountDoesNotFollowUserCount(t *testing.T) {
	if testing.Short() {
		t.Skip("creates 5,000 users")
	}
	small := newEnv(t)
	small.baseline("aws")
	small.addUsers(9) // 10 users with the administrator
	large := newEnv(t)
	large.baseline("aws")
	large.addUsers(4999) // 5,000: IAM's default quota

	smallCounts, smallTotal, smallDepth := small.requestsPerAction()
	largeCounts, largeTotal, largeDepth := large.requestsPerAction()
	t.Logf("10 users: %d requests, depth %d, %v", smallTotal, smallDepth, smallCounts)
	t.Logf("5,000 users: %d requests, depth %d, %v", largeTotal, largeDepth, largeCounts)

	// Only GetAccountAuthorizationDetails pages (1,000 users and groups a
	// page) grow, by one request per 1,000 users; nothing is asked per user.
	for action, n := range largeCounts {
		if action == "GetAccountAuthorizationDetails" {
			continue
		}
		if smallCounts[action] != n {
			t.Errorf("%s: %d requests for 10 users, %d for 5,000", action, smallCounts[action], n)
		}
	}
	if got, want := largeCounts["GetAccountAuthorizationDetails"], 6; got != want { // 5,000 users + 1 group
		t.Errorf("GetAccountAuthorizationDetails pages for 5,000 users = %d, want %d", got, want)
	}
	if smallCounts["GetAccountAuthorizationDetails"] != 1 {
		t.Errorf("GetAccountAuthorizationDetails pages for 10 users = %d", smallCounts["GetAccountAuthorizationDetails"])
	}
	if largeTotal-smallTotal != 5 {
		t.Errorf("5,000 users took %d requests more than 10 users, want 5 (the extra pages)", largeTotal-smallTotal)
	}
	for action, n := range largeCounts {
		if strings.HasPrefix(action, "ListUser") || strings.HasPrefix(action, "ListGroupsForUser") || strings.HasPrefix(action, "ListAttachedUser") {
			t.Errorf("per-user call %s made %d times", action, n)
		}
	}
	// Every read starts at once: for 10 users the depth is the credential
	// report's chain on a fresh account (get: not present, generate:
	// started, generate: complete, get). For 5,000 users the six pages of
	// GetAccountAuthorizationDetails are the longest chain; the simulator's
	// depth can count a page after an unrelated report request, so it is
	// only logged.
	if smallDepth > 4 {
		t.Errorf("depth for 10 users = %d, want at most 4", smallDepth)
	}
}

// With a root session, root's credentials are read through it, not from
// GetAccountSummary or the virtual MFA listing; when it cannot be opened,
// the root checks say why and the rest of the audit stands.
func TestRootSessionFailureKeepsTheAudit(t *testing.T) {
	e := newEnv(t)
	e.baseline("aws")
	e.sim.ResetLog()
	deps := e.deps()
	deps.RootSession = func(context.Context) (audit.RootSessionAPI, error) {
		return nil, errors.New("opening a root audit session in 123456789012: AccessDenied: an SCP denies it")
	}
	snap, err := audit.Collect(ctx, deps, target)
	if err != nil {
		t.Fatal(err)
	}
	r := audit.Evaluate(snap)
	for _, id := range []string{audit.CheckRootAccessKeys, audit.CheckRootMFA, audit.CheckRootHardwareMFA} {
		f := finding(t, r, id)
		if f.Result != audit.ResultManual || !strings.Contains(f.Detail.String(), "an SCP denies it") {
			t.Errorf("%s: %s %q, want manual with the reason", id, f.Result, f.Detail)
		}
	}
	wantResults(t, r, map[string]audit.Result{audit.CheckBaselineGroup: audit.ResultPass, audit.CheckPasswordPolicy: audit.ResultPass})
	if r.Account.RootCredentialsRemoved {
		t.Error("an unread root counts as having no credentials")
	}
	for _, l := range e.sim.Log() {
		if l.Action == "GetAccountSummary" || l.Action == "ListVirtualMFADevices" {
			t.Errorf("root read through %s despite the root session", l.Action)
		}
	}
}
