package sdkhttp

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// bigListUsers answers every request with a 1,000-user ListUsers page, the
// size that makes the race visible on loopback: the answer's headers arrive
// before net/http has probed the request body for extra bytes.
func bigListUsers(t testing.TB) *httptest.Server {
	var b strings.Builder
	b.WriteString(`<ListUsersResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ListUsersResult><IsTruncated>false</IsTruncated><Users>`)
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&b, `<member><Path>/</Path><UserName>user%04d</UserName><UserId>AIDAEXAMPLE%04d</UserId><Arn>arn:aws:iam::123456789012:user/user%04d</Arn><CreateDate>2026-11-30T00:00:00Z</CreateDate></member>`, i, i, i)
	}
	b.WriteString(`</Users></ListUsersResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ListUsersResponse>`)
	body := b.String()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// listUsersFailures makes n ListUsers calls with one attempt each and counts
// the ones that failed.
func listUsersFailures(t *testing.T, httpClient aws.HTTPClient, n int) (int, error) {
	srv := bigListUsers(t)
	client := iam.NewFromConfig(aws.Config{
		Region:           "us-east-1",
		Credentials:      aws.AnonymousCredentials{},
		BaseEndpoint:     aws.String(srv.URL),
		HTTPClient:       httpClient,
		RetryMaxAttempts: 1,
	})
	failures := 0
	var last error
	for i := 0; i < n; i++ {
		out, err := client.ListUsers(context.Background(), &iam.ListUsersInput{})
		if err == nil && len(out.Users) != 1000 {
			err = fmt.Errorf("got %d users, want 1000", len(out.Users))
		}
		if err != nil {
			failures++
			last = err
		}
	}
	return failures, last
}

func TestWrappedClientReadsEveryAnswer(t *testing.T) {
	// With the SDK's bare client about 1 call in 60 fails here (25 of 1,500
	// measured on the 2-core CI machine), so 400 calls with none failing is
	// a test that fails without the wrapper.
	const calls = 400
	failures, last := listUsersFailures(t, Client(nil), calls)
	if failures > 0 {
		t.Fatalf("%d of %d calls failed through the wrapped client; last: %v", failures, calls, last)
	}
}

// capture records the body net/http would be handed and answers a minimal
// GetUser response.
type capture struct{ body io.ReadCloser }

func (c *capture) Do(req *http.Request) (*http.Response, error) {
	c.body = req.Body
	_, _ = io.Copy(io.Discard, req.Body)
	const xml = `<GetUserResponse><GetUserResult><User><Path>/</Path><UserName>u</UserName><UserId>AIDA</UserId><Arn>arn:aws:iam::123456789012:user/u</Arn><CreateDate>2026-11-30T00:00:00Z</CreateDate></User></GetUserResult></GetUserResponse>`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/xml"}}, Body: io.NopCloser(strings.NewReader(xml)), ContentLength: int64(len(xml)), Request: req}, nil
}

func TestRequestBodyReachesNetHTTPWithoutWriteTo(t *testing.T) {
	for _, tc := range []struct {
		name       string
		wrap       bool
		wantWriter bool
	}{
		{"bare SDK body", false, true}, // what makes the race: smithy's closer has WriteTo
		{"wrapped", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			inner := &capture{}
			var hc aws.HTTPClient = inner
			if tc.wrap {
				hc = Client(inner)
			}
			client := iam.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: aws.AnonymousCredentials{}, BaseEndpoint: aws.String("http://127.0.0.1:1"), HTTPClient: hc})
			out, err := client.GetUser(context.Background(), &iam.GetUserInput{UserName: aws.String("u")})
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToString(out.User.UserName) != "u" {
				t.Fatalf("answer not read through the wrapper: %+v", out.User)
			}
			if _, isWriterTo := inner.body.(io.WriterTo); isWriterTo != tc.wantWriter {
				t.Fatalf("request body %T: io.WriterTo = %v, want %v", inner.body, isWriterTo, tc.wantWriter)
			}
			// After Close, a read must be a clean io.EOF: that is the path
			// net/http's extra-bytes probe takes once WriteTo is hidden.
			_ = inner.body.Close()
			if n, err := inner.body.Read(make([]byte, 1)); n != 0 || err != io.EOF {
				t.Fatalf("read after close = %d, %v; want 0, io.EOF", n, err)
			}
		})
	}
}
