package baseline

// SignInURL is the console sign-in URL for IAM users of an account, by alias
// or account ID, in the partition's domain.
func SignInURL(partition, aliasOrAccountID string) string {
	domain := "signin.aws.amazon.com"
	switch partition {
	case "aws-cn":
		domain = "signin.amazonaws.cn"
	case "aws-us-gov":
		domain = "signin.amazonaws-us-gov.com"
	}
	return "https://" + aliasOrAccountID + "." + domain + "/console"
}

// consoleURL is where a person signs in to the partition's console.
func consoleURL(partition string) string {
	switch partition {
	case "aws-cn":
		return "https://console.amazonaws.cn/"
	case "aws-us-gov":
		return "https://console.amazonaws-us-gov.com/"
	}
	return "https://console.aws.amazon.com/"
}
