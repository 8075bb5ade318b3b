// Command totp plays the authenticator app for scripts/bench-vs-awscli.sh:
// it reads a base32 TOTP seed from a file (as `aws iam
// create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile`
// writes it) and prints two consecutive six-digit codes, those of the
// previous and the current 30-second step, separated by a space: the pair a
// person types into enable-mfa-device after waiting for the code to change.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: totp SEED_FILE")
		os.Exit(2)
	}
	if err := run(os.Args[1], time.Now(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "totp:", err)
		os.Exit(1)
	}
}

func run(seedFile string, now time.Time, w io.Writer) error {
	raw, err := os.ReadFile(seedFile)
	if err != nil {
		return err
	}
	first, second, err := consecutiveCodes(strings.TrimSpace(string(raw)), now)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s %s\n", first, second)
	return err
}

const period = 30 * time.Second

// consecutiveCodes returns the codes of the step before now's and of now's.
func consecutiveCodes(seed string, now time.Time) (string, string, error) {
	opts := totp.ValidateOpts{Period: uint(period / time.Second), Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	first, err := totp.GenerateCodeCustom(seed, now.Add(-period), opts)
	if err != nil {
		// The library's error may quote the seed; say only what failed.
		return "", "", fmt.Errorf("the seed file does not hold a base32 TOTP seed")
	}
	second, err := totp.GenerateCodeCustom(seed, now, opts)
	if err != nil {
		return "", "", fmt.Errorf("the seed file does not hold a base32 TOTP seed")
	}
	return first, second, nil
}
