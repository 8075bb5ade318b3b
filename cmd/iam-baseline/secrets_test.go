package main

import (
	"context"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// TestNoSecretLeaksWithDebug runs the scenarios with --debug (a line per
// AWS request and the SDK's retry log on stderr) and looks for every secret
// that went over the wire (passwords, MFA codes) and the MFA seed in stdout,
// stderr, the JSON and the simulator's request log. The only places allowed
// are the designated displays: the --show-password output (once, on
// stdout), the password file and the MFA secret file.
func TestNoSecretLeaksWithDebug(t *testing.T) {
	r := newRig(t, iamsim.Options{})
	type scenario struct {
		name string
		args []string
		// shows: this run prints its new password on stdout, once.
		shows bool
	}
	scenarios := []scenario{
		{name: "plan json", args: []string{"plan", "--output", "json"}},
		{name: "apply, password file, JSON", args: []string{"apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", r.path("first.pw"), "--output", "json"}},
		{name: "apply MFA with a secret file", args: []string{"apply", "--non-interactive", "--yes", "--mfa-secret-file", r.path("mfa.uri")}},
		{name: "reset, shown", args: []string{"apply", "--non-interactive", "--yes", "--reset-password", "--show-password"}, shows: true},
		{name: "reset, shown in JSON", args: []string{"apply", "--non-interactive", "--yes", "--reset-password", "--show-password", "--output", "json"}, shows: true},
		{name: "reset, password file", args: []string{"apply", "--non-interactive", "--yes", "--reset-password", "--password-file", r.path("second.pw")}},
		{name: "plan text", args: []string{"plan"}},
		{name: "status", args: []string{"status"}},
		{name: "status json", args: []string{"status", "--output", "json"}},
	}
	type output struct {
		scenario
		res  runResult
		sent []string
	}
	var outs []output
	var allSent []string
	for _, s := range scenarios {
		res := r.run(append(s.args, "--debug")...)
		if res.code != ExitOK && res.code != ExitFindings {
			t.Fatalf("%s: exit %d\n%s", s.name, res.code, res.stderr)
		}
		if !strings.Contains(res.stderr, "debug: IAM ") {
			t.Fatalf("%s: --debug logged no request:\n%s", s.name, res.stderr)
		}
		sent := r.takeWireSecrets()
		outs = append(outs, output{s, res, sent})
		allSent = append(allSent, sent...)
	}

	// The seed, as the app and the secret file carry it, and grouped for
	// reading.
	devices, err := r.admin.ListMFADevices(context.Background(), &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil || len(devices.MFADevices) != 1 {
		t.Fatalf("MFA devices %v %v", devices, err)
	}
	seed, ok := r.sim.MFASeed(r.acct, aws.ToString(devices.MFADevices[0].SerialNumber))
	if !ok {
		t.Fatal("no seed")
	}
	secrets := append([]string{seed, mfa.GroupSecret(secret.New(seed)).Reveal()}, allSent...)
	var codes, passwords int
	for _, s := range allSent {
		if regexp.MustCompile(`^[0-9]{6}$`).MatchString(s) {
			codes++
		} else {
			passwords++
		}
	}
	if codes < 2 || passwords < 4 {
		t.Fatalf("saw %d codes and %d passwords on the wire: the scenarios did not exercise them", codes, passwords)
	}

	for _, o := range outs {
		for _, s := range secrets {
			inStdout := countToken(o.res.stdout, s)
			allowed := 0
			if o.shows && len(o.sent) == 1 && s == o.sent[0] {
				allowed = 1 // the password this run set, shown as asked
			}
			if inStdout != allowed {
				t.Errorf("%s: stdout holds a secret (%s) %d times, want %d", o.name, kind(s, seed), inStdout, allowed)
			}
			if n := countToken(o.res.stderr, s); n > 0 {
				t.Errorf("%s: stderr holds a secret (%s)", o.name, kind(s, seed))
			}
		}
		if o.shows && !strings.Contains(o.res.stdout, o.sent[0]) {
			t.Errorf("%s: the password asked for with --show-password is not on stdout", o.name)
		}
	}
	for _, e := range r.sim.Log() {
		for k, v := range e.Params {
			for _, s := range secrets {
				if countToken(v, s) > 0 {
					t.Errorf("the request log holds a secret (%s) in %s of %s", kind(s, seed), k, e.Action)
				}
			}
		}
	}
	// The designated files hold what they should.
	if got, _ := fileSeed(t, r.path("mfa.uri")); got != seed {
		t.Error("the secret file does not hold the seed")
	}
	for _, f := range []string{"first.pw", "second.pw"} {
		b, err := os.ReadFile(r.path(f))
		if err != nil || !slices.Contains(allSent, strings.TrimSpace(string(b))) {
			t.Errorf("%s does not hold a password that was set: %v", f, err)
		}
	}
}

// countToken counts s in text where it is not part of a longer run of
// letters and digits, so that a six-digit code does not match inside a
// request ID or an account number.
func countToken(text, s string) int {
	re := regexp.MustCompile(`(^|[^0-9A-Za-z])` + regexp.QuoteMeta(s) + `($|[^0-9A-Za-z])`)
	return len(re.FindAllStringIndex(text, -1))
}

func kind(s, seed string) string {
	switch {
	case s == seed:
		return "MFA seed"
	case strings.ReplaceAll(s, " ", "") == seed:
		return "MFA seed, grouped"
	case regexp.MustCompile(`^[0-9]{6}$`).MatchString(s):
		return "MFA code"
	}
	return "password"
}

// TestDebugLogsNoBodies: --debug turns on the SDK's retry log and a line per
// request, never the SDK's body logging, so a body's secrets (the password
// sent, the seed and the secret key answered) cannot reach the log however
// the request goes.
func TestDebugLogsNoBodies(t *testing.T) {
	const password = "Sup3r-Secret-Passw0rd!"
	r := newRig(t, iamsim.Options{})
	var log strings.Builder
	load := func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		return iamsim.ClientConfig(r.srv.URL, r.key), nil
	}
	client, _, err := awsClients(context.Background(), load, AWSOptions{Debug: true}, &lockedWriter{w: &log})
	if err != nil {
		t.Fatal(err)
	}
	if mode := client.Options().ClientLogMode; mode&(aws.LogRequestWithBody|aws.LogResponseWithBody|aws.LogRequest|aws.LogResponse|aws.LogSigning) != 0 {
		t.Fatalf("--debug turns on the SDK's request/response logging (mode %b)", mode)
	}
	ctx := context.Background()
	if _, err := client.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("u")}); err != nil {
		t.Fatal(err)
	}
	// A refused password, and a failed request that the retryer logs.
	_, _ = client.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("u"), Password: aws.String("abc")})
	if _, err := client.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("u"), Password: aws.String(password)}); err != nil {
		t.Fatal(err)
	}
	r.sim.AddFault(iamsim.Fault{Action: "CreateVirtualMFADevice", Nth: 1, Code: "ServiceFailure", AfterHandling: true})
	if _, err := client.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("d")}); err == nil {
		t.Fatal("the retried create should meet EntityAlreadyExists")
	}
	key, err := client.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("u")})
	if err != nil {
		t.Fatal(err)
	}
	devices, _ := r.admin.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{})
	realSeed, _ := r.sim.MFASeed(r.acct, aws.ToString(devices.VirtualMFADevices[0].SerialNumber))
	got := log.String()
	if !strings.Contains(got, "debug: IAM CreateLoginProfile") || !strings.Contains(got, "retry") {
		t.Fatalf("the debug log lacks the requests or the retry:\n%s", got)
	}
	for name, s := range map[string]string{"password": password, "seed": realSeed, "secret access key": aws.ToString(key.AccessKey.SecretAccessKey)} {
		if strings.Contains(got, s) {
			t.Errorf("the debug log holds the %s:\n%s", name, got)
		}
	}
}
