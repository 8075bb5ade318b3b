package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
)

const flagDeleteRootAccessKeys = "delete-root-access-keys"

// signingKeyID is the access key ID the run's clients sign with, so that a
// root access key in use is deleted last. Empty when the credentials cannot
// be read (the SDK reports that on the first request anyway).
func signingKeyID(ctx context.Context, creds aws.CredentialsProvider) string {
	if creds == nil {
		return ""
	}
	c, err := creds.Retrieve(ctx)
	if err != nil {
		return ""
	}
	return c.AccessKeyID
}
