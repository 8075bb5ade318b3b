package main

import (
	"context"
	"crypto/rand"
	"errors"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// newTestEnv is the one builder of the Env an in-process run gets: stdout and
// stderr as given, empty stdin, an empty environment, no terminal,
// crypto/rand, the real clock, and no AWS configuration (a run that loads
// one fails) unless an option says otherwise. Each option changes one thing.
func newTestEnv(stdout, stderr io.Writer, opts ...envOption) *Env {
	e := &Env{
		Stdin: strings.NewReader(""), Stdout: stdout, Stderr: stderr,
		LookupEnv:  func(string) (string, bool) { return "", false },
		IsTerminal: func(any) bool { return false },
		LoadAWSConfig: func(context.Context, string, string, locale.Printer) (aws.Config, error) {
			return aws.Config{}, errors.New("this test gave the run no AWS configuration")
		},
		Rand:      rand.Reader,
		Now:       time.Now,
		Processes: mfa.LocalProcesses{},
	}
	for _, o := range opts {
		o(e)
	}
	return e
}

// envOption changes one thing of a test Env.
type envOption func(*Env)

// simAccount signs the run's requests for iamsim at url with key.
func simAccount(url, key string) envOption {
	return awsConfig(func(context.Context, string, string, locale.Printer) (aws.Config, error) {
		return iamsim.ClientConfig(url, key), nil
	})
}

// simDeps are the clients a run of plan or apply is given (baselineClients),
// signing with key as cfg does.
func simDeps(cfg aws.Config, key string) baseline.Deps {
	d := baselineClients(cfg)
	d.Rand, d.SigningAccessKeyID = rand.Reader, key
	return d
}

// awsConfig loads the AWS configuration with load.
func awsConfig(load ConfigLoader) envOption { return func(e *Env) { e.LoadAWSConfig = load } }

// envVars is the run's environment.
func envVars(vars map[string]string) envOption {
	return func(e *Env) {
		e.LookupEnv = func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	}
}

// processEnv gives the run the test process's environment (t.Setenv sets it).
func processEnv() envOption { return func(e *Env) { e.LookupEnv = os.LookupEnv } }

// onTerminal makes every stream a terminal.
func onTerminal() envOption { return func(e *Env) { e.IsTerminal = func(any) bool { return true } } }

// stdin is what the run reads.
func stdin(r io.Reader) envOption { return func(e *Env) { e.Stdin = r } }
