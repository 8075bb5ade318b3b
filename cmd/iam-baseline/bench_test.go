package main

// Benchmarks of the command line, run in-process against iamsim with added
// latency. Only `go test -bench` runs them (see docs/benchmarks.md):
//
//	go test -run '^$' -bench . -benchtime 10x ./cmd/iam-baseline/
//
// Besides time, each reports the round-trip depth (the longest chain of
// requests that waited for each other; at 100 ms a round trip each level
// costs 100 ms) and the number of requests. At 0 ms the depth can read
// higher than the design's: on loopback an answer may be back before a
// request sent "at the same time" has left, and then they form a chain.

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

var benchLatencies = []time.Duration{0, 100 * time.Millisecond}

// benchRun runs the command line in-process against the simulator at url
// and fails the benchmark unless it exits with wantCode.
func benchRun(b *testing.B, url string, wantCode int, args ...string) {
	var stdout, stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, simAccount(url, iamsim.DefaultRootAccessKeyID))
	if code := run(context.Background(), env, append([]string{"iam-baseline"}, args...)); code != wantCode {
		b.Fatalf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, wantCode, stdout.String(), stderr.String())
	}
}

// depthMeter keeps the largest depth and the request count per operation.
type depthMeter struct {
	depth    int
	requests int
	ops      int
}

func (m *depthMeter) add(s *iamsim.Sim) {
	m.depth = max(m.depth, s.MaxDepth())
	m.requests += len(s.Log())
	m.ops++
}

func (m *depthMeter) report(b *testing.B) {
	b.ReportMetric(float64(m.depth), "depth")
	if m.ops > 0 {
		b.ReportMetric(float64(m.requests)/float64(m.ops), "requests/op")
	}
}

func latencyName(d time.Duration) string { return "latency=" + d.String() }

// BenchmarkPlan: `iam-baseline plan` on a fresh account (reads only).
func BenchmarkPlan(b *testing.B) {
	for _, latency := range benchLatencies {
		b.Run(latencyName(latency), func(b *testing.B) {
			srv := iamsim.NewServer(iamsim.Options{Latency: latency})
			defer srv.Close()
			var m depthMeter
			for b.Loop() {
				srv.Sim.ResetLog()
				benchRun(b, srv.URL, 0, "plan", "--no-color")
				m.add(srv.Sim)
			}
			m.report(b)
		})
	}
}

// BenchmarkApply: `iam-baseline apply --non-interactive --yes
// --password-file F --mfa-secret-file G` on a fresh account each time: the
// whole baseline including the MFA device.
func BenchmarkApply(b *testing.B) {
	for _, latency := range benchLatencies {
		b.Run(latencyName(latency), func(b *testing.B) {
			dir := b.TempDir()
			var m depthMeter
			n := 0
			for b.Loop() {
				b.StopTimer()
				srv := iamsim.NewServer(iamsim.Options{Latency: latency})
				n++
				pw := filepath.Join(dir, fmt.Sprintf("password-%d", n))
				uri := filepath.Join(dir, fmt.Sprintf("mfa-%d.uri", n))
				b.StartTimer()
				benchRun(b, srv.URL, 0, "apply", "--non-interactive", "--yes", "--no-color", "--password-file", pw, "--mfa-secret-file", uri)
				b.StopTimer()
				m.add(srv.Sim)
				srv.Close()
				b.StartTimer()
			}
			m.report(b)
		})
	}
}

// BenchmarkStatus: `iam-baseline status` once the credential report exists
// (the usual case: AWS keeps one for four hours), on a fresh account and on
// one with 5,000 users; and the first status of the 5,000-user account,
// which has the report generated (the audit polls it at most once a second).
func BenchmarkStatus(b *testing.B) {
	for _, latency := range benchLatencies {
		for _, users := range []int{0, 5000} {
			b.Run(fmt.Sprintf("%s/users=%d", latencyName(latency), users), func(b *testing.B) {
				srv := statusServer(b, latency, users)
				defer srv.Close()
				benchRun(b, srv.URL, ExitFindings, "status") // the credential report now exists
				var m depthMeter
				for b.Loop() {
					srv.Sim.ResetLog()
					benchRun(b, srv.URL, ExitFindings, "status", "--no-color")
					m.add(srv.Sim)
				}
				m.report(b)
			})
		}
	}
	b.Run("latency=100ms/users=5000/new-report", func(b *testing.B) {
		var m depthMeter
		for b.Loop() {
			b.StopTimer()
			srv := statusServer(b, 100*time.Millisecond, 5000)
			b.StartTimer()
			benchRun(b, srv.URL, ExitFindings, "status", "--no-color")
			b.StopTimer()
			m.add(srv.Sim)
			srv.Close()
			b.StartTimer()
		}
		m.report(b)
	})
}

func statusServer(b *testing.B, latency time.Duration, users int) *iamsim.Server {
	srv := iamsim.NewServer(iamsim.Options{Latency: latency})
	if users > 0 {
		if err := srv.Sim.SeedUsers(iamsim.DefaultAccountID, "user", users); err != nil {
			srv.Close()
			b.Fatal(err)
		}
	}
	return srv
}
