package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// lockedBuffer lets the test read what run writes from another goroutine.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// serve runs the command in-process and returns its printed exports.
func serve(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), &stdout, &stderr) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
		if !strings.Contains(stderr.String(), "iamsim: stopped") {
			t.Errorf("no clean stop: %s", stderr.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "AWS_REGION") {
		select {
		case err := <-done:
			t.Fatalf("run ended early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no exports printed: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			t.Fatalf("bad export line %q", line)
		}
		env[k] = v
	}
	return env
}

func TestFlagsRejectBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--account-id", "12345"}, {"--partition", "aws-moon"}, {"--throttle-rate", "1.5"},
		{"--latency", "-1s"}, {"stray"}, {"--accounts", "-1"}, {"--accounts", "100001"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestServesTheConfiguredAccount(t *testing.T) {
	env := serve(t, "--account-id", "210987654321", "--partition", "aws-cn", "--root-access-key", "AKIAROOTFLAG", "--root-mfa")
	for _, k := range []string{"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"} {
		if env[k] == "" {
			t.Fatalf("missing %s in %v", k, env)
		}
	}
	if env["AWS_ACCESS_KEY_ID"] != "AKIAROOTFLAG" || !strings.HasPrefix(env["AWS_ENDPOINT_URL"], "http://127.0.0.1:") {
		t.Fatalf("exports %v", env)
	}
}

// awsCLI finds AWS CLI v2: $AWS_CLI, else Debian's /usr/bin/aws (a pip v1
// may shadow it on PATH). In CI it must be there.
func awsCLI(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("AWS_CLI")
	if bin == "" {
		bin = "/usr/bin/aws"
	}
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("AWS CLI v2 not found at %s (CI installs awscli): %v", bin, err)
		}
		t.Skipf("AWS CLI not installed at %s", bin)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "aws-cli/2.") {
		t.Fatalf("%s is not AWS CLI v2: %s %v", bin, out, err)
	}
	return bin
}

type cli struct {
	t        *testing.T
	bin, url string
	env      []string
}

func (c *cli) run(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	return c.runAt(args...)
}

// runAt runs the CLI at c.url, or at AWS itself when c.url is empty.
func (c *cli) runAt(args ...string) (stdout, stderr string, code int) {
	c.t.Helper()
	base := []string{"--output", "json", "--no-cli-pager"}
	if c.url != "" {
		base = append([]string{"--endpoint-url", c.url}, base...)
	}
	cmd := exec.Command(c.bin, append(base, args...)...)
	cmd.Env = c.env
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return o.String(), e.String(), ee.ExitCode()
		}
		c.t.Fatalf("aws %v: %v", args, err)
	}
	return o.String(), e.String(), 0
}

// ok runs a command that must succeed and decodes its JSON answer.
func (c *cli) ok(args ...string) map[string]any {
	c.t.Helper()
	out, errOut, code := c.run(args...)
	if code != 0 {
		c.t.Fatalf("aws %v: exit %d: %s", args, code, errOut)
	}
	m := map[string]any{}
	if strings.TrimSpace(out) != "" {
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			c.t.Fatalf("aws %v: bad JSON %q: %v", args, out, err)
		}
	}
	return m
}

func field(t *testing.T, m map[string]any, path ...string) any {
	t.Helper()
	var v any = m
	for _, p := range path {
		obj, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("no %v in %v", path, m)
		}
		v = obj[p]
	}
	return v
}

// newCLI is the AWS CLI pointed at a served simulator, with a clean home
// and no retries.
func newCLI(t *testing.T, env map[string]string) *cli {
	bin := awsCLI(t)
	home := t.TempDir()
	return &cli{t: t, bin: bin, url: env["AWS_ENDPOINT_URL"], env: []string{
		"HOME=" + home, "PATH=/usr/bin:/bin",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID=" + env["AWS_ACCESS_KEY_ID"],
		"AWS_SECRET_ACCESS_KEY=" + env["AWS_SECRET_ACCESS_KEY"],
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true",
	}}
}

func TestAWSCLIv2(t *testing.T) {
	awsCLI(t)
	c := newCLI(t, serve(t))

	id := c.ok("sts", "get-caller-identity")
	if id["Account"] != iamsim.DefaultAccountID || id["Arn"] != "arn:aws:iam::123456789012:root" {
		t.Fatalf("identity %v", id)
	}
	if g := c.ok("iam", "create-group", "--group-name", "admin"); field(t, g, "Group", "Arn") != "arn:aws:iam::123456789012:group/admin" {
		t.Fatalf("group %v", g)
	}
	c.ok("iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
	if u := c.ok("iam", "create-user", "--user-name", "administrator"); field(t, u, "User", "UserName") != "administrator" {
		t.Fatalf("user %v", u)
	}
	lp := c.ok("iam", "create-login-profile", "--user-name", "administrator", "--password", "Tmp-Passw0rd!xyz", "--password-reset-required")
	if field(t, lp, "LoginProfile", "PasswordResetRequired") != true {
		t.Fatalf("login profile %v", lp)
	}
	c.ok("iam", "add-user-to-group", "--group-name", "admin", "--user-name", "administrator")
	c.ok("iam", "update-account-password-policy", "--minimum-password-length", "14", "--require-symbols", "--require-numbers",
		"--require-uppercase-characters", "--require-lowercase-characters", "--allow-users-to-change-password", "--password-reuse-prevention", "24")
	pp := c.ok("iam", "get-account-password-policy")
	if field(t, pp, "PasswordPolicy", "MinimumPasswordLength") != float64(14) || field(t, pp, "PasswordPolicy", "PasswordReusePrevention") != float64(24) ||
		field(t, pp, "PasswordPolicy", "RequireSymbols") != true {
		t.Fatalf("password policy %v", pp)
	}

	dir := t.TempDir()
	seedFile := filepath.Join(dir, "seed.txt")
	dev := c.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "administrator", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")
	serial, _ := field(t, dev, "VirtualMFADevice", "SerialNumber").(string)
	if serial != "arn:aws:iam::123456789012:mfa/administrator" {
		t.Fatalf("device %v", dev)
	}
	seed, err := os.ReadFile(seedFile)
	if err != nil || len(seed) != 32 {
		t.Fatalf("seed file: %d bytes, %v", len(seed), err)
	}
	qrFile := filepath.Join(dir, "qr.png")
	c.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "spare", "--outfile", qrFile, "--bootstrap-method", "QRCodePNG")
	if png, err := os.ReadFile(qrFile); err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("QR file is not a PNG: %v", err)
	}

	now := time.Now()
	code1, _ := iamsim.TOTP(string(seed), now.Add(-30*time.Second))
	code2, _ := iamsim.TOTP(string(seed), now)
	c.ok("iam", "enable-mfa-device", "--user-name", "administrator", "--serial-number", serial, "--authentication-code1", code1, "--authentication-code2", code2)
	devs := c.ok("iam", "list-mfa-devices", "--user-name", "administrator")
	list, _ := devs["MFADevices"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["SerialNumber"] != serial {
		t.Fatalf("mfa devices %v", devs)
	}
	// The CLI follows our markers: two devices, one per page.
	all := c.ok("iam", "list-virtual-mfa-devices", "--page-size", "1")
	if l, _ := all["VirtualMFADevices"].([]any); len(l) != 2 {
		t.Fatalf("virtual devices %v", all)
	}
	spare := c.ok("iam", "list-virtual-mfa-devices", "--assignment-status", "Unassigned")
	if l, _ := spare["VirtualMFADevices"].([]any); len(l) != 1 || l[0].(map[string]any)["SerialNumber"] != "arn:aws:iam::123456789012:mfa/spare" {
		t.Fatalf("unassigned devices %v", spare)
	}
	sum := c.ok("iam", "get-account-summary")
	if field(t, sum, "SummaryMap", "MFADevicesInUse") != float64(1) || field(t, sum, "SummaryMap", "Users") != float64(1) ||
		field(t, sum, "SummaryMap", "AccountAccessKeysPresent") != float64(1) {
		t.Fatalf("summary %v", sum)
	}

	// Errors: the CLI exits 254 for a service error and names the code.
	_, stderr, code := c.run("iam", "get-user", "--user-name", "ghost")
	if code != 254 || !strings.Contains(stderr, "(NoSuchEntity)") || !strings.Contains(stderr, "GetUser") {
		t.Fatalf("get-user ghost: exit %d: %s", code, stderr)
	}
	_, stderr, code = c.run("iam", "enable-mfa-device", "--user-name", "administrator", "--serial-number", "arn:aws:iam::123456789012:mfa/spare",
		"--authentication-code1", "000000", "--authentication-code2", "000000")
	if code != 254 || !strings.Contains(stderr, "(InvalidAuthenticationCode)") {
		t.Fatalf("wrong codes: exit %d: %s", code, stderr)
	}
	_, stderr, code = c.run("iam", "create-login-profile", "--user-name", "administrator", "--password", "short")
	if code != 254 || !strings.Contains(stderr, "(EntityAlreadyExists)") {
		t.Fatalf("second login profile: exit %d: %s", code, stderr)
	}
}

// TestAWSCLIv2Organization: the CLI reads the organization (following our
// NextToken over 26 accounts), Access Analyzer and Account through their
// JSON protocols, and reads their errors.
func TestAWSCLIv2Organization(t *testing.T) {
	awsCLI(t)
	c := newCLI(t, serve(t, "--accounts", "25", "--seed", "2"))
	accts := c.ok("organizations", "list-accounts", "--page-size", "7")
	if l, _ := accts["Accounts"].([]any); len(l) != 26 {
		t.Fatalf("accounts: %d", len(l))
	}
	if org := c.ok("organizations", "describe-organization"); field(t, org, "Organization", "MasterAccountId") != iamsim.DefaultAccountID {
		t.Fatalf("organization %v", org)
	}
	if a := c.ok("accessanalyzer", "create-analyzer", "--analyzer-name", "account", "--type", "ACCOUNT"); a["arn"] != "arn:aws:access-analyzer:us-east-1:123456789012:analyzer/account" {
		t.Fatalf("analyzer %v", a)
	}
	_, stderr, code := c.run("accessanalyzer", "create-analyzer", "--analyzer-name", "account", "--type", "ACCOUNT")
	if code != 254 || !strings.Contains(stderr, "(ConflictException)") {
		t.Fatalf("duplicate analyzer: exit %d: %s", code, stderr)
	}
	if l := c.ok("accessanalyzer", "list-analyzers", "--region", "eu-west-1"); len(l["analyzers"].([]any)) != 0 {
		t.Fatalf("eu-west-1 analyzers %v", l)
	}
	_, stderr, code = c.run("account", "get-alternate-contact", "--alternate-contact-type", "SECURITY")
	if code != 254 || !strings.Contains(stderr, "(ResourceNotFoundException)") {
		t.Fatalf("unset contact: exit %d: %s", code, stderr)
	}
	c.ok("account", "put-alternate-contact", "--alternate-contact-type", "SECURITY", "--name", "Sec", "--title", "CISO",
		"--email-address", "sec@example.com", "--phone-number", "+1 555 0100")
	if got := c.ok("account", "get-alternate-contact", "--alternate-contact-type", "SECURITY"); field(t, got, "AlternateContact", "EmailAddress") != "sec@example.com" {
		t.Fatalf("contact %v", got)
	}
}
