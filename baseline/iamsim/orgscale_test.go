package iamsim_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// observed is what a session in a member account reads of its root and
// users.
type observed struct {
	keys, mfa, password, certs bool
	users                      string
}

func readMember(t *testing.T, c *iam.Client) observed {
	t.Helper()
	sum := must[*iam.GetAccountSummaryOutput](t)(c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})).SummaryMap
	var names []string
	if users, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err == nil {
		for _, u := range users.Users {
			names = append(names, *u.UserName)
		}
	}
	sort.Strings(names)
	return observed{
		keys: sum["AccountAccessKeysPresent"] == 1, mfa: sum["AccountMFAEnabled"] == 1,
		password: sum["AccountPasswordPresent"] == 1, certs: sum["AccountSigningCertificatesPresent"] == 1,
		users: fmt.Sprint(names),
	}
}

func wantObserved(m iamsim.AccountConfig, withUsers bool) observed {
	var names []string
	for i := 1; i <= m.Member.UsersWithMFA; i++ {
		names = append(names, fmt.Sprintf("user-mfa-%d", i))
	}
	for i := 1; i <= m.Member.UsersWithoutMFA; i++ {
		names = append(names, fmt.Sprintf("user-nomfa-%d", i))
	}
	if !withUsers {
		names = nil
	}
	sort.Strings(names)
	return observed{keys: len(m.RootAccessKeyIDs) > 0, mfa: m.RootMFA, password: m.Member.RootPassword,
		certs: m.Member.RootSigningCertificates > 0, users: fmt.Sprint(names)}
}

// TestOrganizationOf200MatchesItsConfiguration enters every one of 200
// generated members the way an organization-wide audit would (the access
// role, else a root audit session) and checks what it reads against the
// generated state: suspended accounts and members without the role are the
// unreachable rows.
func TestOrganizationOf200MatchesItsConfiguration(t *testing.T) {
	const n = 200
	f := start(t, iamsim.Options{MemberAccounts: n, Seed: 11})
	f.enableRootAccess(t)
	admin := f.rootAdmin(t)
	reached, viaRoot, refused := 0, 0, 0
	for _, m := range iamsim.GenerateMembers(n, 11) {
		session, roleErr := f.enter(t, m.ID)
		root, rootErr := assumeRoot(admin, m.ID, auditTask)
		switch {
		case m.Member.Suspended:
			wantError(t, roleErr, "AccessDenied", 403)
			wantError(t, rootErr, "AccessDenied", 403, "suspended")
			refused++
			continue
		case !m.Member.AccessRole:
			wantError(t, roleErr, "AccessDenied", 403)
		case roleErr != nil:
			t.Fatalf("%s: %v", m.ID, roleErr)
		default:
			c, _ := f.clients(session)
			if got, want := readMember(t, c), wantObserved(m, true); got != want {
				t.Errorf("%s through the role: got %+v, want %+v", m.ID, got, want)
			}
			reached++
		}
		if rootErr != nil {
			t.Fatalf("%s: AssumeRoot: %v", m.ID, rootErr)
		}
		c, _ := f.clients(*root.Credentials.AccessKeyId)
		// The audit task cannot list users: the root session sees root only.
		if got, want := readMember(t, c), wantObserved(m, false); got != want {
			t.Errorf("%s through AssumeRoot: got %+v, want %+v", m.ID, got, want)
		}
		viaRoot++
	}
	if refused == 0 || reached == 0 || viaRoot == reached {
		t.Fatalf("not varied: %d reached by role, %d by root session, %d refused", reached, viaRoot, refused)
	}
}

// BenchmarkOrganization1000 builds a 1,000-member organization and lists it
// once through the SDK: building must stay cheap for benchmarks that start
// one per run.
func BenchmarkOrganization1000(b *testing.B) {
	for range b.N {
		srv := iamsim.NewServer(iamsim.Options{MemberAccounts: 1000, Seed: 1})
		cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
		p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(cfg), &organizations.ListAccountsInput{})
		n := 0
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(out.Accounts)
		}
		if n != 1001 {
			b.Fatalf("%d accounts", n)
		}
		operator := sts.NewFromConfig(iamsim.ClientConfig(srv.URL, operatorKey(b, iam.NewFromConfig(cfg))))
		out, err := operator.AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::210000001000:role/" + iamsim.AccessRoleName), RoleSessionName: aws.String("bench")})
		if err == nil && out.Credentials == nil {
			b.Fatal("no credentials")
		}
		srv.Close()
	}
}

// BenchmarkOrganizationAuditShape walks 1,000 members at 100 ms per request
// the way an organization audit will (enter, then two reads), 50 accounts at
// a time: the simulator must not be what limits such a run.
func BenchmarkOrganizationAuditShape(b *testing.B) {
	const n, workers = 1000, 50
	for range b.N {
		srv := iamsim.NewServer(iamsim.Options{MemberAccounts: n, Seed: 1, Latency: 100 * time.Millisecond})
		cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
		mgmt := sts.NewFromConfig(iamsim.ClientConfig(srv.URL, operatorKey(b, iam.NewFromConfig(cfg))))
		ids := make(chan string)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for id := range ids {
					out, err := mgmt.AssumeRole(ctx, &sts.AssumeRoleInput{
						RoleArn: aws.String("arn:aws:iam::" + id + ":role/" + iamsim.AccessRoleName), RoleSessionName: aws.String("audit")})
					if err != nil {
						continue // suspended or without the role
					}
					c := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, *out.Credentials.AccessKeyId))
					if _, err := c.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{}); err != nil {
						b.Error(err)
					}
					if _, err := c.ListUsers(ctx, &iam.ListUsersInput{}); err != nil {
						b.Error(err)
					}
				}
			}()
		}
		for _, m := range iamsim.GenerateMembers(n, 1) {
			ids <- m.ID
		}
		close(ids)
		wg.Wait()
		b.ReportMetric(float64(len(srv.Sim.Log())), "requests/op")
		srv.Close()
	}
}
