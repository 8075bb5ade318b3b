package mfa

import (
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// BuildURI builds the Key URI that authenticator apps read from a QR code:
//
//	otpauth://totp/<issuer>:<account name>?secret=<seed>&issuer=<issuer>
//
// Issuer and account name are escaped separately and strictly (everything but
// letters, digits, "-._~" and "@" is percent-encoded, spaces as %20), so the
// colon between them stays the only separator and no app can read a '+' in
// an IAM user name as a space. Period, digits and algorithm are the defaults (30 s, 6, SHA1),
// which is what IAM uses, so they are left out to keep the QR code small.
func BuildURI(issuer, accountName string, seed secret.Value) secret.Value {
	var b strings.Builder
	b.WriteString("otpauth://totp/")
	b.WriteString(escape(issuer))
	b.WriteString(":")
	b.WriteString(escape(accountName))
	b.WriteString("?secret=")
	b.WriteString(escape(seed.Reveal()))
	b.WriteString("&issuer=")
	b.WriteString(escape(issuer))
	return secret.New(b.String())
}

// escape percent-encodes every byte except RFC 3986's unreserved characters
// and '@', which is safe in both the label and the query and keeps
// "user@account" readable.
func escape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == '@':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// accountName is what the app lists under the issuer: "user@account".
func accountName(user, accountLabel string) string {
	if accountLabel == "" {
		return user
	}
	return user + "@" + accountLabel
}

// GroupSecret splits a base32 seed into groups of four characters separated
// by spaces, for reading it aloud or typing it into an app. Authenticator apps
// ignore the spaces.
func GroupSecret(seed secret.Value) secret.Value {
	s := seed.Reveal()
	var b strings.Builder
	for i, r := range []rune(s) {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return secret.New(b.String())
}
