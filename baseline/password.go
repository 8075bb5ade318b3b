package baseline

import (
	"crypto/rand"
	"io"
	"math/big"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// TemporaryPasswordMinLength is the shortest temporary password generated,
// whatever the policies allow.
const TemporaryPasswordMinLength = 20

// Character classes of a generated password: IAM's.
const (
	upperChars  = awsfacts.UpperChars
	lowerChars  = awsfacts.LowerChars
	digitChars  = awsfacts.DigitChars
	symbolChars = awsfacts.SymbolChars
)

// GenerateTemporaryPassword draws a password from r (crypto/rand.Reader in
// the product) that satisfies every given policy and AWS's default: at least
// TemporaryPasswordMinLength characters, at least one of each of the four
// classes, long enough for the longest policy.
func GenerateTemporaryPassword(r io.Reader, policies ...PasswordPolicy) (secret.Value, error) {
	length := TemporaryPasswordMinLength
	for _, p := range append(policies, AWSDefaultPasswordPolicy()) {
		length = max(length, p.MinimumLength)
	}
	if length > MaxPasswordLengthLimit {
		return secret.Value{}, locale.Wrap(locale.M("a password policy asks for %d characters; IAM allows at most %d", length, MaxPasswordLengthLimit), nil)
	}
	all := upperChars + lowerChars + digitChars + symbolChars
	// One from each class, the rest from all of them, then shuffled so the
	// classes do not sit at fixed positions.
	out := make([]byte, 0, length)
	for _, class := range []string{upperChars, lowerChars, digitChars, symbolChars} {
		c, err := pick(r, class)
		if err != nil {
			return secret.Value{}, err
		}
		out = append(out, c)
	}
	for len(out) < length {
		c, err := pick(r, all)
		if err != nil {
			return secret.Value{}, err
		}
		out = append(out, c)
	}
	for i := len(out) - 1; i > 0; i-- {
		j, err := rand.Int(r, big.NewInt(int64(i+1)))
		if err != nil {
			return secret.Value{}, locale.Wrap(locale.M("generating a password: %v", err), err)
		}
		out[i], out[j.Int64()] = out[j.Int64()], out[i]
	}
	return secret.New(string(out)), nil
}

func pick(r io.Reader, chars string) (byte, error) {
	n, err := rand.Int(r, big.NewInt(int64(len(chars))))
	if err != nil {
		return 0, locale.Wrap(locale.M("generating a password: %v", err), err)
	}
	return chars[n.Int64()], nil
}
