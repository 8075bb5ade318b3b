package mfa

import (
	"net/url"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// FuzzBuildURI: whatever the issuer and account name hold, the URI parses
// back to exactly them, and its structure (one '?', one '&', one separating
// colon in the label, no '+') cannot be broken by their characters.
func FuzzBuildURI(f *testing.F) {
	f.Add("Amazon Web Services", "administrator@123456789012")
	f.Add("Ops & Co: 100% +sure?", "a+b=c,d.e@f_g-h@my-alias")
	f.Add("", "")
	f.Add("é/#\x00", "\xff")
	f.Fuzz(func(t *testing.T, issuer, account string) {
		uri := BuildURI(issuer, account, secret.New(awsSeed)).Reveal()
		u, err := url.Parse(uri)
		if err != nil {
			t.Fatalf("%q does not parse: %v", uri, err)
		}
		if u.Scheme != "otpauth" || u.Host != "totp" || u.Path != "/"+issuer+":"+account {
			t.Fatalf("%q parsed as %q %q %q", uri, u.Scheme, u.Host, u.Path)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil || q.Get("issuer") != issuer || q.Get("secret") != awsSeed || len(q) != 2 {
			t.Fatalf("%q query %v, %v", uri, q, err)
		}
		label := strings.TrimPrefix(uri[:strings.Index(uri, "?")], "otpauth://totp/")
		if strings.Count(label, ":") != 1 || strings.Count(uri, "?") != 1 || strings.Count(uri, "&") != 1 || strings.Contains(uri, "+") {
			t.Fatalf("structure broken: %q", uri)
		}
	})
}
