package iamsim_test

import (
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func TestFaultNthCall(t *testing.T) {
	f := start(t, iamsim.Options{})
	f.sim.AddFault(iamsim.Fault{Action: "CreateUser", Nth: 2, Code: "ServiceFailure"})
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a")}))
	_, err := f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("b")})
	wantError(t, err, "ServiceFailure", 500)
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("c")}))
	// The failed call changed nothing.
	_, err = f.iam.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("b")})
	wantError(t, err, "NoSuchEntity", 404)
	log := f.sim.Log()
	if log[1].ErrorCode != "ServiceFailure" || log[1].Status != 500 {
		t.Fatalf("log %+v", log[1])
	}
}

func TestFaultEveryCallAndAfterHandling(t *testing.T) {
	f := start(t, iamsim.Options{})
	f.sim.AddFault(iamsim.Fault{Action: "CreateGroup", Code: "ServiceFailure", AfterHandling: true})
	_, err := f.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")})
	wantError(t, err, "ServiceFailure", 500)
	// The change was made although the answer was an error.
	must[*iam.GetGroupOutput](t)(f.iam.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admin")}))
	_, err = f.iam.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("other")})
	wantError(t, err, "ServiceFailure", 500)

	f.sim.ClearFaults()
	f.sim.AddFault(iamsim.Fault{Action: "ListUsers", Code: "AccessDenied", Message: "nope", Status: 403})
	_, err = f.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "AccessDenied", 403, "nope")
	f.sim.ClearFaults()
	must[*iam.ListUsersOutput](t)(f.iam.ListUsers(ctx, &iam.ListUsersInput{}))
}

func TestThrottlingIsSeeded(t *testing.T) {
	run := func() []bool {
		f := start(t, iamsim.Options{ThrottleRate: 0.3, Seed: 7})
		var throttled []bool
		for range 100 {
			_, err := f.iam.ListUsers(ctx, &iam.ListUsersInput{})
			if err != nil {
				wantError(t, err, "Throttling", 400, "Rate exceeded")
			}
			throttled = append(throttled, err != nil)
		}
		return throttled
	}
	a, b := run(), run()
	n := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatal("same seed, different throttling")
		}
		if a[i] {
			n++
		}
	}
	if n < 15 || n > 45 {
		t.Fatalf("%d of 100 throttled at rate 0.3", n)
	}

	// The SDK's standard retryer gets through.
	f := start(t, iamsim.Options{})
	f.sim.SetThrottleRate(0.3)
	cfg := iamsim.ClientConfig(f.srv.URL, "AKIAANY")
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 10
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		})
	}
	c := iam.NewFromConfig(cfg)
	for range 20 {
		must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{}))
	}
}

func TestConsistencyDelay(t *testing.T) {
	clk := newClock()
	f := start(t, iamsim.Options{Now: clk.Now, ConsistencyDelay: 2 * time.Second})
	c := f.iam
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	// Invisible to reads and to dependent writes, but the name is taken.
	_, err := c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("bob")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("bob")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1!")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")})
	wantError(t, err, "EntityAlreadyExists", 409)
	if users := must[*iam.ListUsersOutput](t)(c.ListUsers(ctx, &iam.ListUsersInput{})); len(users.Users) != 0 {
		t.Fatal("new user listed before it is visible")
	}
	clk.Advance(2 * time.Second)
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("bob")}))

	f.sim.SetConsistencyDelay(0)
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("carol")}))
	must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("carol")}))
}

func TestLatencyIsAdded(t *testing.T) {
	f := start(t, iamsim.Options{Latency: 20 * time.Millisecond})
	must[*iam.ListUsersOutput](t)(f.iam.ListUsers(ctx, &iam.ListUsersInput{}))
	f.sim.SetLatency(0)
	must[*iam.ListUsersOutput](t)(f.iam.ListUsers(ctx, &iam.ListUsersInput{}))
	log := f.sim.Log()
	if d := log[0].End.Sub(log[0].Start); d < 20*time.Millisecond {
		t.Fatalf("first request answered after %v, before its latency", d)
	}
}

func TestMaxDepth(t *testing.T) {
	f := start(t, iamsim.Options{Latency: 300 * time.Millisecond})
	// Five requests at once form one round trip...
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.iam.ListUsers(ctx, &iam.ListUsersInput{})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if d := f.sim.MaxDepth(); d != 1 {
		t.Fatalf("parallel depth %d", d)
	}
	// ...and three more one after another add three.
	f.sim.SetLatency(0)
	for range 3 {
		must[*iam.ListGroupsOutput](t)(f.iam.ListGroups(ctx, &iam.ListGroupsInput{}))
	}
	if d := f.sim.MaxDepth(); d != 4 {
		t.Fatalf("depth %d, want 4", d)
	}
	if log := f.sim.Log(); log[len(log)-1].Depth != 4 {
		t.Fatalf("last entry depth %d", log[len(log)-1].Depth)
	}
}

func TestUnknownAccessKeyWithoutFallback(t *testing.T) {
	f := start(t, iamsim.Options{Accounts: []iamsim.AccountConfig{{ID: "555555555555"}}})
	_, err := f.iam.ListUsers(ctx, &iam.ListUsersInput{})
	wantError(t, err, "InvalidClientTokenId", 403)
	if len(f.sim.Log()) != 1 || f.sim.Log()[0].AccountID != "" {
		t.Fatalf("log %+v", f.sim.Log())
	}
}
