package mfa

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"
	"github.com/pquerna/otp"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
)

// clock is the simulator's clock; the scripted person moves it while waiting
// for the app's next code.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	t     *testing.T
	sim   *iamsim.Sim
	clock *clock
	api   *iam.Client
}

// newEnv starts a simulator holding user "administrator" and returns a real
// SDK client talking to it over HTTP.
func newEnv(t *testing.T, tweaks ...func(*iamsim.Options)) *env {
	t.Helper()
	// 10 s into a 30 s step, so a test's few calls stay within it.
	c := &clock{t: time.Date(2026, 11, 30, 3, 0, 10, 0, time.UTC)}
	opts := iamsim.Options{Now: c.Now}
	for _, tweak := range tweaks {
		tweak(&opts)
	}
	srv := iamsim.NewServer(opts)
	t.Cleanup(srv.Close)
	cfg := iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID)
	api := iam.NewFromConfig(cfg)
	if _, err := api.CreateUser(context.Background(), &iam.CreateUserInput{UserName: aws.String("administrator")}); err != nil {
		t.Fatal(err)
	}
	srv.Sim.ResetLog()
	t.Cleanup(func() {
		if t.Failed() {
			for _, l := range srv.Sim.Log() {
				t.Logf("sim: #%d %s %v -> %d %s", l.Seq, l.Action, l.Params, l.Status, l.ErrorCode)
			}
		}
	})
	return &env{t: t, sim: srv.Sim, clock: c, api: api}
}

// code is what the authenticator app shows for the device at the
// simulator's time plus steps*30 s.
func (e *env) code(serial string, steps int) string {
	e.t.Helper()
	seed, ok := e.sim.MFASeed(iamsim.DefaultAccountID, serial)
	if !ok {
		e.t.Fatalf("the simulator has no seed for %s", serial)
	}
	return totpAt(e.t, seed, e.sim.Now().Add(time.Duration(steps)*30*time.Second))
}

func (e *env) pair(serial string, first, second int) Codes {
	return Codes{First: secret.New(e.code(serial, first)), Second: secret.New(e.code(serial, second))}
}

func (e *env) userDevices(user string) []string {
	e.t.Helper()
	out, err := e.api.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String(user)})
	if err != nil {
		e.t.Fatal(err)
	}
	var serials []string
	for _, d := range out.MFADevices {
		serials = append(serials, aws.ToString(d.SerialNumber))
	}
	return serials
}

func (e *env) unassigned() []string {
	e.t.Helper()
	out, err := e.api.ListVirtualMFADevices(context.Background(), &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned})
	if err != nil {
		e.t.Fatal(err)
	}
	var serials []string
	for _, d := range out.VirtualMFADevices {
		serials = append(serials, aws.ToString(d.SerialNumber))
	}
	return serials
}

func (e *env) calls(action string) int {
	n := 0
	for _, l := range e.sim.Log() {
		if l.Action == action {
			n++
		}
	}
	return n
}

// person is a scripted CodeSource: the QR code goes to its terminal, and
// answer plays the person typing codes from the app.
type person struct {
	env      *env
	terminal bytes.Buffer
	shown    []Enrollment
	asked    []CodeRequest
	answer   func(p *person, req CodeRequest) (Codes, error)
	notes    []string
}

func (p *person) Present(_ context.Context, e Enrollment) error {
	p.shown = append(p.shown, e)
	fmt.Fprintf(&p.terminal, "Scan this with your authenticator app:\n")
	if err := RenderQR(&p.terminal, e.URI, QRLightOnDark); err != nil {
		return err
	}
	fmt.Fprintf(&p.terminal, "Or type this secret: %s\n", GroupSecret(e.Seed).Reveal())
	return nil
}

func (p *person) Codes(_ context.Context, req CodeRequest) (Codes, error) {
	p.asked = append(p.asked, req)
	return p.answer(p, req)
}

func (p *person) Abandon(Enrollment) (string, error) {
	p.notes = append(p.notes, "abandoned")
	return "", nil
}

func (p *person) serial() string { return p.shown[len(p.shown)-1].SerialNumber }

// typesRight types the code the app shows, waits for it to change, and
// types the next one.
func typesRight(p *person, _ CodeRequest) (Codes, error) {
	first := p.env.code(p.serial(), 0)
	p.env.clock.Advance(30 * time.Second)
	return Codes{First: secret.New(first), Second: secret.New(p.env.code(p.serial(), 0))}, nil
}

var request = Request{UserName: "administrator", AccountLabel: "123456789012"}

func TestEnrollWithCorrectCodes(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: typesRight}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeEnrolled || res.Attempts != 1 || res.SerialNumber == "" {
		t.Fatalf("result %+v", res)
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 || devs[0] != res.SerialNumber {
		t.Fatalf("ListMFADevices = %v, want [%s]", devs, res.SerialNumber)
	}
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
	// What was shown is the simulator's seed, in a URI for this user and
	// account, and the drawn QR code reads back as that URI.
	shown := p.shown[0]
	seed, _ := env.sim.MFASeed(iamsim.DefaultAccountID, res.SerialNumber)
	if shown.Seed.Reveal() != seed || shown.SerialNumber != res.SerialNumber {
		t.Fatal("the enrollment shown is not the device created")
	}
	key, err := otp.NewKeyFromURL(shown.URI.Reveal())
	if err != nil {
		t.Fatal(err)
	}
	if key.Secret() != seed || key.Issuer() != "Amazon Web Services" || key.AccountName() != "administrator@123456789012" {
		t.Fatalf("URI issuer %q account %q", key.Issuer(), key.AccountName())
	}
	qr := p.terminal.String()
	qr = qr[strings.Index(qr, "\n")+1 : strings.Index(qr, "Or type")]
	decoded, err := decodeDrawnQR(qr, QRLightOnDark)
	if err != nil || decoded != shown.URI.Reveal() {
		t.Fatalf("the drawn QR code decodes to the URI: %v", err)
	}
	if !strings.Contains(p.terminal.String(), GroupSecret(shown.Seed).Reveal()) {
		t.Fatal("the grouped secret is not offered")
	}
}

func TestEnrollWrongCodeThenRight(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		if req.Attempt == 1 {
			// A typo: the right codes with the last digit changed.
			c := p.env.pair(p.serial(), -1, 0)
			first := c.First.Reveal()
			first = first[:5] + string(rune('0'+(first[5]-'0'+1)%10))
			return Codes{First: secret.New(first), Second: c.Second}, nil
		}
		return typesRight(p, req)
	}}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeEnrolled || res.Attempts != 2 {
		t.Fatalf("result %+v", res)
	}
	if n := env.calls("CreateVirtualMFADevice"); n != 1 {
		t.Fatalf("%d devices created, want 1", n)
	}
	if n := env.calls("EnableMFADevice"); n != 2 {
		t.Fatalf("%d EnableMFADevice calls, want 2", n)
	}
	if len(p.shown) != 1 {
		t.Fatalf("presented %d times", len(p.shown))
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 {
		t.Fatalf("devices %v", devs)
	}
	if r := p.asked[1]; r.Attempt != 2 || r.MaxAttempts != MaxAttempts || !errors.Is(r.Refused, ErrCodesRejected) {
		t.Fatalf("second request %+v", r)
	}
}

func TestEnrollNonConsecutiveCodesAreExplainedAndRetried(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		if req.Attempt == 1 {
			// Two valid codes with one skipped between them.
			return p.env.pair(p.serial(), -2, 0), nil
		}
		return typesRight(p, req)
	}}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 2 || env.calls("CreateVirtualMFADevice") != 1 {
		t.Fatalf("result %+v", res)
	}
	refused := p.asked[1].Refused
	if !errors.Is(refused, ErrCodesRejected) {
		t.Fatalf("refusal %v", refused)
	}
	for _, hint := range []string{"consecutive", "clock"} {
		if !strings.Contains(refused.Error(), hint) {
			t.Errorf("the explanation %q does not mention %q", refused, hint)
		}
	}
	var rejected int
	for _, l := range env.sim.Log() {
		if l.Action == "EnableMFADevice" && l.ErrorCode == "InvalidAuthenticationCode" {
			rejected++
		}
	}
	if rejected != 1 {
		t.Fatalf("the simulator refused %d pairs, want 1", rejected)
	}
}

func TestEnrollLocalChecksSpareAWS(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		switch req.Attempt {
		case 1:
			c := p.env.code(p.serial(), 0)
			return Codes{First: secret.New(c), Second: secret.New(c)}, nil
		case 2:
			return Codes{First: secret.New("12345"), Second: secret.New(p.env.code(p.serial(), 0))}, nil
		}
		c := p.env.pair(p.serial(), -1, 0)
		// The app shows "123 456"; people type the space.
		return Codes{First: secret.New(c.First.Reveal()[:3] + " " + c.First.Reveal()[3:]), Second: c.Second}, nil
	}}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Attempts != 3 || env.calls("EnableMFADevice") != 1 {
		t.Fatalf("attempts %d, EnableMFADevice calls %d", res.Attempts, env.calls("EnableMFADevice"))
	}
	if !errors.Is(p.asked[1].Refused, ErrCodesEqual) || !errors.Is(p.asked[2].Refused, ErrCodeFormat) {
		t.Fatalf("refusals %v / %v", p.asked[1].Refused, p.asked[2].Refused)
	}
}

func TestEnrollGivesUpAfterThreeRefusals(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		return p.env.pair(p.serial(), -3, 0), nil
	}}
	_, err := Enroll(context.Background(), env.api, p, request)
	if !errors.Is(err, ErrTooManyAttempts) || !errors.Is(err, ErrCodesRejected) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "authenticator app is dead now: remove it") {
		t.Errorf("the error does not say the app's new entry is dead: %v", err)
	}
	if len(p.asked) != MaxAttempts || env.calls("CreateVirtualMFADevice") != 1 {
		t.Fatalf("asked %d times, created %d devices", len(p.asked), env.calls("CreateVirtualMFADevice"))
	}
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
	if !strings.HasPrefix(err.Error(), `enrolling MFA for "administrator": `) || !strings.Contains(err.Error(), "deleted the unassigned MFA device") {
		t.Fatalf("message %q", err)
	}
	if len(p.notes) != 1 {
		t.Fatalf("Abandon called %d times", len(p.notes))
	}
}

func TestEnrollAbortAfterQRLeavesNothingAndNextRunEnrolls(t *testing.T) {
	for name, abort := range map[string]func(cancel context.CancelFunc, ctx context.Context) error{
		"ctrl-c":       func(cancel context.CancelFunc, ctx context.Context) error { cancel(); return ctx.Err() },
		"end of input": func(context.CancelFunc, context.Context) error { return io.EOF },
	} {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
				return Codes{}, abort(cancel, ctx)
			}}
			_, err := Enroll(ctx, env.api, p, request)
			if err == nil {
				t.Fatal("enrolled without codes")
			}
			var ee *EnrollError
			if !errors.As(err, &ee) || ee.Cleanup != nil || ee.SerialNumber == "" {
				t.Fatalf("err = %#v", err)
			}
			if !strings.Contains(p.terminal.String(), "▄") {
				t.Fatal("no QR code was drawn before the abort")
			}
			if left := env.unassigned(); len(left) != 0 {
				t.Fatalf("unassigned devices left: %v", left)
			}
			if env.calls("DeleteVirtualMFADevice") != 1 {
				t.Fatal("the device was not deleted")
			}
			// A later run starts clean and enrolls normally.
			env.sim.ResetLog()
			next := &person{env: env, answer: typesRight}
			res, err := Enroll(context.Background(), env.api, next, request)
			if err != nil || res.Outcome != OutcomeEnrolled || len(res.RemovedStale) != 0 {
				t.Fatalf("next run: %+v, %v", res, err)
			}
		})
	}
}

func TestEnrollDeletesLeftoverOfAnAbortedRun(t *testing.T) {
	env := newEnv(t)
	// A run that died before it could clean up.
	out, err := env.api.CreateVirtualMFADevice(context.Background(), &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("administrator")})
	if err != nil {
		t.Fatal(err)
	}
	stale := aws.ToString(out.VirtualMFADevice.SerialNumber)
	p := &person{env: env, answer: typesRight}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.RemovedStale) != 1 || res.RemovedStale[0] != stale || res.Outcome != OutcomeEnrolled {
		t.Fatalf("result %+v", res)
	}
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
}

func TestEnrollUserWithMFAIsLeftAlone(t *testing.T) {
	env := newEnv(t)
	first := &person{env: env, answer: typesRight}
	enrolled, err := Enroll(context.Background(), env.api, first, request)
	if err != nil {
		t.Fatal(err)
	}
	env.sim.ResetLog()
	again := &person{env: env, answer: typesRight}
	res, err := Enroll(context.Background(), env.api, again, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeAlreadyEnrolled || res.SerialNumber != enrolled.SerialNumber {
		t.Fatalf("result %+v", res)
	}
	if len(again.shown) != 0 || len(env.sim.MutatingRequests()) != 0 {
		t.Fatalf("shown %d, mutating requests %v", len(again.shown), env.sim.MutatingRequests())
	}
}

func TestEnrollNonInteractiveSecretFile(t *testing.T) {
	env := newEnv(t)
	path := filepath.Join(t.TempDir(), "administrator.mfa")
	src, err := NewSecretFileSource(path, env.sim.Now)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Enroll(context.Background(), env.api, src, request)
	if err != nil {
		t.Fatal(err)
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 || devs[0] != res.SerialNumber {
		t.Fatalf("devices %v", devs)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secret file: %v %v", st.Mode(), err)
	}
	data, _ := os.ReadFile(path)
	key, err := otp.NewKeyFromURL(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := env.sim.MFASeed(iamsim.DefaultAccountID, res.SerialNumber)
	if key.Type() != "totp" || key.Secret() != seed || key.AccountName() != "administrator@123456789012" {
		t.Fatalf("URI in the file: type %q account %q", key.Type(), key.AccountName())
	}
	// The file is enough to sign in: an app fed with it makes codes the
	// simulator takes.
	if got := totpAt(t, key.Secret(), env.sim.Now()); got != env.code(res.SerialNumber, 0) {
		t.Fatal("the file's seed makes other codes than the device's")
	}
}

func TestEnrollSecretFileRemovedWhenEnablingFails(t *testing.T) {
	env := newEnv(t)
	env.sim.AddFault(iamsim.Fault{Action: "EnableMFADevice", Code: "AccessDenied", Message: "not allowed"})
	path := filepath.Join(t.TempDir(), "administrator.mfa")
	src, _ := NewSecretFileSource(path, env.sim.Now)
	_, err := Enroll(context.Background(), env.api, src, request)
	if err == nil {
		t.Fatal("enrolled although EnableMFADevice fails")
	}
	if _, serr := os.Stat(path); !os.IsNotExist(serr) {
		t.Fatalf("the secret file of a deleted device is still there: %v", serr)
	}
	if !strings.Contains(err.Error(), "removed the MFA secret file "+path) || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("message %q", err)
	}
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
}

// TestEnrollSecretFileResyncsAfterClockSkew: codes from a clock two minutes
// behind AWS's make AWS associate the device out of sync (it then refuses
// the device's codes). The enrollment notices from the answer's Date and
// resyncs with two codes computed at AWS's time. A clock one step behind
// still enables the device in sync, and no resync is made.
func TestEnrollSecretFileResyncsAfterClockSkew(t *testing.T) {
	for behind, resyncs := range map[time.Duration]int{2 * time.Minute: 1, 40 * time.Second: 0} {
		env := newEnv(t)
		path := filepath.Join(t.TempDir(), "administrator.mfa")
		src, _ := NewSecretFileSource(path, func() time.Time { return env.sim.Now().Add(-behind) })
		res, err := Enroll(context.Background(), env.api, src, request)
		if err != nil {
			t.Fatalf("%v behind: %v", behind, err)
		}
		if assigned, inSync := env.sim.MFADeviceInSync(iamsim.DefaultAccountID, res.SerialNumber); !assigned || !inSync {
			t.Fatalf("%v behind: assigned %v, in sync %v", behind, assigned, inSync)
		}
		if res.Resynced != (resyncs > 0) || env.calls("ResyncMFADevice") != resyncs {
			t.Errorf("%v behind: resynced %v, %d ResyncMFADevice calls, want %d", behind, res.Resynced, env.calls("ResyncMFADevice"), resyncs)
		}
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%v behind: the secret file of the enabled device is gone: %v", behind, err)
		}
	}
}

// slowEnable delivers EnableMFADevice to AWS late, as a slow network or a
// suspended laptop would.
type slowEnable struct {
	IAMAPI
	clock *clock
	delay time.Duration
}

func (s slowEnable) EnableMFADevice(ctx context.Context, in *iam.EnableMFADeviceInput, opts ...func(*iam.Options)) (*iam.EnableMFADeviceOutput, error) {
	s.clock.Advance(s.delay)
	return s.IAMAPI.EnableMFADevice(ctx, in, opts...)
}

// TestEnrollPersonsLateCodesAreResynced: a person's codes that reach AWS two
// minutes after they were read enable the device out of sync; the
// enrollment asks for two new codes, saying why, and resyncs.
func TestEnrollPersonsLateCodesAreResynced(t *testing.T) {
	env := newEnv(t)
	p := &person{env: env, answer: typesRight}
	req := request
	req.Clock = env.clock.Now
	res, err := Enroll(context.Background(), slowEnable{IAMAPI: env.api, clock: env.clock, delay: 2 * time.Minute}, p, req)
	if err != nil {
		t.Fatal(err)
	}
	if assigned, inSync := env.sim.MFADeviceInSync(iamsim.DefaultAccountID, res.SerialNumber); !assigned || !inSync || !res.Resynced {
		t.Fatalf("assigned %v, in sync %v, resynced %v", assigned, inSync, res.Resynced)
	}
	if len(p.asked) != 2 || !errors.Is(p.asked[1].Refused, ErrOutOfSync) {
		t.Fatalf("asked %+v, want a second pair asked for as out of sync", p.asked)
	}
}

// TestEnrollInSyncDoesNotResync: a right clock enables the device in sync;
// no resync is made.
func TestEnrollInSyncDoesNotResync(t *testing.T) {
	env := newEnv(t)
	src, _ := NewSecretFileSource(filepath.Join(t.TempDir(), "administrator.mfa"), env.sim.Now)
	res, err := Enroll(context.Background(), env.api, src, request)
	if err != nil {
		t.Fatal(err)
	}
	if res.Resynced || env.calls("ResyncMFADevice") != 0 {
		t.Errorf("resynced %v, %d ResyncMFADevice calls", res.Resynced, env.calls("ResyncMFADevice"))
	}
}

// TestEnrollFailedResyncKeepsTheDeviceAndSaysHow: when the resync is
// refused, the enabled device stays (it is the user's) with its secret,
// and the error says how to resync by hand.
func TestEnrollFailedResyncKeepsTheDeviceAndSaysHow(t *testing.T) {
	env := newEnv(t)
	env.sim.AddFault(iamsim.Fault{Action: "ResyncMFADevice", Code: "InvalidAuthenticationCode", Message: "Authentication code for device is not valid."})
	path := filepath.Join(t.TempDir(), "administrator.mfa")
	src, _ := NewSecretFileSource(path, func() time.Time { return env.sim.Now().Add(-2 * time.Minute) })
	res, err := Enroll(context.Background(), env.api, src, request)
	if !errors.Is(err, ErrTooManyAttempts) || !errors.Is(err, ErrOutOfSync) {
		t.Fatalf("error %v, want too many attempts at an out-of-sync device", err)
	}
	if !strings.Contains(err.Error(), "aws iam resync-mfa-device --user-name administrator --serial-number "+res.SerialNumber) {
		t.Errorf("the error does not say how to resync: %v", err)
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 || devs[0] != res.SerialNumber {
		t.Fatalf("devices %v, want the enabled one kept", devs)
	}
	if _, serr := os.Stat(path); serr != nil {
		t.Errorf("the secret file of the enabled device is gone: %v", serr)
	}
	if env.calls("ResyncMFADevice") != MaxAttempts {
		t.Errorf("%d ResyncMFADevice calls, want %d", env.calls("ResyncMFADevice"), MaxAttempts)
	}
}

func TestEnrollLostEnableAnswerStillSucceeds(t *testing.T) {
	env := newEnv(t)
	// The device is enabled, but the answer never arrives; the SDK retries
	// and AWS refuses to enable it twice.
	env.sim.AddFault(iamsim.Fault{Action: "EnableMFADevice", Nth: 1, Code: "ServiceUnavailable", AfterHandling: true})
	p := &person{env: env, answer: typesRight}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatalf("%v (log %v)", err, env.sim.Log())
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 || devs[0] != res.SerialNumber {
		t.Fatalf("devices %v", devs)
	}
	if env.calls("DeleteVirtualMFADevice") != 0 {
		t.Fatal("deleted the enabled device")
	}
}

func TestEnrollLostCreateAnswerIsRetriedCleanly(t *testing.T) {
	env := newEnv(t)
	// The device is made, the answer is lost, the SDK retries the call and
	// meets the device it made, whose seed nobody has.
	env.sim.AddFault(iamsim.Fault{Action: "CreateVirtualMFADevice", Nth: 1, Code: "ServiceUnavailable", AfterHandling: true})
	p := &person{env: env, answer: typesRight}
	res, err := Enroll(context.Background(), env.api, p, request)
	if err != nil {
		t.Fatal(err)
	}
	if devs := env.userDevices("administrator"); len(devs) != 1 || devs[0] != res.SerialNumber {
		t.Fatalf("devices %v", devs)
	}
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
	// The device of the lost answer (same name, so same serial) is reported
	// as deleted: it was.
	if len(p.shown) != 1 || len(res.RemovedStale) != 1 {
		t.Fatalf("shown %d times, reported deleted %v", len(p.shown), res.RemovedStale)
	}
	var created, conflicts int
	for _, l := range env.sim.Log() {
		if l.Action == "CreateVirtualMFADevice" {
			if l.Status == 200 {
				created++
			} else if l.ErrorCode == "EntityAlreadyExists" {
				conflicts++
			}
		}
	}
	if created != 1 || conflicts != 1 {
		t.Fatalf("the simulator saw %d successful creates and %d conflicts, want 1 and 1 (the fault answers with 503)", created, conflicts)
	}
}

func TestEnrollLostCreateAnswerLeavesNoOrphan(t *testing.T) {
	env := newEnv(t)
	env.sim.AddFault(iamsim.Fault{Action: "CreateVirtualMFADevice", Code: "AccessDenied", AfterHandling: true})
	p := &person{env: env, answer: typesRight}
	_, err := Enroll(context.Background(), env.api, p, request)
	if err == nil {
		t.Fatal("no error")
	}
	env.sim.ClearFaults()
	if left := env.unassigned(); len(left) != 0 {
		t.Fatalf("unassigned devices left: %v", left)
	}
}

func TestEnrollDeviceNameTakenByAnotherUser(t *testing.T) {
	env := newEnv(t)
	ctx := context.Background()
	if _, err := env.api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("alice")}); err != nil {
		t.Fatal(err)
	}
	alice := &person{env: env, answer: typesRight}
	if _, err := Enroll(ctx, env.api, alice, Request{UserName: "alice", DeviceName: "shared"}); err != nil {
		t.Fatal(err)
	}
	p := &person{env: env, answer: typesRight}
	_, err := Enroll(ctx, env.api, p, Request{UserName: "administrator", DeviceName: "shared"})
	if err == nil || !strings.Contains(err.Error(), "choose another device name") {
		t.Fatalf("err = %v", err)
	}
	if devs := env.userDevices("alice"); len(devs) != 1 {
		t.Fatalf("alice's device was touched: %v", devs)
	}
}

// The seed, the URI and the codes appear only in the QR code, the explicit
// secret display and the secret file: not in errors, results, logs of the
// flow, or the simulator's request log.
func TestSeedAppearsOnlyWhereMeant(t *testing.T) {
	env := newEnv(t)
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	var seen []string // everything printed that is not the QR or the secret display
	var secrets []string
	record := func(e Enrollment, c Codes) {
		secrets = append(secrets, e.Seed.Reveal(), e.URI.Reveal(), GroupSecret(e.Seed).Reveal())
		if !c.First.IsZero() {
			secrets = append(secrets, c.First.Reveal(), c.Second.Reveal())
		}
		logger.Info("enrollment", "enrollment", e, "codes", c)
		seen = append(seen, fmt.Sprintf("%v %+v %#v %s %q", e, e, e, e.Seed, e.URI))
		seen = append(seen, fmt.Sprintf("%v %+v %#v", c, c, c))
	}
	// A run that enrolls after a refused pair, one that is cancelled, one that
	// runs out of attempts, and a secret-file run whose enabling fails.
	p1 := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		c := p.env.pair(p.serial(), -2, 0)
		if req.Attempt > 1 {
			c = p.env.pair(p.serial(), -1, 0)
		}
		record(p.shown[0], c)
		return c, nil
	}}
	res, err := Enroll(context.Background(), env.api, p1, Request{UserName: "administrator"})
	if err != nil {
		t.Fatal(err)
	}
	seen = append(seen, fmt.Sprintf("%+v", res), fmt.Sprint(p1.asked[1].Refused))
	ctx := context.Background()
	for _, user := range []string{"bob", "carol", "dave"} {
		if _, err := env.api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(user)}); err != nil {
			t.Fatal(err)
		}
	}
	cancelled := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		record(p.shown[0], Codes{})
		return Codes{}, context.Canceled
	}}
	_, err = Enroll(ctx, env.api, cancelled, Request{UserName: "bob"})
	seen = append(seen, fmt.Sprint(err), fmt.Sprintf("%+v", err))
	wrong := &person{env: env, answer: func(p *person, req CodeRequest) (Codes, error) {
		c := p.env.pair(p.serial(), -3, 0)
		record(p.shown[0], c)
		return c, nil
	}}
	_, err = Enroll(ctx, env.api, wrong, Request{UserName: "carol"})
	seen = append(seen, fmt.Sprint(err), fmt.Sprintf("%#v", err))
	env.sim.AddFault(iamsim.Fault{Action: "EnableMFADevice", Code: "AccessDenied"})
	file, _ := NewSecretFileSource(filepath.Join(t.TempDir(), "dave.mfa"), env.sim.Now)
	_, err = Enroll(ctx, env.api, file, Request{UserName: "dave"})
	seen = append(seen, fmt.Sprint(err), fmt.Sprintf("%+v", file))
	for _, l := range env.sim.Log() {
		seen = append(seen, fmt.Sprintf("%+v", l))
	}
	seen = append(seen, logs.String())

	if len(secrets) < 8 {
		t.Fatalf("only %d secrets recorded", len(secrets))
	}
	all := strings.Join(seen, "\n")
	for _, s := range secrets {
		if strings.Contains(all, s) {
			t.Errorf("a secret (%d characters) leaked into errors, results or logs", len(s))
		}
	}
	// The seed itself shows once on the person's terminal (in the grouped
	// display) and inside the QR code, nowhere else.
	term := p1.terminal.String()
	if strings.Count(term, GroupSecret(secret.New(secrets[0])).Reveal()) != 1 {
		t.Error("the grouped secret is not shown exactly once")
	}
}

// A CreateVirtualMFADevice answer cut off after the seed fails to parse: the
// error must not show the answer (SDK deserialization errors of some
// protocols carry a snapshot of it; IAM's query protocol, today, does not),
// and the device that was made is swept away.
func TestEnrollBrokenCreateAnswerLeaksNoSeed(t *testing.T) {
	sim := iamsim.New(iamsim.Options{})
	var seedSent string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		body := rec.Body.String()
		if r.Form.Get("Action") == "CreateVirtualMFADevice" && rec.Code == 200 {
			i := strings.Index(body, "</Base32StringSeed>")
			seedSent = body[strings.Index(body, "<Base32StringSeed>")+len("<Base32StringSeed>") : i]
			body = body[:i+len("</Base32StringSeed>")] + "<Broken"
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(proxy.Close)
	cfg := iamsim.ClientConfig(proxy.URL, iamsim.DefaultRootAccessKeyID)
	api := iam.NewFromConfig(cfg)
	ctx := context.Background()
	if _, err := api.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("administrator")}); err != nil {
		t.Fatal(err)
	}
	_, err := Enroll(ctx, api, &person{answer: typesRight}, request)
	if err == nil {
		t.Fatal("enrolled from a broken answer")
	}
	if seedSent == "" {
		t.Fatal("the proxy never saw the seed")
	}
	if dump := fmt.Sprintf("%v %+v", err, err); strings.Contains(dump, seedSent) {
		t.Fatalf("the error shows the answer: %s", dump)
	}
	var de *smithy.DeserializationError
	if errors.As(err, &de) && bytes.Contains(de.Snapshot, []byte(seedSent)) {
		t.Fatal("the error carries the answer with the seed in its snapshot")
	}

	out, lerr := api.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})
	if lerr != nil || len(out.VirtualMFADevices) != 0 {
		t.Fatalf("devices left: %+v %v", out, lerr)
	}
}
