package main

// The organization benchmark of docs/benchmarks.md:
//
//	go test -run '^$' -bench Organization -benchtime 1x -timeout 20m ./cmd/iam-baseline/
//
// status --organization at the default concurrency against one simulator
// holding the organization, every request 100 ms late and every member's
// credential report taking 1 s to build, centralized root access on. Besides
// time it reports requests and root sessions (AssumeRoot, throttled tries
// included) per account and the process's peak RSS (tool and simulator together: an
// upper bound of the tool's), and fails if an account that can be entered
// was not audited.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/org"
)

func BenchmarkOrganizationStatus(b *testing.B) {
	for _, n := range []int{10, 100, 300, 1000} {
		b.Run(fmt.Sprintf("accounts=%d", n), func(b *testing.B) { benchOrgStatus(b, n, 0) })
	}
	b.Run("throttle=30%/accounts=200", func(b *testing.B) { benchOrgStatus(b, 200, 0.3) })
}

func benchOrgStatus(b *testing.B, n int, throttle float64) {
	for b.Loop() {
		b.StopTimer()
		srv := iamsim.NewServer(iamsim.Options{MemberAccounts: n, Seed: orgSeed})
		root := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
		ctx := context.Background()
		if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
			b.Fatal(err)
		}
		if _, err := root.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("ops"), PolicyArn: aws.String("arn:aws:iam::aws:policy/AdministratorAccess")}); err != nil {
			b.Fatal(err)
		}
		key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
		if err != nil {
			b.Fatal(err)
		}
		// Centralized root access on: each member's root is read through
		// a root session, the heavier path (three more requests).
		ops := iamsim.ClientConfig(srv.URL, aws.ToString(key.AccessKey.AccessKeyId))
		all := org.RootAccess{TrustIAM: true, RootCredentialsManagement: true, RootSessions: true}
		if err := org.EnableRootAccess(ctx, iam.NewFromConfig(ops), organizations.NewFromConfig(ops), all); err != nil {
			b.Fatal(err)
		}
		srv.Sim.SetLatency(100 * time.Millisecond)
		srv.Sim.SetCredentialReportDelay(time.Second)
		srv.Sim.SetThrottleRate(throttle)
		srv.Sim.ResetLog()
		var stdout, stderr bytes.Buffer
		env := newTestEnv(&stdout, &stderr, simAccount(srv.URL, aws.ToString(key.AccessKey.AccessKeyId)))
		b.StartTimer()
		start := time.Now()
		code := run(ctx, env, []string{"iam-baseline", "status", "--organization", "--output", "json"})
		wall := time.Since(start)
		b.StopTimer()
		if code != ExitFindings {
			b.Fatalf("exit %d\n%s", code, stderr.String())
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		log := srv.Sim.Log()
		sessions := 0
		for _, e := range log {
			if e.Action == "AssumeRoot" {
				sessions++
			}
		}
		b.ReportMetric(float64(len(log))/float64(n), "requests/account")
		b.ReportMetric(float64(sessions)/float64(n), "root-sessions/account")
		b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
		if lost := unaudited(b, stdout.Bytes()); lost != 0 {
			b.Fatalf("%d enterable accounts not audited", lost)
		}
		srv.Close()
		b.StartTimer()
	}
}

// unaudited counts accounts whose error is neither "suspended" nor a
// missing role, or whose root could not be read through its root session:
// the ones throttling or a slow report would have lost.
func unaudited(b *testing.B, out []byte) int {
	var got orgJSON
	if err := json.Unmarshal(out, &got); err != nil {
		b.Fatal(err)
	}
	lost := 0
	for _, a := range got.Accounts {
		if a.Error != "" && !strings.Contains(a.Error, "not active") && !strings.Contains(a.Error, "AccessDenied") {
			lost++
			b.Log(a.ID, a.Error)
		}
		if f := findingOf(a.Findings, audit.CheckRootAccessKeys); strings.Contains(f.Detail.String(), "through a root session") {
			lost++
			b.Log(a.ID, f.Detail)
		}
	}
	return lost
}

// peakRSSMB is the process's peak resident set (VmHWM), in MB.
func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			return float64(kb) / 1024
		}
	}
	return 0
}
