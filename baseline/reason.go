package baseline

// ReasonCode says why a step has its action. The codes are stable strings:
// views word them (package main in English, later in other languages) and
// nothing in the engine does, so no engine text names a CLI flag.
type ReasonCode string

// The reason codes, by step. The fields of Reason each code uses are named
// after it.
const (
	// root-access-keys
	ReasonRootKeysAbsent  ReasonCode = "root-keys-absent"
	ReasonRootKeysPresent ReasonCode = "root-keys-present"
	// ReasonSignedAsRoot: this run signs as root (CloudShell does so
	// without a root access key).
	ReasonSignedAsRoot   ReasonCode = "signed-as-root"
	ReasonRootKeysDelete ReasonCode = "root-keys-delete"
	// ReasonRootKeyInUseOnly: the only key to delete signs this run.
	ReasonRootKeyInUseOnly ReasonCode = "root-key-in-use-only"
	// ReasonRootKeyInUseLast: the key this run signs with goes last.
	ReasonRootKeyInUseLast ReasonCode = "root-key-in-use-last"
	// ReasonRootKeysKept: Keys are kept at the operator's request.
	ReasonRootKeysKept ReasonCode = "root-keys-kept"
	// root-access-key-in-use: User, URL (where to sign in next).
	ReasonRootKeyInUseDelete ReasonCode = "root-key-in-use-delete"

	// root-mfa
	ReasonRootMFAEnabled ReasonCode = "root-mfa-enabled"
	ReasonRootMFAMissing ReasonCode = "root-mfa-missing"

	// admin-group: Group; Policy (the managed policy's name).
	ReasonGroupMissing  ReasonCode = "group-missing"
	ReasonGroupReady    ReasonCode = "group-ready"
	ReasonGroupNoPolicy ReasonCode = "group-without-policy"

	// require-mfa: Group, Policy.
	ReasonRequireMFAMissing ReasonCode = "require-mfa-missing"
	ReasonRequireMFAReady   ReasonCode = "require-mfa-ready"
	ReasonRequireMFADiffers ReasonCode = "require-mfa-differs"
	ReasonRequireMFASkipped ReasonCode = "require-mfa-skipped"
	// ReasonRequireMFAPolicyLeft follows ReasonRequireMFASkipped: the
	// policy found is left in place.
	ReasonRequireMFAPolicyLeft ReasonCode = "require-mfa-policy-left"
	// ReasonCallerWithoutMFA: the caller, IAM user User, is (or becomes) a
	// member of Group and signs with a long-term access key, which never
	// carries MFA: once the policy is in force its requests are denied.
	ReasonCallerWithoutMFA ReasonCode = "caller-without-mfa"
	// ReasonCallerMaybeWithoutMFA: as ReasonCallerWithoutMFA, but the
	// caller signs with temporary credentials, which may or may not carry
	// MFA.
	ReasonCallerMaybeWithoutMFA ReasonCode = "caller-maybe-without-mfa"
	// ReasonRequireMFANotCovered: the caller, Principal (a role or the
	// root user), is not covered by a group's policy.
	ReasonRequireMFANotCovered ReasonCode = "require-mfa-not-covered"

	// admin-user: User, Group.
	ReasonUserMissing ReasonCode = "user-missing"
	// ReasonUserReady: the user has a console password and is in Group.
	ReasonUserReady ReasonCode = "user-ready"
	// ReasonUserIncomplete: the user lacks what Lacks lists
	// (ReasonNoLoginProfile, ReasonPasswordResetAsked, ReasonNotInGroup).
	ReasonUserIncomplete     ReasonCode = "user-incomplete"
	ReasonNoLoginProfile     ReasonCode = "no-login-profile"
	ReasonPasswordResetAsked ReasonCode = "password-reset-asked"
	ReasonNotInGroup         ReasonCode = "not-in-group"
	// ReasonPasswordKept: the console password is left as it is.
	ReasonPasswordKept ReasonCode = "password-kept"
	// ReasonTemporaryPasswordKept: a temporary password, never used to
	// sign in, is left as it is: maybe nobody has it.
	ReasonTemporaryPasswordKept ReasonCode = "temporary-password-kept"

	// password-policy
	ReasonPolicyMissing ReasonCode = "policy-missing"
	ReasonPolicyMeets   ReasonCode = "policy-meets"
	// ReasonPolicyStricter: stricter than asked; the stricter values stay.
	ReasonPolicyStricter ReasonCode = "policy-stricter"
	ReasonPolicyWeaker   ReasonCode = "policy-weaker"
	// ReasonPolicyWeakened: replaced as asked, weakening some values.
	ReasonPolicyWeakened ReasonCode = "policy-weakened"
	// ReasonPolicyStricterKept follows ReasonPolicyWeaker: the stricter
	// values in force are kept.
	ReasonPolicyStricterKept ReasonCode = "policy-stricter-kept"

	// user-mfa: User.
	ReasonMFAPresent ReasonCode = "mfa-present"
	ReasonMFASkipped ReasonCode = "mfa-skipped"
	ReasonMFAMissing ReasonCode = "mfa-missing"
	// ReasonMFAReenroll: a new virtual MFA device replaces the user's
	// (Spec.ReenrollMFA); the old ones go once it is enabled.
	ReasonMFAReenroll ReasonCode = "mfa-reenroll"
	// ReasonMFAReenrollFinish: a re-enrollment stopped after enabling the
	// new device (the user holds several virtual devices); the one enabled
	// last is kept, the others go.
	ReasonMFAReenrollFinish ReasonCode = "mfa-reenroll-finish"
	// ReasonMFANameTaken: the device name (Asked) is held by the device of
	// another user (User).
	ReasonMFANameTaken ReasonCode = "mfa-name-taken"

	// account-alias: Alias, Asked.
	ReasonAliasNotAsked ReasonCode = "alias-not-asked"
	ReasonAliasIs       ReasonCode = "alias-is"
	ReasonAliasAlready  ReasonCode = "alias-already"
	// ReasonAliasReplaces: Asked replaces Alias; URL is the old sign-in
	// URL, which stops working.
	ReasonAliasReplaces ReasonCode = "alias-replaces"
	ReasonAliasMissing  ReasonCode = "alias-missing"

	// support-role: Role, Policy (the managed policy's name).
	ReasonSupportRoleNotAsked ReasonCode = "support-role-not-asked"
	ReasonSupportRoleMissing  ReasonCode = "support-role-missing"
	ReasonSupportRoleNoPolicy ReasonCode = "support-role-without-policy"
	ReasonSupportRoleReady    ReasonCode = "support-role-ready"

	// security-contact: Contact (the e-mail in place), Asked.
	ReasonContactNotAsked ReasonCode = "contact-not-asked"
	ReasonContactIs       ReasonCode = "contact-is"
	ReasonContactAlready  ReasonCode = "contact-already"
	ReasonContactDiffers  ReasonCode = "contact-differs"
	ReasonContactMissing  ReasonCode = "contact-missing"

	// access-analyzer: Regions (how many), Keys (the regions lacking one).
	ReasonAnalyzerNotAsked   ReasonCode = "analyzer-not-asked"
	ReasonAnalyzerEverywhere ReasonCode = "analyzer-everywhere"
	ReasonAnalyzerMissing    ReasonCode = "analyzer-missing"

	// sign-in-url: URL.
	ReasonSignInURL ReasonCode = "sign-in-url"
)

// Reason is one reason of a change: a code and the data its wording needs.
// A change's reasons are read in order, each adding to the one before.
type Reason struct {
	Code   ReasonCode `json:"code"`
	User   string     `json:"user,omitempty"`
	Group  string     `json:"group,omitempty"`
	Policy string     `json:"policy,omitempty"`
	Role   string     `json:"role,omitempty"`
	// Contact is a security contact's e-mail address.
	Contact string `json:"contact,omitempty"`
	// Regions counts the regions a reason is about.
	Regions int    `json:"regions,omitempty"`
	Alias   string `json:"alias,omitempty"`
	// Asked is the value the operator asked for where it differs from the
	// one found (an alias).
	Asked string `json:"asked,omitempty"`
	URL   string `json:"url,omitempty"`
	// Principal names a caller that is neither User nor a group member.
	Principal string   `json:"principal,omitempty"`
	Keys      []string `json:"keys,omitempty"`
	// Lacks lists what ReasonUserIncomplete's user lacks.
	Lacks []Reason `json:"lacks,omitempty"`
}
