package main

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

var errReachedAWS = errors.New("reached the AWS configuration")

// FuzzFlagsCheckedBeforeAnyCall drives the real command line with arbitrary
// names, alias and numbers: a value IAM would refuse is a usage error (exit
// 2) naming its flag before the AWS configuration is even loaded, and values
// IAM accepts get through to it.
func FuzzFlagsCheckedBeforeAnyCall(f *testing.F) {
	f.Add("administrator", "admin", "", 14, 24, 0)
	f.Add("a b", "admin", "my-corp", 14, 24, 0)
	f.Add("ok", "adm/in", "My_Corp", 5, 25, 1096)
	f.Add("ok", "ok", "123456789012", 6, 0, 1095)
	f.Add("-x", "--y", "-a-", 128, 1, 1)
	f.Fuzz(func(t *testing.T, user, group, alias string, minLength, reuse, maxAge int) {
		if strings.ContainsRune(user+group+alias, 0) {
			return // the OS cannot pass a NUL in an argument
		}
		loaded := false
		var stdout, stderr bytes.Buffer
		env := newTestEnv(&stdout, &stderr, awsConfig(func(context.Context, string, string, locale.Printer) (aws.Config, error) {
			loaded = true
			return aws.Config{}, errReachedAWS
		}))
		args := []string{"iam-baseline", "plan", "--skip-mfa",
			"--user=" + user, "--group=" + group, "--account-alias=" + alias,
			"--password-min-length=" + strconv.Itoa(minLength),
			"--password-reuse-prevention=" + strconv.Itoa(reuse),
			"--password-max-age=" + strconv.Itoa(maxAge)}
		code := run(context.Background(), env, args)

		spec := baseline.DefaultSpec()
		spec.UserName, spec.GroupName, spec.AccountAlias, spec.SkipMFA = user, group, alias, true
		spec.PasswordPolicy.MinimumLength, spec.PasswordPolicy.ReusePrevention, spec.PasswordPolicy.MaxAgeDays = minLength, reuse, maxAge
		problems := baseline.FieldErrors(spec.Validate())
		if len(problems) == 0 {
			if !loaded || code != ExitError {
				t.Fatalf("valid flags %q: exit %d, AWS configuration loaded %v\n%s", args, code, loaded, stderr.String())
			}
			return
		}
		if loaded || code != ExitUsage {
			t.Fatalf("invalid flags %q: exit %d, AWS configuration loaded %v\n%s", args, code, loaded, stderr.String())
		}
		flagOf := map[string]string{
			baseline.FieldUserName: "--user", baseline.FieldGroupName: "--group", baseline.FieldAccountAlias: "--account-alias",
			baseline.FieldPasswordMinimumLength: "--password-min-length", baseline.FieldPasswordReusePrevention: "--password-reuse-prevention",
			baseline.FieldPasswordMaxAgeDays: "--password-max-age",
		}
		for _, p := range problems {
			if name := flagOf[p.Field]; name != "" && !strings.Contains(stderr.String(), name) {
				t.Fatalf("%q: the message does not name %s:\n%s", args, name, stderr.String())
			}
		}
	})
}
