package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// TestAWSCLIMFASession is docs/require-mfa.md's CLI recipe run against the
// simulator by AWS CLI v2: with the MFA policy on the admin group, the
// administrator's access key alone is denied, and the credentials of
// `aws sts get-session-token --serial-number ... --token-code ...` work.
func TestAWSCLIMFASession(t *testing.T) {
	bin := awsCLI(t)
	env := serve(t)
	home := t.TempDir()
	base := []string{
		"HOME=" + home, "PATH=/usr/bin:/bin",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_PAGER=", "AWS_MAX_ATTEMPTS=1", "AWS_EC2_METADATA_DISABLED=true",
	}
	as := func(vars ...string) *cli {
		return &cli{t: t, bin: bin, url: env["AWS_ENDPOINT_URL"], env: append(append([]string{}, base...), vars...)}
	}
	root := as("AWS_ACCESS_KEY_ID="+env["AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY="+env["AWS_SECRET_ACCESS_KEY"])

	root.ok("iam", "create-group", "--group-name", "admin")
	root.ok("iam", "attach-group-policy", "--group-name", "admin", "--policy-arn", "arn:aws:iam::aws:policy/AdministratorAccess")
	root.ok("iam", "put-group-policy", "--group-name", "admin", "--policy-name", mfapolicy.Name,
		"--policy-document", mfapolicy.Document("aws").JSON())
	root.ok("iam", "create-user", "--user-name", "administrator")
	root.ok("iam", "add-user-to-group", "--group-name", "admin", "--user-name", "administrator")
	key := root.ok("iam", "create-access-key", "--user-name", "administrator")
	seedFile := filepath.Join(t.TempDir(), "seed.txt")
	dev := root.ok("iam", "create-virtual-mfa-device", "--virtual-mfa-device-name", "administrator", "--outfile", seedFile, "--bootstrap-method", "Base32StringSeed")
	serial, _ := field(t, dev, "VirtualMFADevice", "SerialNumber").(string)
	seedBytes, err := os.ReadFile(seedFile)
	if err != nil {
		t.Fatal(err)
	}
	seed := string(seedBytes)
	now := time.Now()
	totp := func(at time.Time) string {
		c, err := iamsim.TOTP(seed, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	root.ok("iam", "enable-mfa-device", "--user-name", "administrator", "--serial-number", serial,
		"--authentication-code1", totp(now.Add(-30*time.Second)), "--authentication-code2", totp(now))

	user := as("AWS_ACCESS_KEY_ID="+field(t, key, "AccessKey", "AccessKeyId").(string),
		"AWS_SECRET_ACCESS_KEY="+field(t, key, "AccessKey", "SecretAccessKey").(string))
	_, stderr, code := user.run("iam", "create-user", "--user-name", "without-mfa")
	if code != 254 || !strings.Contains(stderr, "(AccessDenied)") || !strings.Contains(stderr, "explicit deny") {
		t.Fatalf("create-user with the access key alone: exit %d: %s", code, stderr)
	}

	// The next step's code: the enrollment used this step's.
	sess := user.ok("sts", "get-session-token", "--serial-number", serial, "--token-code", totp(now.Add(30*time.Second)))
	mfa := as("AWS_ACCESS_KEY_ID="+field(t, sess, "Credentials", "AccessKeyId").(string),
		"AWS_SECRET_ACCESS_KEY="+field(t, sess, "Credentials", "SecretAccessKey").(string),
		"AWS_SESSION_TOKEN="+field(t, sess, "Credentials", "SessionToken").(string))
	if u := mfa.ok("iam", "create-user", "--user-name", "with-mfa"); field(t, u, "User", "UserName") != "with-mfa" {
		t.Fatalf("create-user with the MFA session: %v", u)
	}
}
