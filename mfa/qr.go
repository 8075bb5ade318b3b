package mfa

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mdp/qrterminal/v3"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// MaxQRColumns is the widest QR code RenderQR draws: it must fit a classic
// 80-column terminal without wrapping, or no phone can read it.
const MaxQRColumns = 80

// maxQRBytes is what the largest QR code (version 40, level L) holds.
// qrterminal panics on longer input instead of returning an error.
const maxQRBytes = 2953

// ErrQRTooWide means the URI needs a QR code wider than MaxQRColumns; show
// the grouped secret instead.
var ErrQRTooWide = locale.Wrap(locale.M("the QR code would not fit in 80 columns"), nil)

// QRStyle says which terminal colours stand for the QR code's light modules.
type QRStyle int

const (
	// QRLightOnDark draws the light modules in the text colour: right for
	// the usual light-text-on-dark-background terminal.
	QRLightOnDark QRStyle = iota
	// QRDarkOnLight draws the dark modules in the text colour: right for a
	// terminal with dark text on a light background.
	QRDarkOnLight
)

// RenderQR draws uri as a QR code with Unicode half blocks (one column per
// module, two modules per line) and a light quiet zone, at the lowest error
// correction level: a screen does not get dirty, and the smaller code keeps an
// AWS URI well within 80 columns (168 bytes for administrator@<account ID>:
// 57 columns by 29 lines; 270 bytes with a 64-character user name and a
// 63-character alias: 65 by 33). It uses no colour escapes, so NO_COLOR and
// plain logs of the terminal are unaffected; pick style by the terminal's
// background.
//
// RenderQR is one of the places that reveal the URI; call it only to draw on
// the person's terminal. It writes nothing when it returns an error.
func RenderQR(w io.Writer, uri secret.Value, style QRStyle) error {
	text := uri.Reveal()
	if len(text) > maxQRBytes {
		return ErrQRTooWide
	}
	// The standard quiet zone is 4 modules; 2 still scans on a screen and
	// buys four columns when the code is near the limit.
	for _, quiet := range []int{4, 2} {
		var buf bytes.Buffer
		cfg := qrterminal.Config{
			Level:      qrterminal.L,
			Writer:     &buf,
			HalfBlocks: true,
			QuietZone:  quiet,
		}
		if style == QRDarkOnLight {
			cfg.WhiteChar = qrterminal.BLACK_BLACK
			cfg.BlackChar = qrterminal.WHITE_WHITE
			cfg.WhiteBlackChar = qrterminal.BLACK_WHITE
			cfg.BlackWhiteChar = qrterminal.WHITE_BLACK
		} else {
			cfg.WhiteChar = qrterminal.WHITE_WHITE
			cfg.BlackChar = qrterminal.BLACK_BLACK
			cfg.WhiteBlackChar = qrterminal.WHITE_BLACK
			cfg.BlackWhiteChar = qrterminal.BLACK_WHITE
		}
		qrterminal.GenerateWithConfig(text, cfg)
		if QRColumns(buf.String()) <= MaxQRColumns {
			_, err := w.Write(buf.Bytes())
			if err != nil {
				return locale.Wrap(locale.M("drawing the QR code: %v", err), err)
			}
			return nil
		}
	}
	return ErrQRTooWide
}

// QRColumns is the width of drawn text in terminal columns: its longest line
// in runes (the block characters are one column wide outside East Asian
// wide-ambiguous locales).
func QRColumns(drawn string) int {
	widest := 0
	for _, line := range strings.Split(drawn, "\n") {
		widest = max(widest, utf8.RuneCountInString(line))
	}
	return widest
}
