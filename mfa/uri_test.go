package mfa

import (
	"net/url"
	"strings"
	"testing"

	"github.com/pquerna/otp"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// awsSeed has the shape of IAM's Base32StringSeed: 40 random bytes, 64
// base32 characters without padding.
const awsSeed = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

func TestBuildURI(t *testing.T) {
	got := BuildURI("Amazon Web Services", "administrator@my-alias", secret.New(awsSeed)).Reveal()
	want := "otpauth://totp/Amazon%20Web%20Services:administrator@my-alias?secret=" + awsSeed + "&issuer=Amazon%20Web%20Services"
	if got != want {
		t.Fatalf("BuildURI:\n got %s\nwant %s", got, want)
	}
	// An independent parser reads back every part.
	key, err := otp.NewKeyFromURL(got)
	if err != nil {
		t.Fatal(err)
	}
	if key.Type() != "totp" || key.Issuer() != "Amazon Web Services" || key.AccountName() != "administrator@my-alias" || key.Secret() != awsSeed {
		t.Fatalf("parsed back as type %q issuer %q account %q secret ok=%v", key.Type(), key.Issuer(), key.AccountName(), key.Secret() == awsSeed)
	}
}

func TestBuildURIEscapesEveryIAMNameCharacter(t *testing.T) {
	// IAM user names may hold + = , . @ _ -; the issuer may hold anything.
	issuer := "Ops & Co: 100% +sure?"
	name := "a+b=c,d.e@f_g-h@123456789012"
	uri := BuildURI(issuer, name, secret.New(awsSeed)).Reveal()
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Fatalf("scheme/host = %q/%q", u.Scheme, u.Host)
	}
	if want := "/" + issuer + ":" + name; u.Path != want {
		t.Fatalf("label = %q, want %q", u.Path, want)
	}
	// Exactly one unescaped colon separates issuer and account name.
	if label := strings.TrimPrefix(uri, "otpauth://totp/"); strings.Count(label[:strings.Index(label, "?")], ":") != 1 {
		t.Fatalf("label %q has more than one separator", label)
	}
	q := u.Query()
	if q.Get("issuer") != issuer || q.Get("secret") != awsSeed {
		t.Fatalf("query = %v", q)
	}
	if strings.Contains(uri, "+") || strings.Count(uri, "&") != 1 {
		t.Fatalf("a '+' left unescaped in %s", uri)
	}
}

func TestAccountName(t *testing.T) {
	if got := accountName("administrator", "123456789012"); got != "administrator@123456789012" {
		t.Fatal(got)
	}
	if got := accountName("administrator", ""); got != "administrator" {
		t.Fatal(got)
	}
}

func TestGroupSecret(t *testing.T) {
	for in, want := range map[string]string{
		"":          "",
		"ABC":       "ABC",
		"ABCD":      "ABCD",
		"ABCDE":     "ABCD E",
		"ABCDEFGH":  "ABCD EFGH",
		"ABCDEFGHI": "ABCD EFGH I",
	} {
		got := GroupSecret(secret.New(in))
		if got.Reveal() != want {
			t.Errorf("GroupSecret(%q) = %q, want %q", in, got.Reveal(), want)
		}
		if in != "" && got.String() != secret.Redacted {
			t.Errorf("GroupSecret result prints as %q", got.String())
		}
	}
	grouped := GroupSecret(secret.New(awsSeed)).Reveal()
	if len(strings.Fields(grouped)) != 16 || strings.ReplaceAll(grouped, " ", "") != awsSeed {
		t.Fatalf("AWS seed grouped as %q", grouped)
	}
}

func TestCheckCode(t *testing.T) {
	for _, ok := range []string{"123456", "000000", " 123 456 ", "123456\n"} {
		if err := CheckCode(ok); err != nil {
			t.Errorf("CheckCode(%q) = %v", ok, err)
		}
	}
	for _, bad := range []string{"", "12345", "1234567", "12345a", "１２３４５６", "12-456", "-12345"} {
		err := CheckCode(bad)
		if err == nil || !errorsIs(err, ErrCodeFormat) {
			t.Errorf("CheckCode(%q) = %v, want ErrCodeFormat", bad, err)
		}
	}
}

func TestCheckCodes(t *testing.T) {
	pair := func(a, b string) Codes { return Codes{First: secret.New(a), Second: secret.New(b)} }
	if err := CheckCodes(pair("123456", "654321")); err != nil {
		t.Fatal(err)
	}
	if err := CheckCodes(pair("123456", "123 456")); !errorsIs(err, ErrCodesEqual) {
		t.Fatalf("same code twice: %v", err)
	}
	if err := CheckCodes(pair("12345", "654321")); !errorsIs(err, ErrCodeFormat) || !strings.HasPrefix(err.Error(), "first code") {
		t.Fatalf("short first code: %v", err)
	}
	if err := CheckCodes(pair("123456", "x")); !errorsIs(err, ErrCodeFormat) || !strings.HasPrefix(err.Error(), "second code") {
		t.Fatalf("bad second code: %v", err)
	}
	// The codes themselves never show in the explanation.
	err := CheckCodes(pair("987654", "987654"))
	if err == nil || strings.Contains(err.Error(), "987654") {
		t.Fatalf("error %q", err)
	}
}
