package audit_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// BenchmarkStatus audits accounts of 10 and 5,000 users with 20 ms of
// simulated latency per request, and reports the requests one audit makes
// and their round-trip depth (the longest chain that waited on itself).
//
//	go test ./baseline/audit -run XXX -bench Status -benchtime 3x
func BenchmarkStatus(b *testing.B) {
	for _, users := range []int{10, 5000} {
		b.Run(fmt.Sprintf("users=%d", users), func(b *testing.B) {
			clock := newFakeClock()
			srv := iamsim.NewServer(iamsim.Options{Now: clock.Now})
			defer srv.Close()
			if err := srv.Sim.SeedUsers(iamsim.DefaultAccountID, "user", users); err != nil {
				b.Fatal(err)
			}
			e := &env{srv: srv, sim: srv.Sim, clock: clock}
			e.iam, e.sts = e.clients(iamsim.DefaultRootAccessKeyID)
			srv.Sim.SetLatency(20 * time.Millisecond)
			requests, depth := 0, 0
			b.ResetTimer()
			for range b.N {
				// A new report each time: the slower, first-run path.
				clock.Advance(audit.ReportMaxAge + time.Minute)
				srv.Sim.ResetLog()
				if _, err := audit.Collect(ctx, e.deps(), target); err != nil {
					b.Fatal(err)
				}
				requests += len(srv.Sim.Log())
				depth += srv.Sim.MaxDepth()
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(depth)/float64(b.N), "depth/op")
		})
	}
}
