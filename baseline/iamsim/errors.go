package iamsim

import "fmt"

// apiError is an AWS Query protocol error answer.
type apiError struct {
	Code    string
	Message string
	Status  int
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// statusForCode is the HTTP status AWS answers with for each error code
// (taken from the SDK's response snapshots and the IAM/STS API references).
func statusForCode(code string) int {
	switch code {
	case "NoSuchEntity", "ReportInProgress", "FeatureDisabled", "ServiceNotSupported":
		return 404
	case "EntityAlreadyExists", "DeleteConflict", "LimitExceeded", "ConcurrentModification",
		"EntityTemporarilyUnmodifiable", "ReportGenerationLimitExceeded", "DuplicateCertificate",
		"FeatureEnabled", "NameConflict", "RoleModified":
		return 409
	case "ReportNotPresent", "ReportExpired":
		return 410
	case "InvalidAuthenticationCode", "AccessDenied", "MissingAuthenticationToken",
		"InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "OptInRequired", "RegionDisabledException":
		return 403
	case "ServiceFailure", "InternalFailure", "PolicyEvaluation":
		return 500
	case "ServiceUnavailable":
		return 503
	default:
		return 400
	}
}

// errorType is the Type element: Receiver for the service's own failures.
func errorType(status int) string {
	if status >= 500 {
		return "Receiver"
	}
	return "Sender"
}

func errf(code, format string, args ...any) *apiError {
	return &apiError{Code: code, Message: fmt.Sprintf(format, args...), Status: statusForCode(code)}
}

func noSuchEntity(format string, args ...any) *apiError {
	return errf("NoSuchEntity", format, args...)
}

func validationError(format string, args ...any) *apiError {
	return errf("ValidationError", format, args...)
}

func invalidInput(format string, args ...any) *apiError {
	return errf("InvalidInput", format, args...)
}
