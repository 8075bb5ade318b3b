package sdkhttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// WithDeadline bounds each attempt of a request sent through inner, from
// connecting to the last byte of the answer's body, by attempt. An endpoint
// that accepts and never answers, sends a status line and stops, or stops
// half-way through a body then fails the attempt with a *TimeoutError that
// names the endpoint and the phase it stalled in. The SDK's retryer treats a
// failed send as a connection error and tries again; a body cut short is a
// deserialization error, which it does not retry.
func WithDeadline(inner aws.HTTPClient, attempt time.Duration) aws.HTTPClient {
	return deadlineClient{inner: inner, attempt: attempt}
}

type deadlineClient struct {
	inner   aws.HTTPClient
	attempt time.Duration
}

// Phases of an attempt, as far as it got.
const (
	phaseConnecting int32 = iota
	phaseSending
	phaseWaiting
	phaseHeaders
	phaseBody
)

var phaseNames = [...]string{
	phaseConnecting: "connecting",
	phaseSending:    "sending the request",
	phaseWaiting:    "waiting for the answer",
	phaseHeaders:    "reading the answer's status line and headers",
	phaseBody:       "reading the answer's body",
}

// TimeoutError is an attempt that ran out of time.
type TimeoutError struct {
	// Endpoint is the scheme and host the request went to.
	Endpoint string
	// Phase is what the attempt was doing, for example "waiting for the
	// answer".
	Phase string
	// After is how long the attempt waited.
	After time.Duration
	Err   error
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s timed out after %s %s", e.Endpoint, e.After, e.Phase)
}

func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout marks the error as a timeout for the SDK's retryer and net.Error
// checks.
func (e *TimeoutError) Timeout() bool { return true }

// timeoutsKey keys a *lastTimeout in a context.
type timeoutsKey struct{}

type lastTimeout struct {
	mu  sync.Mutex
	err *TimeoutError
}

// RecordTimeouts returns a context under which the attempts of a request
// note their timeouts, for LastTimeout. The retryer's final error is often
// the caller's deadline cutting a backoff short; the attempt that stalled
// says more.
func RecordTimeouts(ctx context.Context) context.Context {
	return context.WithValue(ctx, timeoutsKey{}, &lastTimeout{})
}

// LastTimeout is the last attempt under ctx (see RecordTimeouts) that timed
// out, or nil.
func LastTimeout(ctx context.Context) *TimeoutError {
	l, ok := ctx.Value(timeoutsKey{}).(*lastTimeout)
	if !ok {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

func (c deadlineClient) Do(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	ctx, cancel := context.WithTimeout(parent, c.attempt)
	var phase atomic.Int32
	advance := func(p int32) {
		for {
			old := phase.Load()
			if old >= p || phase.CompareAndSwap(old, p) {
				return
			}
		}
	}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn:              func(httptrace.GotConnInfo) { advance(phaseSending) },
		WroteRequest:         func(httptrace.WroteRequestInfo) { advance(phaseWaiting) },
		GotFirstResponseByte: func() { advance(phaseHeaders) },
	})
	t := &attemptTimer{ctx: ctx, parent: parent, phase: &phase, start: time.Now(),
		endpoint: req.URL.Scheme + "://" + req.URL.Host}
	resp, err := c.inner.Do(req.WithContext(ctx))
	if err != nil {
		cancel()
		return resp, t.explain(err)
	}
	advance(phaseBody)
	resp.Body = &deadlineBody{rc: resp.Body, t: t, cancel: cancel}
	return resp, nil
}

// attemptTimer turns an error into a *TimeoutError when the attempt's time
// ran out (rather than the caller cancelling).
type attemptTimer struct {
	ctx, parent context.Context
	phase       *atomic.Int32
	start       time.Time
	endpoint    string
}

func (t *attemptTimer) explain(err error) error {
	if !errors.Is(t.ctx.Err(), context.DeadlineExceeded) || errors.Is(t.parent.Err(), context.Canceled) {
		return err
	}
	// The attempt's own limit or the caller's deadline, whichever came
	// first: say how long it really waited.
	after := time.Since(t.start).Round(time.Millisecond)
	te := &TimeoutError{Endpoint: t.endpoint, Phase: phaseNames[t.phase.Load()], After: after, Err: err}
	if l, ok := t.parent.Value(timeoutsKey{}).(*lastTimeout); ok {
		l.mu.Lock()
		l.err = te
		l.mu.Unlock()
	}
	return te
}

// deadlineBody keeps the attempt's deadline over the body and releases it
// when the body is closed.
type deadlineBody struct {
	rc     io.ReadCloser
	t      *attemptTimer
	cancel context.CancelFunc
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err != nil && err != io.EOF {
		err = b.t.explain(err)
	}
	return n, err
}

func (b *deadlineBody) Close() error {
	defer b.cancel()
	return b.rc.Close()
}
