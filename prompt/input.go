package prompt

import (
	"context"
	"io"
	"sync"
)

// inputReader feeds huh's accessible mode. It hands out one byte per Read
// (huh makes a new bufio.Scanner per field over the same reader; a scanner
// that read ahead would swallow the next field's answer), notices when input
// runs out (huh hides that), and stops reading when the context is cancelled
// (Ctrl-C while a plain line prompt waits on stdin).
type inputReader struct {
	src io.Reader

	startOnce sync.Once
	bytes     chan readResult

	mu       sync.Mutex
	ctx      context.Context
	ranOut   bool
	finished bool // src has returned an error; every later Read fails too
}

type readResult struct {
	b   byte
	err error
}

func newInputReader(src io.Reader) *inputReader {
	return &inputReader{src: src, ctx: context.Background()}
}

// begin starts a form: reads are bound to ctx and the ran-out flag is reset.
func (r *inputReader) begin(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ctx = ctx
	r.ranOut = false
}

// end reports whether input ran out (or the context ended) during the form.
func (r *inputReader) end() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ranOut
}

// pump reads src one byte at a time in the background so that a blocked read
// of a terminal does not keep Read from seeing a cancelled context. A byte
// read but not yet taken waits in the channel: nothing is lost.
func (r *inputReader) pump() {
	buf := make([]byte, 1)
	for {
		n, err := r.src.Read(buf)
		if n == 1 {
			r.bytes <- readResult{b: buf[0]}
		}
		if err != nil {
			r.bytes <- readResult{err: err}
			close(r.bytes)
			return
		}
	}
}

func (r *inputReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.startOnce.Do(func() {
		r.bytes = make(chan readResult)
		go r.pump()
	})
	r.mu.Lock()
	ctx, finished := r.ctx, r.finished
	r.mu.Unlock()
	if finished {
		return r.runOut()
	}
	select {
	case <-ctx.Done():
		return r.runOut()
	case res, ok := <-r.bytes:
		if !ok || res.err != nil {
			r.mu.Lock()
			r.finished = true
			r.mu.Unlock()
			return r.runOut()
		}
		p[0] = res.b
		return 1, nil
	}
}

func (r *inputReader) runOut() (int, error) {
	r.mu.Lock()
	r.ranOut = true
	r.mu.Unlock()
	return 0, io.EOF
}
