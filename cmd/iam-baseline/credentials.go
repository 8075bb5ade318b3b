package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/logging"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/prompt"
)

// MFATokenFunc returns the current code of the MFA device serial, which the
// role of profile requires (mfa_serial in the shared config file).
type MFATokenFunc func(tr locale.Printer, profile, serial string) (string, error)

// loadConfigAskingForMFA is config.LoadDefaultConfig (the SDK's default chain:
// environment, shared config and credentials files, SSO, `aws login`,
// container credentials such as AWS CloudShell's, instance roles) plus one
// thing the SDK leaves to the application: a profile whose role_arn needs
// an MFA code (mfa_serial) gets it from askToken. The role is assumed right
// away, so the question comes before anything else is on the screen.
// lookupEnv finds AWS_PROFILE for messages.
func loadConfigAskingForMFA(lookupEnv func(string) (string, bool), askToken MFATokenFunc) ConfigLoader {
	return func(ctx context.Context, profile, region string, tr locale.Printer) (aws.Config, error) {
		if err := checkSharedFiles(lookupEnv); err != nil {
			return aws.Config{}, err
		}
		name := profile
		if name == "" {
			name, _ = lookupEnv("AWS_PROFILE")
		}
		if name == "" {
			name = "default"
		}
		var serial string
		opts := []func(*config.LoadOptions) error{
			config.WithAssumeRoleCredentialOptions(func(o *stscreds.AssumeRoleOptions) {
				if endpoint := globalEndpointURL(lookupEnv); endpoint != "" && o.Client != nil {
					o.Client = stsAtEndpoint{inner: o.Client, endpoint: endpoint}
				}
				if o.SerialNumber == nil {
					return
				}
				serial = aws.ToString(o.SerialNumber)
				device := serial
				o.TokenProvider = func() (string, error) { return askToken(tr, name, device) }
			}),
		}
		// A credential_process that never exits is killed after
		// DefaultTimeout (the request waiting for it gives up after
		// --timeout, see boundedCredentials).
		opts = append(opts, config.WithProcessCredentialOptions(func(o *processcreds.Options) { o.Timeout = DefaultTimeout }))
		// The assume-role provider builds its STS client while the
		// configuration loads: without a region from the environment or
		// the profile it would fail with "Missing Region".
		opts = append(opts, config.WithDefaultRegion(DefaultRegion))
		// The SDK's default logger writes to stderr; through it the EC2
		// IMDS client of the credential chain warns "falling back to
		// IMDSv1" on any machine whose metadata endpoint refuses the token
		// request, before the chain reports no credentials at all. The
		// chain is unchanged; --debug logs the clients' retries
		// (awsClients) and shows the SDK's error text.
		opts = append(opts, config.WithLogger(logging.Nop{}))
		if profile != "" {
			opts = append(opts, config.WithSharedConfigProfile(profile))
		}
		if region != "" {
			opts = append(opts, config.WithRegion(region))
		}
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			return cfg, err
		}
		if serial != "" {
			if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
				return cfg, locale.Wrap(locale.M("assuming the role of profile %q with MFA device %s: %v", name, serial, err), err)
			}
		}
		return cfg, nil
	}
}

// globalEndpointURL is AWS_ENDPOINT_URL when it should apply to STS. The
// SDK resolves it only after the credential providers are built, so the
// assume-role provider's STS client would miss it and call the real STS
// (aws-sdk-go-v2 config v1.33: resolveBaseEndpoint runs after
// resolveCredentials). AWS_ENDPOINT_URL_STS, which the STS client reads
// itself, takes precedence, and AWS_IGNORE_CONFIGURED_ENDPOINT_URLS turns
// both off.
func globalEndpointURL(lookupEnv func(string) (string, bool)) string {
	if v, _ := lookupEnv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"); strings.EqualFold(v, "true") {
		return ""
	}
	if v, _ := lookupEnv("AWS_ENDPOINT_URL_STS"); v != "" {
		return ""
	}
	v, _ := lookupEnv("AWS_ENDPOINT_URL")
	return v
}

// stsAtEndpoint sends the assume-role provider's AssumeRole to endpoint.
type stsAtEndpoint struct {
	inner    stscreds.AssumeRoleAPIClient
	endpoint string
}

func (c stsAtEndpoint) AssumeRole(ctx context.Context, in *sts.AssumeRoleInput, optFns ...func(*sts.Options)) (*sts.AssumeRoleOutput, error) {
	optFns = append(optFns, func(o *sts.Options) { o.BaseEndpoint = aws.String(c.endpoint) })
	return c.inner.AssumeRole(ctx, in, optFns...)
}

// terminalMFAToken asks for the code on the terminal (prompt.MFAToken). With
// no terminal there is no one to ask: the error says how to get credentials
// for such a profile beforehand.
func terminalMFAToken(in io.Reader, out io.Writer, isTerminal func(any) bool) MFATokenFunc {
	return func(tr locale.Printer, profile, serial string) (string, error) {
		if !isTerminal(in) || !isTerminal(out) {
			return "", locale.Wrap(locale.M("profile %q assumes a role that requires an MFA code (mfa_serial %s), and there is no terminal to ask for it; "+
				"hint: run on a terminal, or get temporary credentials first and pass them in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, "+
				"for example eval \"$(aws configure export-credentials --profile %s --format env)\" (the AWS CLI asks for the code), "+
				"aws sts assume-role --serial-number %s --token-code CODE ..., or a credential_process in the profile",
				profile, serial, profile, serial), nil)
		}
		return prompt.MFAToken(in, out, tr, profile, serial)
	}
}

// checkSharedFiles refuses a shared config or credentials file holding a NUL
// byte: the SDK's parser then fails with an empty "Error using profile: "
// or quietly drops the line, and neither names the file.
func checkSharedFiles(lookupEnv func(string) (string, bool)) error {
	files := []struct {
		env, def string
		what     locale.Msg
	}{
		{"AWS_CONFIG_FILE", config.DefaultSharedConfigFilename(), locale.M("AWS config file")},
		{"AWS_SHARED_CREDENTIALS_FILE", config.DefaultSharedCredentialsFilename(), locale.M("AWS credentials file")},
	}
	for _, f := range files {
		path := f.def
		if v, _ := lookupEnv(f.env); v != "" {
			path = v
		}
		data, err := os.ReadFile(path)
		if err != nil {
			// Missing or unreadable: the SDK decides what that means.
			continue
		}
		if i := bytes.IndexByte(data, 0); i >= 0 {
			line := 1 + bytes.Count(data[:i], []byte("\n"))
			return locale.Wrap(locale.M("%s %s: line %d holds a NUL byte, which a text file never does (is it damaged, or not the file meant?); hint: fix or remove that line, or point %s at another file", f.what, path, line, f.env), nil)
		}
	}
	return nil
}
