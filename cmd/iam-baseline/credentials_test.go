package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// roleAccountID is the account the role profile lands in; the source user
// lives in iamsim's default account.
const roleAccountID = "210987654321"

// sdkWorld points the SDK's default chain at files in a temporary directory
// and nothing else from this machine: no credentials in the environment, no
// ~/.aws, no instance metadata. It returns the directory.
func sdkWorld(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
		"AWS_DEFAULT_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_IAM",
		"AWS_ENDPOINT_URL_STS", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
		"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN"} {
		t.Setenv(k, "")
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", dir)
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	return dir
}

// mfaRoleFixture: a simulator with two accounts; in the first, IAM user
// "ops" with an access key and an enabled virtual MFA device; a shared
// config whose profile "admin" assumes a role in the second account with
// that device as mfa_serial.
type mfaRoleFixture struct {
	srv    *iamsim.Server
	serial string
	seed   string
}

// nextCode is the device's code for the next 30-second step: the
// enrollment used this step's, and a code is accepted once.
func (f *mfaRoleFixture) nextCode() (string, error) {
	return iamsim.TOTP(f.seed, f.srv.Sim.Now().Add(30*time.Second))
}

func newMFARoleFixture(t *testing.T) *mfaRoleFixture {
	t.Helper()
	dir := sdkWorld(t)
	srv := iamsim.NewServer(iamsim.Options{Accounts: []iamsim.AccountConfig{
		iamsim.DefaultAccount(),
		// As AWS Organizations creates it; ops may assume it (issue 14: the
		// simulator now checks the trust and the caller's policies).
		{ID: roleAccountID, Partition: "aws", Roles: []iamsim.RoleConfig{iamsim.OrganizationAccountAccessRole("aws", iamsim.DefaultAccountID)}},
	}})
	t.Cleanup(srv.Close)
	ctx := context.Background()
	root := iam.NewFromConfig(iamsim.ClientConfig(srv.URL, iamsim.DefaultRootAccessKeyID))
	if _, err := root.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("ops")}); err != nil {
		t.Fatal(err)
	}
	// Assuming a role in another account needs an identity policy that
	// allows it, besides the role's trust.
	if _, err := root.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("ops"), PolicyName: aws.String("assume-admin"),
		PolicyDocument: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::` + roleAccountID + `:role/OrganizationAccountAccessRole"}]}`)}); err != nil {
		t.Fatal(err)
	}
	key, err := root.CreateAccessKey(ctx, &iam.CreateAccessKeyInput{UserName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	dev, err := root.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("ops")})
	if err != nil {
		t.Fatal(err)
	}
	f := &mfaRoleFixture{srv: srv, serial: aws.ToString(dev.VirtualMFADevice.SerialNumber), seed: string(dev.VirtualMFADevice.Base32StringSeed)}
	now := srv.Sim.Now()
	c1, _ := iamsim.TOTP(f.seed, now.Add(-30*time.Second))
	c2, _ := iamsim.TOTP(f.seed, now)
	if _, err := root.EnableMFADevice(ctx, &iam.EnableMFADeviceInput{UserName: aws.String("ops"), SerialNumber: dev.VirtualMFADevice.SerialNumber,
		AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2)}); err != nil {
		t.Fatal(err)
	}
	config := "[profile ops]\n" +
		"aws_access_key_id = " + aws.ToString(key.AccessKey.AccessKeyId) + "\n" +
		"aws_secret_access_key = " + aws.ToString(key.AccessKey.SecretAccessKey) + "\n" +
		"[profile admin]\n" +
		"role_arn = arn:aws:iam::" + roleAccountID + ":role/OrganizationAccountAccessRole\n" +
		"source_profile = ops\n" +
		"mfa_serial = " + f.serial + "\n" +
		"role_session_name = iam-baseline-test\n"
	if err := os.WriteFile(filepath.Join(dir, "config"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	srv.Sim.ResetLog() // the setup is not what the tests look at
	return f
}

// runWithLoader runs the command line with the given configuration loader
// (the real one under test) and buffers.
func runWithLoader(t *testing.T, load ConfigLoader, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	env := newTestEnv(&stdout, &stderr, processEnv(), awsConfig(load))
	code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
	return result{code, stdout.String(), stderr.String()}
}

// planAccount is the account ID of a JSON plan.
func planAccount(t *testing.T, stdout string) string {
	t.Helper()
	var p struct {
		Account struct {
			ID string `json:"id"`
		} `json:"account"`
	}
	if err := json.Unmarshal([]byte(stdout), &p); err != nil {
		t.Fatalf("plan is not JSON: %v\n%s", err, stdout)
	}
	return p.Account.ID
}

func TestProfileWithMFARoleAsksForTheToken(t *testing.T) {
	for _, endpoints := range [][]string{
		// The SDK's per-service endpoint variables.
		{"AWS_ENDPOINT_URL_IAM", "AWS_ENDPOINT_URL_STS"},
		// The global one, which the SDK alone would not apply to the
		// assume-role call (see globalEndpointURL).
		{"AWS_ENDPOINT_URL"},
	} {
		t.Run(strings.Join(endpoints, "+"), func(t *testing.T) {
			f := newMFARoleFixture(t)
			for _, k := range endpoints {
				t.Setenv(k, f.srv.URL)
			}
			t.Setenv("AWS_REGION", "eu-west-3") // IAM is global: any region works

			var asked []string
			load := loadConfigAskingForMFA(os.LookupEnv, func(_ locale.Printer, profile, serial string) (string, error) {
				asked = append(asked, profile+" "+serial)
				return f.nextCode()
			})
			r := runWithLoader(t, load, "plan", "--profile", "admin", "--output", "json")
			mustCode(t, r, ExitOK)
			if want := []string{"admin " + f.serial}; strings.Join(asked, "|") != strings.Join(want, "|") {
				t.Errorf("token asked %q, want once for %q", asked, want)
			}
			if got := planAccount(t, r.stdout); got != roleAccountID {
				t.Errorf("plan is for account %s, want the role's account %s", got, roleAccountID)
			}
			var assumed int
			for _, e := range f.srv.Sim.Log() {
				switch {
				case e.Action == "AssumeRole":
					assumed++
					if e.Params["SerialNumber"] != f.serial || e.Params["TokenCode"] != "[redacted]" || e.Status != 200 {
						t.Errorf("AssumeRole sent %v, answered %d", e.Params, e.Status)
					}
				case e.AccountID != roleAccountID:
					t.Errorf("%s went to account %s, not the role's", e.Action, e.AccountID)
				}
			}
			if assumed != 1 {
				t.Errorf("AssumeRole called %d times, want 1", assumed)
			}
		})
	}
}

// The token is asked in the run's language: --lang reaches the question
// asked while loading the credentials, for plan and for status.
func TestProfileMFAQuestionInTheRunsLanguage(t *testing.T) {
	for _, cmd := range []string{"plan", "status"} {
		f := newMFARoleFixture(t)
		t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
		var langs []language.Tag
		load := loadConfigAskingForMFA(os.LookupEnv, func(tr locale.Printer, _, _ string) (string, error) {
			langs = append(langs, tr.Tag())
			return f.nextCode()
		})
		runWithLoader(t, load, cmd, "--profile", "admin", "--lang", "ko", "--output", "json")
		if len(langs) != 1 || langs[0] != language.Korean {
			t.Errorf("%s: the token was asked in %v, want once in Korean", cmd, langs)
		}
	}
}

// Without a region anywhere, the role is still assumed (the STS client
// needs one; IAM is global, so the default is as good as any).
func TestProfileWithMFARoleNoRegion(t *testing.T) {
	f := newMFARoleFixture(t)
	t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
	load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) {
		return f.nextCode()
	})
	r := runWithLoader(t, load, "plan", "--profile", "admin", "--output", "json")
	mustCode(t, r, ExitOK)
	if got := planAccount(t, r.stdout); got != roleAccountID {
		t.Errorf("plan is for account %s", got)
	}
}

func TestProfileWithMFARoleWithoutTerminal(t *testing.T) {
	f := newMFARoleFixture(t)
	t.Setenv("AWS_ENDPOINT_URL", f.srv.URL)
	load := loadConfigAskingForMFA(os.LookupEnv, terminalMFAToken(strings.NewReader(""), &bytes.Buffer{}, func(any) bool { return false }))
	t.Setenv("AWS_PROFILE", "admin")
	r := runWithLoader(t, load, "plan")
	mustCode(t, r, ExitError)
	for _, want := range []string{`profile "admin"`, f.serial, "no terminal", "aws configure export-credentials --profile admin", "credential_process"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout %q", r.stdout)
	}
	if n := len(f.srv.Sim.Log()); n != 0 {
		t.Errorf("%d requests reached AWS, want none", n)
	}
}

func TestProfileWithMFARoleWrongToken(t *testing.T) {
	f := newMFARoleFixture(t)
	t.Setenv("AWS_ENDPOINT_URL_STS", f.srv.URL)
	t.Setenv("AWS_ENDPOINT_URL_IAM", f.srv.URL)
	load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) { return "000000", nil })
	r := runWithLoader(t, load, "plan", "--profile", "admin")
	mustCode(t, r, ExitError)
	for _, want := range []string{`profile "admin"`, "MultiFactorAuthentication failed"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("error lacks %q:\n%s", want, r.stderr)
		}
	}
	load = loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) { return "", errors.New("input ended") })
	r = runWithLoader(t, load, "plan", "--profile", "admin")
	mustCode(t, r, ExitError)
	if !strings.Contains(r.stderr, "input ended") {
		t.Errorf("the token source's error is lost:\n%s", r.stderr)
	}
}

// A profile without mfa_serial never asks, and AWS_ENDPOINT_URL alone sends
// every request to the simulator.
func TestProfileWithoutMFAAndEndpointFromEnvironment(t *testing.T) {
	dir := sdkWorld(t)
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	creds := "[plain]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
	if err := os.WriteFile(filepath.Join(dir, "credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("AWS_ENDPOINT_URL", srv.URL)
	load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) {
		t.Error("asked for an MFA code for a profile without mfa_serial")
		return "", errors.New("unexpected")
	})
	r := runWithLoader(t, load, "plan", "--profile", "plain", "--output", "json")
	mustCode(t, r, ExitOK)
	if got := planAccount(t, r.stdout); got != iamsim.DefaultAccountID {
		t.Errorf("account %s", got)
	}
	if len(srv.Sim.Log()) == 0 {
		t.Error("no request reached the simulator through AWS_ENDPOINT_URL")
	}
}

// On a terminal the code is asked for on it (stderr side), and what is typed
// is what the SDK gets.
func TestTerminalMFATokenAsksOnTheTerminal(t *testing.T) {
	var screen bytes.Buffer
	ask := terminalMFAToken(strings.NewReader("654 321\n"), &screen, func(any) bool { return true })
	code, err := ask(locale.English, "admin", "arn:aws:iam::123456789012:mfa/ops")
	if err != nil || code != "654321" {
		t.Fatalf("code %q, err %v", code, err)
	}
	if !strings.Contains(screen.String(), `Profile "admin"`) || !strings.Contains(screen.String(), "MFA code for arn:aws:iam::123456789012:mfa/ops") {
		t.Errorf("prompt: %q", screen.String())
	}
}
