package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/makiuchi-d/gozxing/qrcode/decoder"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// mfaTerminal runs `iam-baseline apply` in tmux against a simulator this
// test started, so the test can play the authenticator app: it reads the
// seed from the simulator (never from the product) and computes the codes.
type mfaTerminal struct {
	*tmuxSession
	srv *iamsim.Server
	iam *iam.Client
}

func startMFATerminal(t *testing.T) *mfaTerminal {
	t.Helper()
	return startMFATerminalSized(t, tmuxHeight)
}

func startMFATerminalSized(t *testing.T, height int) *mfaTerminal {
	t.Helper()
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	env := []string{
		"AWS_ACCESS_KEY_ID=" + iamsim.DefaultRootAccessKeyID,
		"AWS_SECRET_ACCESS_KEY=simulated",
		"AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null",
		"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
	}
	tm := startTmuxSized(t, tmuxWidth, height, env, iamBaseline(t), "apply", "--endpoint-url", srv.URL)
	return &mfaTerminal{tmuxSession: tm, srv: srv, iam: iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))}
}

// optInFields are the opt-in page's fields on a fresh account
// (wizard_optin.go), in order.
var optInFields = []string{"Create support role", "Create IAM Access Analyzer", "Security contact name", "Security contact title",
	"Security contact e-mail", "Security contact phone"}

// upToRootKey are the wizard's questions on a fresh account up to the root
// key question, each taken with Enter: the defaults, and no opt-in fix.
var upToRootKey = append(append([]string{"Name of the admin group", "Name of the administrator user", "Account alias", "Password policy",
	"Require MFA for group"}, optInFields...), "Type "+iamsim.DefaultRootAccessKeyID)

// answerUpToCodes takes the defaults up to the MFA screen and returns it.
func (m *mfaTerminal) answerUpToCodes() string {
	m.t.Helper()
	m.waitForText("What I found", "A root access key signs this run")
	for _, question := range upToRootKey {
		m.waitFor(question, focused(question))
		m.keys("Enter")
	}
	m.waitFor("the plan confirmation", focused("Apply 5 changes?"))
	m.keys("y")
	return m.waitFor("the code prompt", focused("First code from the app"))
}

// seed is the new device's seed, read from the simulator.
func (m *mfaTerminal) seed() (serial, seed string) {
	m.t.Helper()
	out, err := m.iam.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned})
	if err != nil || len(out.VirtualMFADevices) != 1 {
		m.t.Fatalf("want the one new unassigned device, got %v (%v)", out, err)
	}
	serial = aws.ToString(out.VirtualMFADevices[0].SerialNumber)
	seed, ok := m.srv.Sim.MFASeed(iamsim.DefaultAccountID, serial)
	if !ok {
		m.t.Fatalf("the simulator has no seed for %s", serial)
	}
	return serial, seed
}

func code(t *testing.T, seed string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(seed, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// qrRows counts the lines drawn with QR half blocks.
func qrRows(screen string) int {
	n := 0
	for _, line := range strings.Split(screen, "\n") {
		if strings.Count(line, "█")+strings.Count(line, "▀")+strings.Count(line, "▄") >= 20 {
			n++
		}
	}
	return n
}

func TestTerminalWizardEnrollsMFA(t *testing.T) {
	m := startMFATerminal(t)
	screen := m.answerUpToCodes()
	if rows := qrRows(screen); rows < 15 {
		t.Fatalf("no QR code on the screen (%d rows of blocks):\n%s", rows, screen)
	}
	_, seed := m.seed()
	uri, err := decodeScreenQR(screen)
	if err != nil {
		t.Fatalf("the QR code on the screen does not decode: %v\n%s", err, screen)
	}
	if !strings.HasPrefix(uri, "otpauth://totp/") || !strings.Contains(uri, "secret="+seed) {
		t.Fatalf("the QR code holds %q, want the otpauth URI of the new device", uri)
	}
	grouped := mfa.GroupSecret(secret.New(seed)).Reveal()
	if !strings.Contains(screen, grouped) {
		t.Errorf("the grouped secret %q is not offered for typing by hand:\n%s", grouped, screen)
	}

	// First a pair that is not consecutive: AWS refuses it, the wizard
	// explains and asks again for the same device.
	now := m.srv.Sim.Now()
	m.typeText(code(t, seed, now.Add(-5*time.Minute)))
	m.keys("Enter")
	m.waitFor("the second code prompt", focused("Next code"))
	m.typeText(code(t, seed, now))
	m.keys("Enter")
	m.waitForText("AWS refused the MFA codes", "(try 2 of 3)")
	m.waitFor("the code prompt again", focused("First code from the app"))

	// Then the pair a person types: the code shown, then the next one.
	now = m.srv.Sim.Now()
	m.typeText(code(t, seed, now.Add(-30*time.Second)))
	m.keys("Enter")
	m.waitFor("the second code prompt", focused("Next code"))
	m.typeText(code(t, seed, now))
	m.keys("Enter")

	screen = m.waitFor("the saved-password question", focused("Have you saved the password?"))
	password := passwordOnScreen(t, screen)
	m.keys("y")
	if exit := m.waitForExit(); exit != 0 {
		t.Fatalf("apply exited %d:\n%s", exit, m.history())
	}
	history := m.history()
	if strings.Contains(history, password) {
		t.Errorf("the password is still on the terminal:\n%s", history)
	}
	// The enrollment had the alternate screen: the key and the QR code are
	// gone from the terminal now that the device is enabled.
	if strings.Contains(history, grouped) || qrRows(history) > 0 {
		t.Errorf("the MFA key or QR code is still on the terminal:\n%s", history)
	}
	if !strings.Contains(history, "The MFA QR code and key were cleared from the screen.") {
		t.Errorf("the terminal does not say the MFA screen was cleared:\n%s", history)
	}
	for _, want := range []string{"✓ Virtual MFA device for \"administrator\"", "enabled virtual MFA device", "https://123456789012.signin.aws.amazon.com/console"} {
		if !strings.Contains(history, want) {
			t.Errorf("the terminal lacks %q:\n%s", want, history)
		}
	}
	devices, err := m.iam.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("administrator should hold one MFA device: %v %v", devices, err)
	}
}

// Ctrl-C at the code prompt deletes the new device (nothing half-done is
// left), still delivers the password of the user it created, and exits as
// interrupted.
func TestTerminalCtrlCAtCodesDeletesDevice(t *testing.T) {
	m := startMFATerminal(t)
	m.answerUpToCodes()
	m.seed() // the device exists now
	m.keys("C-c")
	m.waitForText("Temporary console password (shown once)")
	m.waitFor("the saved-password question", focused("Have you saved the password?"))
	m.keys("y")
	if exit := m.waitForExit(); exit != ExitInterrupted {
		t.Fatalf("exit code %d, want %d:\n%s", exit, ExitInterrupted, m.history())
	}
	if !strings.Contains(m.history(), "next run starts clean") {
		t.Errorf("the clean-up is not reported:\n%s", m.history())
	}
	left, err := m.iam.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{})
	if err != nil || len(left.VirtualMFADevices) != 0 {
		t.Fatalf("the aborted enrollment left devices behind: %v %v", left, err)
	}
	if qrRows(m.history()) > 0 {
		t.Errorf("the QR code of the deleted device is still on the terminal:\n%s", m.history())
	}
}

// A terminal too short for the enrollment screen gets it inline: the QR
// code must be whole on the screen, so it cannot be cut by the alternate
// screen's height.
func TestTerminalShortTerminalDrawsMFAInline(t *testing.T) {
	m := startMFATerminalSized(t, 36)
	screen := m.answerUpToCodes()
	if rows := qrRows(screen); rows < 15 {
		t.Fatalf("no QR code on the screen (%d rows of blocks):\n%s", rows, screen)
	}
	m.keys("C-c")
	m.waitFor("the saved-password question", focused("Have you saved the password?"))
	m.keys("y")
	if exit := m.waitForExit(); exit != ExitInterrupted {
		t.Fatalf("exit code %d, want %d:\n%s", exit, ExitInterrupted, m.history())
	}
	if qrRows(m.history()) < 15 || strings.Contains(m.history(), "The MFA QR code and key were cleared") {
		t.Errorf("an inline enrollment stays in the scrollback:\n%s", m.history())
	}
}

// decodeScreenQR reads the QR code drawn with half blocks on a captured
// screen (text colour = light modules, as drawn for a dark background) and
// decodes it. The drawing is exact, so the modules are read straight off
// the characters and handed to the QR decoder (error correction included):
// zxing's camera path (binarizer, finder-pattern search) misread about one
// random code in seventy (TestDecodeScreenQRReadsEveryCode).
func decodeScreenQR(screen string) (string, error) {
	var rows []string
	for _, line := range strings.Split(screen, "\n") {
		if strings.Trim(line, "█▀▄ ") == "" && utf8.RuneCountInString(line) >= 20 {
			rows = append(rows, line)
		}
	}
	if len(rows) == 0 {
		return "", errors.New("no QR rows on the screen")
	}
	// dark[y][x]: a dark module, two module rows per line of text; a blank
	// (and what capture-pane dropped at the end of a line) is dark.
	var dark [][]bool
	for _, r := range rows {
		top, bottom := []bool{}, []bool{}
		for _, c := range r {
			top = append(top, c != '█' && c != '▀')
			bottom = append(bottom, c != '█' && c != '▄')
		}
		dark = append(dark, top, bottom)
	}
	// The symbol is the box around the dark modules inside the light quiet
	// zone: from the first light row and column on.
	minX, minY, maxX, maxY := -1, -1, -1, -1
	for y, row := range dark {
		for x, d := range row {
			if !d || !inQuietZone(dark, x, y) {
				continue
			}
			if minX < 0 || x < minX {
				minX = x
			}
			if minY < 0 {
				minY = y
			}
			maxX, maxY = max(maxX, x), y
		}
	}
	if minX < 0 || maxX-minX != maxY-minY {
		return "", fmt.Errorf("no square QR symbol on the screen (%d..%d x %d..%d)", minX, maxX, minY, maxY)
	}
	symbol := make([][]bool, maxY-minY+1)
	for y := range symbol {
		symbol[y] = make([]bool, maxX-minX+1)
		for x := range symbol[y] {
			if row := dark[minY+y]; minX+x < len(row) {
				symbol[y][x] = row[minX+x]
			}
		}
	}
	res, err := decoder.NewDecoder().DecodeBoolMapWithoutHint(symbol)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// inQuietZone reports whether the module at x, y lies inside the light
// frame the QR code is drawn in: some light module left of it on its row
// and above it in its column. That leaves out the indentation before the
// code, which is blank, hence dark.
func inQuietZone(dark [][]bool, x, y int) bool {
	left, above := false, false
	for i := 0; i < x && !left; i++ {
		left = !dark[y][i]
	}
	for i := 0; i < y && !above; i++ {
		above = x < len(dark[i]) && !dark[i][x]
	}
	return left && above
}

// Ctrl-C while the steps run cancels the apply: nothing half-done is left
// that the next run cannot finish, and the run exits as interrupted.
func TestTerminalCtrlCDuringApply(t *testing.T) {
	m := startMFATerminal(t)
	m.waitForText("What I found")
	for _, question := range upToRootKey {
		m.waitFor(question, focused(question))
		m.keys("Enter")
	}
	m.waitFor("the plan confirmation", focused("Apply 5 changes?"))
	// Slow enough that the steps are still running when Ctrl-C comes.
	m.srv.Sim.SetLatency(400 * time.Millisecond)
	m.keys("y")
	// The first steps' lines say the apply is under way.
	m.waitForText("= Root user MFA: left for you")
	m.keys("C-c")
	screen := m.waitFor("the closing card or the exit", func(s string) bool {
		return strings.Contains(s, "Have you saved the password?") || exitMarker.MatchString(s)
	})
	if strings.Contains(screen, "Have you saved the password?") {
		m.waitFor("the saved-password question", focused("Have you saved the password?"))
		m.keys("y")
	}
	if exit := m.waitForExit(); exit != ExitInterrupted {
		t.Fatalf("exit code %d, want %d:\n%s", exit, ExitInterrupted, m.history())
	}
	if !strings.Contains(m.history(), "Not finished") {
		t.Errorf("the card must say the run did not finish:\n%s", m.history())
	}
	m.srv.Sim.SetLatency(0)
	left, err := m.iam.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned})
	if err != nil || len(left.VirtualMFADevices) != 0 {
		t.Fatalf("an interrupted apply left an unassigned MFA device: %v %v", left, err)
	}
}
