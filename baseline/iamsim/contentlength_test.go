package iamsim_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// IAM answers carry Content-Length rather than a chunked body; clients that
// stop reading at the closing XML tag then leave nothing on the connection.
func TestAnswersCarryContentLength(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	defer srv.Close()
	for _, action := range []string{"GetAccountSummary", "NoSuchAction"} {
		form := url.Values{"Action": {action}, "Version": {"2010-05-08"}}
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+iamsim.DefaultRootAccessKeyID+"/20261130/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		if cerr := resp.Body.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			t.Fatalf("%s: reading the response: %v", action, err)
		}
		if len(resp.TransferEncoding) != 0 || resp.ContentLength != int64(len(body)) || len(body) == 0 {
			t.Errorf("%s: Content-Length %d, Transfer-Encoding %v, body %d bytes", action, resp.ContentLength, resp.TransferEncoding, len(body))
		}
	}
}
