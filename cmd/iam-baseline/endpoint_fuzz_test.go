package main

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// FuzzCheckEndpointURL: an accepted --endpoint-url is an http(s) URL with a
// host, which the SDK can send to; a refused one is a usage error naming
// the flag.
func FuzzCheckEndpointURL(f *testing.F) {
	for _, s := range []string{"https://iam.amazonaws.com", "http://127.0.0.1:4566", "ftp://x", "http://", "iam.amazonaws.com", "http://[::1]:80/", "https://[::1", "http://a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		err := checkEndpointURL(raw)
		if err == nil {
			u, perr := url.Parse(raw)
			if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Fatalf("accepted %q", raw)
			}
			return
		}
		var usage *usageError
		if !errors.As(err, &usage) || !slices.Contains(usage.flags, flagEndpointURL) {
			t.Fatalf("refusing %q: %v is not a usage error naming --%s", raw, err, flagEndpointURL)
		}
	})
}

var adviceAction = regexp.MustCompile("^the credentials may not call ([a-z0-9]+:[A-Za-z0-9]+|an action): `iam-baseline policy` prints the IAM policy this tool needs$")

// FuzzDeniedHint: whatever the audit's note says, the hint is empty unless
// it is about AccessDenied, and then names an action or says it cannot.
func FuzzDeniedHint(f *testing.F) {
	f.Add("generating the credential report: operation error IAM: GenerateCredentialReport, https response error StatusCode: 403, api error AccessDenied: no")
	f.Add("AccessDenied")
	f.Add("operation error : x AccessDenied")
	f.Fuzz(func(t *testing.T, msg string) {
		h := deniedHint(msg).String()
		if !strings.Contains(msg, "AccessDenied") {
			if h != "" {
				t.Fatalf("hint %q for %q", h, msg)
			}
			return
		}
		if !adviceAction.MatchString(h) {
			t.Fatalf("hint %q for %q", h, msg)
		}
	})
}
