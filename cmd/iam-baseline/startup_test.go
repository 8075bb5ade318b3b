package main

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// --help and usage errors must stay quick: they never load the AWS
// configuration (files, SSO caches, credential processes).
func TestHelpAndUsageErrorsDoNotLoadTheAWSConfiguration(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"--help"}, ExitOK},
		{[]string{"plan", "--help"}, ExitOK},
		{[]string{"status", "--help"}, ExitOK},
		{[]string{"plan", "--user", "bad name!"}, ExitUsage},
	} {
		args := tc.args
		loaded := false
		var stdout, stderr bytes.Buffer
		env := newTestEnv(&stdout, &stderr, awsConfig(func(context.Context, string, string, locale.Printer) (aws.Config, error) {
			loaded = true
			return aws.Config{}, errors.New("not expected")
		}))
		code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d", args, code, tc.code)
		}
		if loaded {
			t.Errorf("%v loaded the AWS configuration", args)
		}
		if out := stdout.String() + stderr.String(); out == "" {
			t.Errorf("%v printed nothing (exit %d)", args, code)
		}
	}
}
