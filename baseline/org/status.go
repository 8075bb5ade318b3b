package org

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// DefaultConcurrency is how many accounts are audited at once. An account's
// audit holds its slot for about four round trips (the credential report's
// generation waits outside it); 64 keeps 1,000 accounts under 20 s at
// 100 ms per request (docs/benchmarks.md), and the shared adaptive retryer
// slows the run down when STS or IAM throttle it.
const DefaultConcurrency = 64

// Enter opens a session in a member account: clients for the audit, signed
// as a role session in that account.
type Enter func(ctx context.Context, m Member) (audit.Deps, error)

// StatusOptions are the audit's settings across accounts.
type StatusOptions struct {
	Concurrency int
	Target      audit.Target
	ReportWait  time.Duration
	Clock       audit.Clock
	// Progress is called after each account, with how many are done; it
	// may be nil. Calls are serialized.
	Progress func(done, total int)
	// EnterRoot, when set (centralized root access is enabled), opens the
	// root audit session each member's root checks are read through,
	// instead of the member role's account summary.
	EnterRoot EnterRoot
}

// AccountStatus is one member account's outcome: its audit report, or why
// it could not be audited.
type AccountStatus struct {
	Member Member
	Report *audit.Report
	Err    error
}

// ErrSuspended is the reason a suspended or closing account is not entered.
var ErrSuspended = locale.Wrap(locale.M("the account is not active (suspended or closing): AWS refuses to enter it"), nil)

// AccountError is why an account could not be audited: it could not be
// entered (the role assumed), or its reading failed. The text view words it;
// JSON and CSV hold Error(), in English.
type AccountError struct {
	AccountID string
	Entering  bool
	Err       error
}

func (e *AccountError) Error() string {
	if e.Entering {
		return fmt.Sprintf("entering account %s: %v", e.AccountID, e.Err)
	}
	return fmt.Sprintf("auditing account %s: %v", e.AccountID, e.Err)
}

func (e *AccountError) Unwrap() error { return e.Err }

// Status audits every member, at most Concurrency at a time, and returns
// one result per member in the members' order. An account that cannot be
// entered or read is a result with Err, never a failure of the whole run;
// only a cancelled ctx stops it early, and then the accounts not audited
// carry ctx's error.
func Status(ctx context.Context, members []Member, enter Enter, opts StatusOptions) []AccountStatus {
	if opts.Clock == nil {
		opts.Clock = audit.SystemClock{}
	}
	slots := newSlots(opts.Concurrency)
	return forEach(members, opts.Progress, func(m Member) AccountStatus {
		r := AccountStatus{Member: m}
		if !m.Active() {
			r.Err = ErrSuspended
			return r
		}
		r.Report, r.Err = auditOne(ctx, m, enter, opts, slots)
		return r
	})
}

// newSlots is the concurrency limit: a slot per account in flight.
func newSlots(concurrency int) chan struct{} {
	if concurrency <= 0 {
		concurrency = DefaultConcurrency
	}
	return make(chan struct{}, concurrency)
}

// forEach runs fn for every member (or plan entry) in its own goroutine (fn takes a slot
// while it works) and returns the results in the members' order, calling
// progress after each.
func forEach[In, Out any](members []In, progress func(done, total int), fn func(In) Out) []Out {
	out := make([]Out, len(members))
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for i, m := range members {
		wg.Go(func() {
			out[i] = fn(m)
			if progress != nil {
				mu.Lock()
				done++
				progress(done, len(members))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return out
}

// auditOne audits one member while holding a slot, except while it sleeps
// waiting for the credential report: the slotClock hands the slot back for
// the wait, so accounts whose report is being built do not keep others out.
func auditOne(ctx context.Context, m Member, enter Enter, opts StatusOptions, slots chan struct{}) (*audit.Report, error) {
	if err := acquire(ctx, slots); err != nil {
		return nil, err
	}
	clock := &slotClock{inner: opts.Clock, slots: slots, held: true}
	defer clock.release()
	deps, err := enter(ctx, m)
	if err != nil {
		return nil, &AccountError{AccountID: m.ID, Entering: true, Err: err}
	}
	deps.Clock, deps.ReportWait = clock, opts.ReportWait
	if opts.EnterRoot != nil {
		deps.RootSession = func(ctx context.Context) (audit.RootSessionAPI, error) { return openAudit(ctx, m, opts.EnterRoot) }
	}
	snap, err := audit.Collect(ctx, deps, opts.Target)
	if err != nil {
		return nil, &AccountError{AccountID: m.ID, Err: err}
	}
	r := audit.Evaluate(snap)
	return &r, nil
}

func acquire(ctx context.Context, slots chan struct{}) error {
	select {
	case slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// slotClock is an account's clock: its Sleep gives the account's slot back
// for the duration and takes one again before returning. Only the
// credential report's polling sleeps, once at a time per account.
type slotClock struct {
	inner audit.Clock
	slots chan struct{}
	mu    sync.Mutex
	held  bool
}

func (c *slotClock) Now() time.Time { return c.inner.Now() }

func (c *slotClock) Sleep(ctx context.Context, d time.Duration) error {
	c.release()
	err := c.inner.Sleep(ctx, d)
	if err != nil {
		return err
	}
	if err := acquire(ctx, c.slots); err != nil {
		return err
	}
	c.mu.Lock()
	c.held = true
	c.mu.Unlock()
	return nil
}

// release frees the slot if this account holds it.
func (c *slotClock) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held {
		<-c.slots
		c.held = false
	}
}
