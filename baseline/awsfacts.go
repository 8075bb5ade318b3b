package baseline

import "github.com/iam-baseline/iam-baseline/baseline/awsfacts"

// SignInURL is the console sign-in URL for IAM users of an account, by alias
// or account ID, in the partition's domain (awsfacts.SignInURL).
func SignInURL(partition, aliasOrAccountID string) string {
	return awsfacts.SignInURL(partition, aliasOrAccountID)
}

// consoleURL is where a person signs in to the partition's console.
func consoleURL(partition string) string { return awsfacts.ConsoleURL(partition) }
