package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/org"
)

// orgHarness is an organization in one simulator, run against as an IAM
// user of the management account with AdministratorAccess (root cannot
// assume roles).
type orgHarness struct {
	t       *testing.T
	srv     *iamsim.Server
	members []iamsim.AccountConfig
	key     string
	env     []envOption
}

const orgSeed = 7

func newOrgHarness(t *testing.T, n int) *orgHarness {
	t.Helper()
	return newOrgHarnessAs(t, n, func(root *iam.Client) error {
		_, err := root.AttachUserPolicy(context.Background(), &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")})
		return err
	})
}

// newOrgHarnessAs runs as the management account's user ops, given its
// permissions by grant.
func newOrgHarnessAs(t *testing.T, n int, grant func(root *iam.Client) error) *orgHarness {
	t.Helper()
	return newOrgHarnessIn(t, "aws", n, grant)
}

// newOrgHarnessIn is newOrgHarnessAs with every account in partition.
func newOrgHarnessIn(t *testing.T, partition string, n int, grant func(root *iam.Client) error) *orgHarness {
	t.Helper()
	mgmt := iamsim.DefaultAccount()
	accounts := append([]iamsim.AccountConfig{mgmt}, iamsim.GenerateMembers(n, orgSeed)...)
	for i := range accounts {
		accounts[i].Partition = partition
	}
	srv := iamsim.NewServer(iamsim.Options{Accounts: accounts, Seed: orgSeed})
	t.Cleanup(srv.Close)
	root := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	c := context.Background()
	if _, err := root.CreateUser(c, &iam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
		t.Fatal(err)
	}
	if err := grant(root); err != nil {
		t.Fatal(err)
	}
	key, err := root.CreateAccessKey(c, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	return &orgHarness{t: t, srv: srv, members: iamsim.GenerateMembers(n, orgSeed), key: aws.ToString(key.AccessKey.AccessKeyId)}
}

func (h *orgHarness) run(args ...string) (int, string, string) {
	h.t.Helper()
	var out, errOut bytes.Buffer
	env := newTestEnv(&out, &errOut, append([]envOption{simAccount(h.srv.URL, h.key)}, h.env...)...)
	code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
	return code, out.String(), errOut.String()
}

type orgJSON struct {
	Accounts []struct {
		ID       string          `json:"id"`
		Findings []audit.Finding `json:"findings"`
		Error    string          `json:"error"`
	} `json:"accounts"`
}

func resultOf(findings []audit.Finding, id string) audit.Result {
	for _, f := range findings {
		if f.ID == id {
			return f.Result
		}
	}
	return ""
}

// The JSON result, account by account, matches the generated states: a
// suspended account and one without the access role are rows that say why;
// every other account's root key, root MFA and user MFA checks match what
// the generator gave it.
func TestOrganizationStatusMatchesGeneratedStates(t *testing.T) {
	h := newOrgHarness(t, 200)
	code, stdout, stderr := h.run("status", "--organization", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFindings, stderr)
	}
	var got orgJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if len(got.Accounts) != len(h.members) {
		t.Fatalf("%d accounts in the JSON, want %d", len(got.Accounts), len(h.members))
	}
	var suspended, noRole int
	for i, m := range h.members {
		a := got.Accounts[i]
		if a.ID != m.ID {
			t.Fatalf("account %d is %s, want %s", i, a.ID, m.ID)
		}
		switch {
		case m.Member.Suspended:
			suspended++
			if !strings.Contains(a.Error, "not active") || a.Findings != nil {
				t.Errorf("suspended %s: error %q, %d findings", m.ID, a.Error, len(a.Findings))
			}
			continue
		case !m.Member.AccessRole:
			noRole++
			if !strings.Contains(a.Error, "AccessDenied") || !strings.Contains(a.Error, "OrganizationAccountAccessRole") {
				t.Errorf("%s without the role: error %q", m.ID, a.Error)
			}
			continue
		case a.Error != "":
			t.Errorf("%s: unexpected error %s", m.ID, a.Error)
			continue
		}
		want := map[string]bool{
			audit.CheckRootAccessKeys: len(m.RootAccessKeyIDs) > 0,
			// A root user with no credential at all (Organizations creates
			// accounts so) is "removed": its MFA check does not apply.
			audit.CheckRootMFA:         !m.RootMFA && (m.Member.RootPassword || len(m.RootAccessKeyIDs) > 0 || m.Member.RootSigningCertificates > 0),
			audit.CheckConsoleUsersMFA: m.Member.UsersWithoutMFA > 0,
		}
		for check, fails := range want {
			if got := resultOf(a.Findings, check) == audit.ResultFail; got != fails {
				t.Errorf("%s: %s fails=%v, want %v", m.ID, check, got, fails)
			}
		}
	}
	if suspended == 0 || noRole == 0 {
		t.Fatalf("the generated organization lacks a state: %d suspended, %d without the role", suspended, noRole)
	}
}

// The text table puts the worst accounts first; CSV has one row per
// account and finding, and a row with the error for an account not
// audited.
func TestOrganizationStatusTextAndCSV(t *testing.T) {
	h := newOrgHarness(t, 8)
	code, stdout, stderr := h.run("status", "--organization", "--accounts", "210000000001,210000000003,210000000004", "--exclude-accounts", "210000000004")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	lines := strings.Split(stdout, "\n")
	if !strings.HasPrefix(lines[1], "210000000003") || !strings.HasPrefix(lines[2], "210000000001") || strings.Contains(stdout, "210000000004") {
		t.Fatalf("want member 3 (failing) above member 1 (not audited), member 4 excluded:\n%s", stdout)
	}
	if !strings.Contains(lines[1], audit.CheckRootAccessKeys) {
		t.Fatalf("member 3's row does not name its root key check:\n%s", stdout)
	}
	code, stdout, _ = h.run("status", "--organization", "--output", "csv", "--accounts", "210000000001,210000000003")
	rows, err := csv.NewReader(strings.NewReader(stdout)).ReadAll()
	if err != nil || code != ExitFindings {
		t.Fatalf("exit %d, %v:\n%s", code, err, stdout)
	}
	var errRows, rootKeyFail int
	for _, r := range rows[1:] {
		if r[0] == "210000000001" && r[3] == "error" {
			errRows++
		}
		if r[0] == "210000000003" && r[2] == audit.CheckRootAccessKeys && r[3] == "fail" {
			rootKeyFail++
		}
	}
	if errRows != 1 || rootKeyFail != 1 {
		t.Fatalf("csv: %d error rows for member 1, %d root key failures for member 3:\n%s", errRows, rootKeyFail, stdout)
	}
}

// Bad organization flags are usage errors before any request; an account
// the organization does not hold is an error, not an empty audit.
func TestOrganizationFlagsCheckedFirst(t *testing.T) {
	h := newOrgHarness(t, 6)
	h.srv.Sim.ResetLog()
	for _, args := range [][]string{
		{"--accounts", "12345"}, {"--exclude-accounts", "abc"}, {"--ou", "nope"}, {"--concurrency", "0"}, {"--role-name", "bad/role"},
	} {
		code, _, stderr := h.run(append([]string{"status", "--organization"}, args...)...)
		if code != ExitUsage || !strings.Contains(stderr, "--"+strings.TrimPrefix(args[0], "--")) {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	if n := len(h.srv.Sim.Log()); n != 0 {
		t.Fatalf("%d requests before the flags were checked", n)
	}
	code, _, stderr := h.run("status", "--organization", "--accounts", "999999999999")
	if code != ExitError || !strings.Contains(stderr, "999999999999 is not in the organization") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	code, _, stderr = h.run("status", "--output", "csv")
	if code != ExitUsage || !strings.Contains(stderr, "needs --organization") {
		t.Fatalf("csv without --organization: exit %d, stderr %q", code, stderr)
	}
}

// Under 30% throttling of every request, every account that can be entered
// is still audited, its root read through its root session: the retryer
// rides it out.
func TestOrganizationStatusUnderThrottling(t *testing.T) {
	h := newOrgHarness(t, 60)
	h.enableRootAccess()
	h.env = append(h.env, func(e *Env) {
		e.RetryBackoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	})
	h.srv.Sim.SetThrottleRate(0.3)
	h.srv.Sim.ResetLog()
	code, stdout, stderr := h.run("status", "--organization", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	throttled := 0
	for _, e := range h.srv.Sim.Log() {
		if e.ErrorCode == "Throttling" {
			throttled++
		}
	}
	if throttled == 0 {
		t.Fatal("nothing was throttled")
	}
	var got orgJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	for i, a := range got.Accounts {
		m := h.members[i].Member
		if a.Error != "" && !m.Suspended && m.AccessRole {
			t.Errorf("%s lost to throttling: %s", a.ID, a.Error)
		}
		if f := findingOf(a.Findings, audit.CheckRootAccessKeys); f.Result == audit.ResultManual {
			t.Errorf("%s: root lost to throttling: %s", a.ID, f.Detail)
		}
	}
}

// enableRootAccess turns on centralized root access as the management
// account's user ops.
func (h *orgHarness) enableRootAccess() {
	h.t.Helper()
	cfg := iamsim.ClientConfig(h.srv.URL, h.key)
	all := org.RootAccess{TrustIAM: true, RootCredentialsManagement: true, RootSessions: true}
	if err := org.EnableRootAccess(context.Background(), iam.NewFromConfig(cfg), organizations.NewFromConfig(cfg), all); err != nil {
		h.t.Fatal(err)
	}
}

// requestsPerAccount counts the requests each member cost: those signed in
// it (its role session and its root session) and the management account's
// AssumeRole and AssumeRoot into it.
func requestsPerAccount(log []iamsim.LogEntry) map[string]int {
	n := map[string]int{}
	for _, e := range log {
		switch e.Action {
		case "AssumeRole":
			n[strings.Split(e.Params["RoleArn"], ":")[4]]++
		case "AssumeRoot":
			n[e.Params["TargetPrincipal"]]++
		default:
			n[e.AccountID]++
		}
	}
	return n
}

// audited are the generated members status can enter.
func (h *orgHarness) audited() []iamsim.AccountConfig {
	var out []iamsim.AccountConfig
	for _, m := range h.members {
		if !m.Member.Suspended && m.Member.AccessRole {
			out = append(out, m)
		}
	}
	return out
}

// constantRequests is the one number of requests every audited member
// cost; it fails the test when they differ.
func (h *orgHarness) constantRequests(log []iamsim.LogEntry) int {
	h.t.Helper()
	counts := requestsPerAccount(log)
	want := counts[h.audited()[0].ID]
	for _, m := range h.audited() {
		if counts[m.ID] != want {
			h.t.Fatalf("member %s cost %d requests, member %s %d", m.ID, counts[m.ID], h.audited()[0].ID, want)
		}
	}
	return want
}

// With centralized root access on, each member's root checks come from a
// root session opened with the audit task policy, and equal the generated
// states; the member role's GetAccountSummary and virtual MFA listing are
// not called. Without it, no root session is opened. Either way every
// audited member costs the same number of requests: three more with root
// sessions (AssumeRoot and four reads of root, instead of two). Each run
// has its own simulator: a second run would find the credential reports
// already built.
func TestOrganizationStatusReadsRootThroughAssumeRoot(t *testing.T) {
	h := newOrgHarness(t, 60)
	h.srv.Sim.ResetLog()
	if code, _, stderr := h.run("status", "--organization", "--output", "json"); code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	off := h.srv.Sim.Log()
	for _, e := range off {
		if e.Action == "AssumeRoot" {
			t.Fatal("a root session was opened with centralized root access off")
		}
	}
	offCount := h.constantRequests(off)

	h = newOrgHarness(t, 60)
	h.enableRootAccess()
	h.srv.Sim.ResetLog()
	code, stdout, stderr := h.run("status", "--organization", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var got orgJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	byID := map[string]int{}
	for i, a := range got.Accounts {
		byID[a.ID] = i
	}
	var keys, noMFA, removed int
	for _, m := range h.audited() {
		a := got.Accounts[byID[m.ID]]
		if a.Error != "" {
			t.Fatalf("%s: %s", m.ID, a.Error)
		}
		holds := m.Member.RootPassword || len(m.RootAccessKeyIDs) > 0 || m.Member.RootSigningCertificates > 0 || m.RootMFA
		want := map[string]audit.Result{audit.CheckRootAccessKeys: audit.ResultPass, audit.CheckRootMFA: audit.ResultPass}
		switch {
		case !holds:
			removed++
			want[audit.CheckRootAccessKeys], want[audit.CheckRootMFA] = audit.ResultNotApplicable, audit.ResultNotApplicable
		case !m.RootMFA:
			noMFA++
			want[audit.CheckRootMFA] = audit.ResultFail
		}
		if holds && len(m.RootAccessKeyIDs) > 0 {
			keys++
			want[audit.CheckRootAccessKeys] = audit.ResultFail
		}
		for check, w := range want {
			if r := resultOf(a.Findings, check); r != w {
				t.Errorf("%s: %s is %s, want %s", m.ID, check, r, w)
			}
		}
	}
	if keys == 0 || noMFA == 0 || removed == 0 {
		t.Fatalf("the generated organization lacks a state: %d with root keys, %d without root MFA, %d without root credentials", keys, noMFA, removed)
	}
	on := h.srv.Sim.Log()
	sessions := map[string]int{}
	for _, e := range on {
		switch e.Action {
		case "AssumeRoot":
			if !strings.HasSuffix(e.Params["TaskPolicyArn.arn"], "/root-task/IAMAuditRootUserCredentials") {
				t.Errorf("status opened a root session with %s", e.Params["TaskPolicyArn.arn"])
			}
			sessions[e.Params["TargetPrincipal"]]++
		case "GetAccountSummary", "ListVirtualMFADevices":
			t.Errorf("%s read root through %s", e.AccountID, e.Action)
		}
	}
	for _, m := range h.audited() {
		if sessions[m.ID] != 1 {
			t.Errorf("%s: %d root sessions, want 1", m.ID, sessions[m.ID])
		}
	}
	if onCount := h.constantRequests(on); onCount != offCount+3 {
		t.Fatalf("%d requests per member with root sessions, want %d (%d without)", onCount, offCount+3, offCount)
	}
}

// A root session that cannot be opened in one member makes that member's
// root checks manual, saying why; the rest of its audit, and the other
// members, stand.
func TestOrganizationStatusRootSessionFailure(t *testing.T) {
	h := newOrgHarness(t, 12)
	h.enableRootAccess()
	h.srv.Sim.AddFault(iamsim.Fault{Action: "AssumeRoot", Nth: 1, Code: "AccessDenied", Message: "an SCP denies it"})
	code, stdout, stderr := h.run("status", "--organization", "--output", "json")
	if code != ExitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var got orgJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	manual := 0
	for i, a := range got.Accounts {
		m := h.members[i]
		if a.Error != "" {
			continue
		}
		f := findingOf(a.Findings, audit.CheckRootAccessKeys)
		if f.Result != audit.ResultManual {
			continue
		}
		manual++
		if !strings.Contains(f.Detail.String(), "an SCP denies it") || resultOf(a.Findings, audit.CheckRootMFA) != audit.ResultManual {
			t.Errorf("%s: root checks %q, want manual with the reason", a.ID, f.Detail)
		}
		if fails := resultOf(a.Findings, audit.CheckConsoleUsersMFA) == audit.ResultFail; fails != (m.Member.UsersWithoutMFA > 0) {
			t.Errorf("%s: the rest of the audit did not stand: console users' MFA fails=%v", a.ID, fails)
		}
	}
	if manual != 1 {
		t.Fatalf("%d members with manual root checks, want 1:\n%s", manual, stdout)
	}
}

func findingOf(findings []audit.Finding, id string) audit.Finding {
	for _, f := range findings {
		if f.ID == id {
			return f
		}
	}
	return audit.Finding{}
}
