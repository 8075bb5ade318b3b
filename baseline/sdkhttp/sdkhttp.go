// Package sdkhttp works around a race between aws-sdk-go-v2 (smithy-go) and
// net/http that drops a connection while a good answer is being read.
//
// smithy-go wraps each request body in a "safe" closer and closes it as soon
// as Client.Do returns, that is, once the answer's headers have arrived. When
// net/http has written Content-Length bytes it probes the body once more for
// extra bytes with io.Copy(io.Discard, body). The safe closer implements
// io.WriterTo, so that probe calls WriteTo, which answers io.EOF after Close;
// io.Copy passes a WriterTo's io.EOF through as an error, net/http takes it
// for a failed write and closes the connection, and the answer's body, still
// being read, fails with "use of closed network connection". The SDK does not
// retry it (the error is a deserialization error), so a read fails outright,
// and a create whose answer is lost this way may be replayed into
// EntityAlreadyExists.
//
// The window is the time between the answer's headers arriving and net/http's
// probe: tiny over the internet, wide on loopback (iamsim, the demo) where the
// answer can beat the probe. Hiding WriteTo makes the probe use Read, which
// answers (0, io.EOF) after Close, and io.Copy treats that as the clean end it
// is.
package sdkhttp

import (
	"io"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
)

// Client wraps inner so that request bodies reach net/http without
// io.WriterTo. A nil inner is the SDK's default BuildableClient.
func Client(inner aws.HTTPClient) aws.HTTPClient {
	if inner == nil {
		inner = awshttp.NewBuildableClient()
	}
	return client{inner: inner}
}

type client struct{ inner aws.HTTPClient }

func (c client) Do(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		req.Body = readOnlyBody{req.Body}
	}
	return c.inner.Do(req)
}

// readOnlyBody has only Read and Close, whatever the wrapped body has.
type readOnlyBody struct{ rc io.ReadCloser }

func (b readOnlyBody) Read(p []byte) (int, error) { return b.rc.Read(p) }
func (b readOnlyBody) Close() error               { return b.rc.Close() }
