package prompt

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/huh"

	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// MFASource is the terminal's mfa.CodeSource: it draws the QR code and the
// grouped secret, then asks for two consecutive codes.
type MFASource struct {
	ui *UI
}

var _ mfa.CodeSource = (*MFASource)(nil)

// MFASource returns the CodeSource that enrolls through this terminal.
func (u *UI) MFASource() *MFASource { return &MFASource{ui: u} }

// mfaScreenExtraRows is what the enrollment screen needs besides the QR
// code: the heading, the key, the two code fields and huh's help line.
const mfaScreenExtraRows = 16

// Present draws the enrollment screen. This is one of the two places the
// seed reaches a screen (the QR code and the grouped secret).
//
// On a full-screen terminal tall enough for it, the screen is the terminal's
// alternate screen, like the password's: once the device is enabled (or
// given up) it is erased and the seed is not left in the scrollback. On a
// shorter terminal, and in accessible mode, it is drawn inline.
func (s *MFASource) Present(ctx context.Context, e mfa.Enrollment) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	u := s.ui
	// Held until the enrollment is over: see progress.
	u.progress.hold()
	style := mfa.QRLightOnDark
	if !u.styles.darkBackground {
		style = mfa.QRDarkOnLight
	}
	if u.accessible {
		u.presentAsText(e)
		return nil
	}
	var qr strings.Builder
	qrErr := mfa.RenderQR(&qr, e.URI, style)
	rows := strings.Count(qr.String(), "\n") + mfaScreenExtraRows
	tall := u.term.Height >= rows
	if u.term.IsTerminal && tall {
		_, _ = fmt.Fprint(u.out, enterAltScreen)
		u.progress.setMFAScreen(true)
	}
	u.println("")
	tr := u.tr
	if u.term.IsTerminal && !tall && qrErr == nil {
		// The code prompt scrolls the top of the QR code away, and
		// without the alternate screen nothing can be erased afterwards.
		u.println(u.styles.subtle.Render(textwrap.Words(tr.T(
			"This terminal has %d rows; the QR code and the code prompt need %d. Enlarge the window before scanning, or type the key shown under the QR code. The QR code and the key stay in this terminal's scrollback: clear it when you are done.",
			u.term.Height, rows), u.term.width(80))))
	}
	u.println(u.styles.heading.Render(tr.T("Virtual MFA for %s", e.AccountName)))
	if qrErr == nil {
		u.println(tr.T("Scan this QR code with an authenticator app (Google Authenticator, Authy, 1Password, ...):"))
		u.println(strings.TrimRight(qr.String(), "\n"))
		u.println(tr.T("Cannot scan it? Add the account by hand with this key (time-based, 6 digits):"))
	} else {
		u.println(tr.T("The QR code does not fit this terminal. Add the account to an authenticator app by hand"))
		u.println(tr.T("with this key (time-based, 6 digits):"))
	}
	u.println("  " + u.styles.label.Render(mfa.GroupSecret(e.Seed).Reveal()))
	u.println(u.styles.subtle.Render("  " + tr.T("Issuer %q, account %q", e.Issuer, e.AccountName)))
	u.println("")
	return nil
}

// presentAsText is the enrollment screen for a screen reader: one fact a
// line, the key grouped to be read out, the otpauth URI for an app that
// takes one, and no block drawing.
func (u *UI) presentAsText(e mfa.Enrollment) {
	tr := u.tr
	u.println("")
	u.println(tr.T("Virtual MFA for %s.", e.AccountName))
	u.println(tr.T("Add this account to an authenticator app by hand (time-based, 6 digits)."))
	u.println(tr.T("Key: %s", mfa.GroupSecret(e.Seed).Reveal()))
	u.println(tr.T("Issuer: %s", e.Issuer))
	u.println(tr.T("Account: %s", e.AccountName))
	u.println(tr.T("Or give the app this otpauth URI: %s", e.URI.Reveal()))
	u.println("")
}

// Codes asks for two consecutive codes. Ctrl-C returns context.Canceled and
// the end of input io.EOF; either makes mfa.Enroll delete the device.
func (s *MFASource) Codes(ctx context.Context, req mfa.CodeRequest) (mfa.Codes, error) {
	problem := ""
	if req.Refused != nil {
		problem = s.ui.tr.T("%s (try %d of %d)", s.ui.tr.Err(req.Refused), req.Attempt, req.MaxAttempts)
	}
	s.ui.progress.hold()
	defer s.ui.progress.releaseUnlessMFAScreen()
	first, second, err := s.ui.askMFACodes(ctx, problem)
	if errors.Is(err, ErrAborted) {
		if ctx.Err() != nil {
			return mfa.Codes{}, ctx.Err()
		}
		if errors.Is(err, context.Canceled) {
			return mfa.Codes{}, context.Canceled
		}
		return mfa.Codes{}, io.EOF
	}
	if err != nil {
		return mfa.Codes{}, err
	}
	return mfa.Codes{First: first, Second: second}, nil
}

// Abandon has nothing to withdraw: what was drawn on the screen describes a
// device that no longer exists.
func (s *MFASource) Abandon(mfa.Enrollment) (string, error) {
	s.ui.EndMFAScreen()
	return "", nil
}

// EndMFAScreen closes the enrollment screen: the alternate screen holding the
// QR code and the key is erased and left, and held progress is drawn. The
// wizard calls it when the MFA step ends; it does nothing when no such screen
// is up.
func (u *UI) EndMFAScreen() {
	if u.progress.setMFAScreen(false) {
		_, _ = fmt.Fprint(u.out, leaveAltScreen)
		u.println(u.styles.subtle.Render("  " + u.tr.T("The MFA QR code and key were cleared from the screen.")))
	}
	u.progress.release()
}

// askMFACodes asks for two consecutive codes from the authenticator. problem
// explains why a previous try was refused (empty on the first try). The codes
// are checked here for shape only (mfa.CheckCode, and the second must differ
// from the first); AWS checks them for real.
func (u *UI) askMFACodes(ctx context.Context, problem string) (first, second secret.Value, err error) {
	if problem != "" {
		u.println(u.styles.warn.Render("! " + problem))
	}
	var one, two string
	checkSecond := u.worded(func(s string) error {
		return mfa.CheckCodes(mfa.Codes{First: secret.New(one), Second: secret.New(s)})
	})
	form := huh.NewForm(huh.NewGroup(
		huh.NewInput().
			Title(u.tr.T("First code from the app")).
			Description(u.tr.T("The six digits shown now.")).
			Value(&one).
			Validate(u.worded(mfa.CheckCode)),
		huh.NewInput().
			Title(u.tr.T("Next code")).
			Description(u.tr.T("Wait for the code to change, then type the new one.")).
			Value(&two).
			Validate(checkSecond),
	))
	if err := u.runForm(ctx, form); err != nil {
		return secret.Value{}, secret.Value{}, err
	}
	// huh's accessible mode can finish with a refused value still bound.
	if err := checkSecond(two); err != nil {
		return secret.Value{}, secret.Value{}, err
	}
	return secret.New(mfa.NormalizeCode(one)), secret.New(mfa.NormalizeCode(two)), nil
}
