package main

import (
	"encoding/base32"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// The tmux MFA test reads the QR code back from the screen with
// decodeScreenQR. Its seeds are random, so the decoder must read every code
// the product draws: checked here over many seeds drawn from a fixed
// generator, in the shape tmux captures them (trailing blanks dropped).
func TestDecodeScreenQRReadsEveryCode(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 15))
	failed := 0
	const n = 1000
	for i := 0; i < n; i++ {
		raw := make([]byte, 20)
		for j := range raw {
			raw[j] = byte(r.UintN(256))
		}
		seed := base32.StdEncoding.EncodeToString(raw)
		uri := mfa.BuildURI(mfa.DefaultIssuer, "administrator@123456789012", secret.New(seed))
		var qr strings.Builder
		if err := mfa.RenderQR(&qr, uri, mfa.QRLightOnDark); err != nil {
			t.Fatal(err)
		}
		var screen []string
		for _, line := range strings.Split(qr.String(), "\n") {
			screen = append(screen, "  "+strings.TrimRight(line, " "))
		}
		got, err := decodeScreenQR("Scan this QR code\n" + strings.Join(screen, "\n") + "\nCannot scan it?")
		if err != nil || got != uri.Reveal() {
			failed++
			if failed <= 3 {
				t.Errorf("seed %d: decoded %q, %v", i, got, err)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d codes did not decode", failed, n)
	}
}
