package iamsim

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/iam-baseline/iam-baseline/baseline/sdkhttp"
)

// Server is a simulator listening on a loopback port.
type Server struct {
	URL string
	Sim *Sim

	srv *http.Server
	ln  net.Listener
}

// NewServer starts a simulator on 127.0.0.1 at a free port. It panics if it
// cannot listen, like httptest.NewServer.
func NewServer(opts Options) *Server {
	s, err := Listen("127.0.0.1:0", opts)
	if err != nil {
		panic("iamsim: " + err.Error())
	}
	return s
}

// Listen starts a simulator on addr.
func Listen(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	sim := New(opts)
	s := &Server{
		URL: "http://" + ln.Addr().String(),
		Sim: sim,
		srv: &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second},
		ln:  ln,
	}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

// Close stops the server and closes open connections.
func (s *Server) Close() {
	_ = s.srv.Close()
}

// Shutdown stops the server gracefully.
func (s *Server) Shutdown(ctx context.Context) error { return s.srv.Shutdown(ctx) }

// ClientConfig is an SDK configuration for tests: static credentials with
// accessKeyID, region us-east-1 and every service's endpoint at url.
func ClientConfig(url, accessKeyID string) aws.Config {
	return aws.Config{
		Region: "us-east-1",
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: "iamsim-secret", Source: "iamsim"}, nil
		}),
		BaseEndpoint: aws.String(url),
		// Loopback answers are fast enough to hit the SDK's request-body
		// race (see package sdkhttp); the product's client has the same fix.
		HTTPClient: sdkhttp.Client(nil),
	}
}
