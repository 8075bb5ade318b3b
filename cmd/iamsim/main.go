// Command iamsim serves the iamsim IAM and STS simulator on a loopback port,
// for trying iam-baseline (or the AWS CLI) against a simulated account.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"syscall"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "iamsim:", err)
		os.Exit(2)
	}
}

type config struct {
	addr             string
	accountID        string
	partition        string
	rootAccessKey    string
	rootMFA          bool
	latency          time.Duration
	throttleRate     float64
	seed             int64
	consistencyDelay time.Duration
	members          int
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// maxMembers bounds --accounts: generated IDs have ten digits of sequence,
// and a larger organization is not a test of anything more.
const maxMembers = 100000

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("iamsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:4566", "address to listen on")
	fs.StringVar(&c.accountID, "account-id", iamsim.DefaultAccountID, "the simulated account's 12-digit ID")
	fs.StringVar(&c.partition, "partition", "aws", "partition: aws, aws-cn or aws-us-gov")
	fs.StringVar(&c.rootAccessKey, "root-access-key", iamsim.DefaultRootAccessKeyID, "root's access key ID (empty: root has no access key)")
	fs.BoolVar(&c.rootMFA, "root-mfa", false, "root has MFA enabled")
	fs.DurationVar(&c.latency, "latency", 0, "delay added to every request, e.g. 50ms")
	fs.Float64Var(&c.throttleRate, "throttle-rate", 0, "fraction (0..1) of requests answered with Throttling")
	fs.Int64Var(&c.seed, "seed", 1, "seed for the throttling draw and the generated member accounts")
	fs.IntVar(&c.members, "accounts", 0, "number of generated member accounts in an AWS Organization managed by the simulated account (0: no organization)")
	fs.DurationVar(&c.consistencyDelay, "consistency-delay", 0, "how long new entities stay invisible, e.g. 2s")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	switch {
	case !accountIDPattern.MatchString(c.accountID):
		return c, fmt.Errorf("--account-id %q: must be 12 digits", c.accountID)
	case c.partition != "aws" && c.partition != "aws-cn" && c.partition != "aws-us-gov":
		return c, fmt.Errorf("--partition %q: must be aws, aws-cn or aws-us-gov", c.partition)
	case c.throttleRate < 0 || c.throttleRate > 1:
		return c, fmt.Errorf("--throttle-rate %v: must be between 0 and 1", c.throttleRate)
	case c.latency < 0 || c.consistencyDelay < 0:
		return c, errors.New("--latency and --consistency-delay must not be negative")
	case c.members < 0 || c.members > maxMembers:
		return c, fmt.Errorf("--accounts %d: must be between 0 and %d", c.members, maxMembers)
	}
	return c, nil
}

func (c config) options() iamsim.Options {
	acct := iamsim.AccountConfig{
		ID:           c.accountID,
		Partition:    c.partition,
		RootMFA:      c.rootMFA,
		AnyKeyIsRoot: true,
	}
	if c.rootAccessKey != "" {
		acct.RootAccessKeyIDs = []string{c.rootAccessKey}
	}
	return iamsim.Options{
		Accounts:         []iamsim.AccountConfig{acct},
		Latency:          c.latency,
		ThrottleRate:     c.throttleRate,
		Seed:             c.seed,
		ConsistencyDelay: c.consistencyDelay,
		MemberAccounts:   c.members,
	}
}

// run serves until ctx is cancelled. The export lines go to stdout so that a
// shell can evaluate them; everything else goes to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	srv, err := iamsim.Listen(c.addr, c.options())
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.addr, err)
	}
	key := c.rootAccessKey
	if key == "" {
		key = "AKIAIAMSIMANYKEY0000" // any key signs as root
	}
	// Notes on stderr are best effort; the exports on stdout are what a
	// shell evaluates, so failing to write them is an error.
	_, _ = fmt.Fprintf(stderr, "iamsim: simulated IAM and STS for account %s (partition %s) at %s\n", c.accountID, c.partition, srv.URL)
	_, _ = fmt.Fprintf(stderr, "iamsim: signatures are not verified; any access key signs as root. Stop with Ctrl-C.\n")
	if c.members > 0 {
		_, _ = fmt.Fprintf(stderr, "iamsim: an organization of %d member accounts (seed %d) managed by %s; see docs/iamsim.md for their states\n", c.members, c.seed, c.accountID)
	}
	if _, err := fmt.Fprintf(stdout, "export AWS_ENDPOINT_URL=%s\nexport AWS_ACCESS_KEY_ID=%s\n"+
		"export AWS_SECRET_ACCESS_KEY=iamsim-secret-not-checked\nexport AWS_REGION=us-east-1\n", srv.URL, key); err != nil {
		srv.Close()
		return fmt.Errorf("writing the environment: %w", err)
	}
	if f, ok := stdout.(interface{ Sync() error }); ok {
		_ = f.Sync()
	}
	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		srv.Close()
	}
	_, _ = fmt.Fprintln(stderr, "iamsim: stopped") // nothing is left to report a failed write to
	return nil
}
