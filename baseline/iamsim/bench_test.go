package iamsim_test

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// BenchmarkCreateUser measures one mutating round trip through the SDK.
func BenchmarkCreateUser(b *testing.B) {
	srv := iamsim.NewServer(iamsim.Options{})
	defer srv.Close()
	c := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	b.ResetTimer()
	for i := range b.N {
		if i > 0 && i%4000 == 0 {
			b.StopTimer()
			srv.Close()
			srv = iamsim.NewServer(iamsim.Options{})
			c = iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
			b.StartTimer()
		}
		if _, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%d", i))}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListUsers5000 pages through a 5,000-user account (5 pages).
func BenchmarkListUsers5000(b *testing.B) {
	srv := iamsim.NewServer(iamsim.Options{})
	defer srv.Close()
	if err := srv.Sim.SeedUsers(iamsim.DefaultAccountID, "user", 5000); err != nil {
		b.Fatal(err)
	}
	c := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	b.ResetTimer()
	for range b.N {
		n := 0
		p := iam.NewListUsersPaginator(c, &iam.ListUsersInput{MaxItems: aws.Int32(1000)})
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(out.Users)
		}
		if n != 5000 {
			b.Fatalf("%d users", n)
		}
	}
	b.ReportMetric(float64(srv.Sim.MaxDepth())/float64(b.N), "round-trips/op")
}
