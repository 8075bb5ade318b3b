package baseline

import (
	"fmt"
	"slices"
	"strings"
)

// The typed Before/After values of each step. They are plain data (no
// secrets) so both renderers show them and Apply reads them.

// RootAccessKeys is the root-access-keys step's view.
type RootAccessKeys struct {
	Present bool `json:"present"`
}

// RootMFA is the root-mfa step's view.
type RootMFA struct {
	Enabled bool `json:"enabled"`
}

// AdminUser is the admin-user step's view.
type AdminUser struct {
	Name         string   `json:"name"`
	LoginProfile bool     `json:"login_profile"`
	Groups       []string `json:"groups"`
	// PasswordResetRequired is set on After: the password must be changed at
	// first sign-in.
	PasswordResetRequired bool `json:"password_reset_required"`
	// NewTemporaryPassword (After only) says Apply sets a new temporary
	// password: a new login profile, or --reset-password.
	NewTemporaryPassword bool `json:"new_temporary_password,omitempty"`
}

// UserMFA is the user-mfa step's view.
type UserMFA struct {
	UserName   string   `json:"user_name"`
	DeviceName string   `json:"device_name,omitempty"`
	Devices    []string `json:"devices"`
	// RemoveUnassigned (After only) is the serial of an unassigned virtual
	// MFA device with the same name, left by an aborted run, that is deleted
	// before the new one is created.
	RemoveUnassigned string `json:"remove_unassigned,omitempty"`
}

// AccountAlias is the account-alias step's view.
type AccountAlias struct {
	Alias string `json:"alias"`
}

// SignIn is the sign-in-url step's view.
type SignIn struct {
	URL string `json:"url"`
}

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

// MakePlan compares the spec with the state and lists the changes, in the
// order of the StepID constants. It makes no call and has no side effect.
func MakePlan(spec Spec, st State) Plan {
	partition := st.Caller.Partition
	if partition == "" {
		partition = "aws"
	}
	alias, aliasChange := planAlias(spec, st)
	aliasOrID := alias
	if aliasOrID == "" {
		aliasOrID = st.Caller.AccountID
	}
	url := SignInURL(partition, aliasOrID)
	p := Plan{
		FormatVersion: PlanFormatVersion,
		Account: Account{
			ID:        st.Caller.AccountID,
			Partition: partition,
			Alias:     st.Alias(),
			CallerARN: st.Caller.ARN,
			IsRoot:    st.Caller.IsRoot,
			SignInURL: url,
		},
	}
	p.Changes = append(p.Changes,
		planRootAccessKeys(st, partition),
		planRootMFA(st, partition),
		planGroup(spec, st, partition),
		planUser(spec, st),
		planPasswordPolicy(spec, st),
		planUserMFA(spec, st),
		aliasChange,
		Change{
			Step:    StepSignInURL,
			Title:   "Sign-in URL for IAM users",
			Action:  ActionNone,
			Reasons: []Reason{{Code: ReasonSignInURL, URL: url}},
			After:   SignIn{URL: url},
		},
	)
	return p
}

func planRootAccessKeys(st State, partition string) Change {
	c := Change{
		Step:   StepRootAccessKeys,
		Title:  "Root user access keys",
		Before: RootAccessKeys{Present: st.Summary.RootAccessKeysPresent},
	}
	if !st.Summary.RootAccessKeysPresent {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRootKeysAbsent}}
		return c
	}
	c.Action = ActionManual
	c.After = RootAccessKeys{Present: false}
	c.Reasons = []Reason{{Code: ReasonRootKeysPresent}}
	if st.Caller.IsRoot {
		c.Reasons = append(c.Reasons, Reason{Code: ReasonSignedAsRoot})
	}
	c.ManualSteps = []string{
		"sign in to " + consoleURL(partition) + " as the root user",
		"open the account menu > Security credentials > Access keys",
		"deactivate each access key, check that nothing still uses it, then delete it",
	}
	return c
}

func planRootMFA(st State, partition string) Change {
	c := Change{
		Step:   StepRootMFA,
		Title:  "Root user MFA",
		Before: RootMFA{Enabled: st.Summary.RootMFAEnabled},
	}
	if st.Summary.RootMFAEnabled {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRootMFAEnabled}}
		return c
	}
	c.Action = ActionManual
	c.After = RootMFA{Enabled: true}
	c.Reasons = []Reason{{Code: ReasonRootMFAMissing}}
	if partition == "aws-us-gov" {
		c.ManualSteps = []string{
			"the root user of an AWS GovCloud (US) account cannot sign in to the console",
			"enable MFA on the root user of the standard AWS account this GovCloud account is associated with",
		}
		return c
	}
	c.ManualSteps = []string{
		"sign in to " + consoleURL(partition) + " as the root user",
		"open the account menu > Security credentials > Multi-factor authentication (MFA)",
		"choose Assign MFA device and follow the steps (a security key or passkey is strongest)",
	}
	return c
}

func planGroup(spec Spec, st State, partition string) Change {
	arn := AdminPolicyARN(partition)
	c := Change{
		Step:  StepAdminGroup,
		Title: fmt.Sprintf("Group %q with %s", spec.GroupName, AdminPolicyName),
		After: GroupState{Name: spec.GroupName, AttachedPolicies: []string{arn}},
	}
	if st.Group == nil {
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonGroupMissing, Group: spec.GroupName}}
		c.Details = []string{"create group " + spec.GroupName, "attach " + arn}
		return c
	}
	c.Before = *st.Group
	after := *st.Group
	if st.Group.HasPolicy(arn) {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonGroupReady, Group: st.Group.Name, Policy: AdminPolicyName}}
		c.After = after
		return c
	}
	after.AttachedPolicies = append(slices.Clone(st.Group.AttachedPolicies), arn)
	c.After = after
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonGroupNoPolicy, Group: st.Group.Name, Policy: AdminPolicyName}}
	c.Details = []string{"attach " + arn}
	return c
}

func planUser(spec Spec, st State) Change {
	name, group := spec.UserName, spec.GroupName
	c := Change{
		Step:  StepAdminUser,
		Title: fmt.Sprintf("User %q with a console password, in group %q", name, group),
	}
	after := AdminUser{Name: name, LoginProfile: true, PasswordResetRequired: true}
	if st.User == nil {
		after.Groups = []string{group}
		after.NewTemporaryPassword = true
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonUserMissing, User: name}}
		c.Details = []string{
			"create user " + name,
			"create a console password (temporary, must be changed at first sign-in)",
			"add " + name + " to group " + group,
		}
		c.After = after
		return c
	}
	before := AdminUser{Name: st.User.Name, LoginProfile: st.LoginProfile != nil, Groups: slices.Clone(st.User.Groups)}
	if st.LoginProfile != nil {
		before.PasswordResetRequired = st.LoginProfile.PasswordResetRequired
	}
	c.Before = before
	after.Name = st.User.Name
	after.Groups = slices.Clone(st.User.Groups)
	var lacks []Reason
	switch {
	case st.LoginProfile == nil:
		after.NewTemporaryPassword = true
		lacks = append(lacks, Reason{Code: ReasonNoLoginProfile})
		c.Details = append(c.Details, "create a console password (temporary, must be changed at first sign-in)")
	case spec.ResetPassword:
		after.NewTemporaryPassword = true
		lacks = append(lacks, Reason{Code: ReasonPasswordResetAsked})
		c.Details = append(c.Details, "set a new temporary console password (must be changed at first sign-in)")
	default:
		after.PasswordResetRequired = st.LoginProfile.PasswordResetRequired
	}
	keptPassword := Reason{Code: ReasonPasswordKept}
	if st.LoginProfile != nil && st.LoginProfile.PasswordResetRequired && st.User.PasswordLastUsed == nil {
		// Likely a temporary password from an earlier run; if that run died
		// before handing it over, only a reset gets the operator in.
		keptPassword = Reason{Code: ReasonTemporaryPasswordKept}
	}
	if !st.InGroup(group) {
		after.Groups = append(after.Groups, group)
		lacks = append(lacks, Reason{Code: ReasonNotInGroup, Group: group})
		c.Details = append(c.Details, "add "+st.User.Name+" to group "+group)
	}
	c.After = after
	if len(lacks) == 0 {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonUserReady, User: st.User.Name, Group: group}, keptPassword}
		return c
	}
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonUserIncomplete, User: st.User.Name, Lacks: lacks}}
	if !after.NewTemporaryPassword {
		c.Reasons = append(c.Reasons, keptPassword)
	}
	return c
}

func planPasswordPolicy(spec Spec, st State) Change {
	c := Change{Step: StepPasswordPolicy, Title: "Account password policy"}
	if st.PasswordPolicy == nil {
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonPolicyMissing}}
		c.After = spec.PasswordPolicy
		c.Details = describePolicy(spec.PasswordPolicy)
		return c
	}
	current := *st.PasswordPolicy
	c.Before = current
	merged, kept := MergePasswordPolicy(current, spec.PasswordPolicy, spec.AllowWeakerPasswordPolicy)
	c.After = merged
	changes := diffPolicy(current, merged)
	for _, k := range kept {
		c.Details = append(c.Details, "keep "+k)
	}
	if len(changes) == 0 {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonPolicyMeets}}
		if len(kept) > 0 {
			c.Reasons = []Reason{{Code: ReasonPolicyStricter}}
		}
		return c
	}
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonPolicyWeaker}}
	if spec.AllowWeakerPasswordPolicy && policyWeakens(current, merged) {
		c.Reasons = []Reason{{Code: ReasonPolicyWeakened}}
	} else if len(kept) > 0 {
		c.Reasons = append(c.Reasons, Reason{Code: ReasonPolicyStricterKept})
	}
	c.Details = append(changes, c.Details...)
	return c
}

// MergePasswordPolicy returns the policy to set when want is asked for and
// current is in force. Unless allowWeaker, each field keeps the stricter of
// the two; kept describes each field where current was stricter than want.
func MergePasswordPolicy(current, want PasswordPolicy, allowWeaker bool) (merged PasswordPolicy, kept []string) {
	if allowWeaker {
		return want, nil
	}
	merged = want
	keepInt := func(name string, cur, asked int, stricter func(a, b int) bool, dst *int) {
		if stricter(cur, asked) {
			*dst = cur
			kept = append(kept, fmt.Sprintf("%s %s (stricter than the %s asked for)", name, describeInt(name, cur), describeInt(name, asked)))
		}
	}
	keepBool := func(name string, cur, asked bool, dst *bool) {
		if cur && !asked {
			*dst = true
			kept = append(kept, name+" (already required)")
		}
	}
	greater := func(a, b int) bool { return a > b }
	// For expiry, a shorter non-zero age is stricter and 0 (never) is the
	// weakest.
	shorterAge := func(a, b int) bool { return a > 0 && (b == 0 || a < b) }
	keepInt("minimum length", current.MinimumLength, want.MinimumLength, greater, &merged.MinimumLength)
	keepInt("reuse prevention", current.ReusePrevention, want.ReusePrevention, greater, &merged.ReusePrevention)
	keepInt("maximum age", current.MaxAgeDays, want.MaxAgeDays, shorterAge, &merged.MaxAgeDays)
	keepBool("uppercase letters", current.RequireUppercase, want.RequireUppercase, &merged.RequireUppercase)
	keepBool("lowercase letters", current.RequireLowercase, want.RequireLowercase, &merged.RequireLowercase)
	keepBool("numbers", current.RequireNumbers, want.RequireNumbers, &merged.RequireNumbers)
	keepBool("symbols", current.RequireSymbols, want.RequireSymbols, &merged.RequireSymbols)
	// Letting users change their own password is the safer setting (they
	// can rotate a leaked one), so it counts as the stricter value.
	keepBool("users may change their own password", current.AllowUsersToChangePassword, want.AllowUsersToChangePassword, &merged.AllowUsersToChangePassword)
	keepBool("hard expiry", current.HardExpiry, want.HardExpiry, &merged.HardExpiry)
	return merged, kept
}

// policyWeakens reports whether moving from a to b loosens any field.
func policyWeakens(a, b PasswordPolicy) bool {
	_, kept := MergePasswordPolicy(a, b, false)
	return len(kept) > 0
}

func describeInt(name string, v int) string {
	switch {
	case name == "maximum age" && v == 0:
		return "never"
	case name == "maximum age":
		return fmt.Sprintf("%d days", v)
	case name == "reuse prevention" && v == 0:
		return "off"
	case name == "reuse prevention":
		return fmt.Sprintf("%d passwords", v)
	}
	return fmt.Sprint(v)
}

func describePolicy(p PasswordPolicy) []string {
	return diffPolicy(PasswordPolicy{}, p)
}

// diffPolicy lists the fields that differ, as "field: old -> new"; with a
// zero old policy it lists what is set.
func diffPolicy(old, updated PasswordPolicy) []string {
	var out []string
	fresh := old == PasswordPolicy{}
	addInt := func(name string, a, b int) {
		if a != b {
			if fresh {
				out = append(out, fmt.Sprintf("%s: %s", name, describeInt(name, b)))
			} else {
				out = append(out, fmt.Sprintf("%s: %s -> %s", name, describeInt(name, a), describeInt(name, b)))
			}
		}
	}
	addBool := func(name string, a, b bool) {
		if a != b || (fresh && b) {
			if fresh {
				out = append(out, fmt.Sprintf("%s: %s", name, yesNo(b)))
			} else {
				out = append(out, fmt.Sprintf("%s: %s -> %s", name, yesNo(a), yesNo(b)))
			}
		}
	}
	addInt("minimum length", old.MinimumLength, updated.MinimumLength)
	addBool("require uppercase letters", old.RequireUppercase, updated.RequireUppercase)
	addBool("require lowercase letters", old.RequireLowercase, updated.RequireLowercase)
	addBool("require numbers", old.RequireNumbers, updated.RequireNumbers)
	addBool("require symbols", old.RequireSymbols, updated.RequireSymbols)
	addBool("users may change their own password", old.AllowUsersToChangePassword, updated.AllowUsersToChangePassword)
	addInt("maximum age", old.MaxAgeDays, updated.MaxAgeDays)
	addInt("reuse prevention", old.ReusePrevention, updated.ReusePrevention)
	addBool("hard expiry", old.HardExpiry, updated.HardExpiry)
	return out
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func planUserMFA(spec Spec, st State) Change {
	c := Change{
		Step:  StepUserMFA,
		Title: fmt.Sprintf("Virtual MFA device for %q", spec.UserName),
	}
	var devices []string
	for _, d := range st.MFADevices {
		devices = append(devices, d.SerialNumber)
	}
	if st.User != nil {
		c.Before = UserMFA{UserName: st.User.Name, Devices: devices}
	}
	if len(devices) > 0 {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonMFAPresent, User: spec.UserName}}
		return c
	}
	if spec.SkipMFA {
		c.Action = ActionSkip
		c.Reasons = []Reason{{Code: ReasonMFASkipped, User: spec.UserName}}
		return c
	}
	after := UserMFA{UserName: spec.UserName, DeviceName: spec.MFADeviceName, Devices: []string{"(new) " + spec.MFADeviceName}}
	if serial := unassignedNamed(st.UnassignedVirtualMFA, spec.MFADeviceName); serial != "" {
		after.RemoveUnassigned = serial
		c.Details = append(c.Details, "delete unassigned virtual MFA device "+serial+" (left by an earlier, unfinished run)")
	}
	c.Details = append(c.Details,
		"create virtual MFA device "+spec.MFADeviceName,
		"show its QR code and enable it for "+spec.UserName+" with two consecutive codes",
	)
	c.After = after
	c.Action = ActionCreate
	c.Reasons = []Reason{{Code: ReasonMFAMissing, User: spec.UserName}}
	return c
}

// unassignedNamed finds the serial of an unassigned virtual MFA device with
// the given name (serials are arn:<partition>:iam::<account>:mfa[/path]/name).
func unassignedNamed(serials []string, name string) string {
	for _, s := range serials {
		if i := strings.LastIndexByte(s, '/'); i >= 0 && strings.EqualFold(s[i+1:], name) {
			return s
		}
	}
	return ""
}

func planAlias(spec Spec, st State) (alias string, c Change) {
	c = Change{Step: StepAccountAlias, Title: "Account alias"}
	current := st.Alias()
	if current != "" {
		c.Before = AccountAlias{Alias: current}
		c.After = AccountAlias{Alias: current}
	}
	switch {
	case spec.AccountAlias == "" && current == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasNotAsked}}
	case spec.AccountAlias == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasIs, Alias: current}}
	case current == spec.AccountAlias:
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAliasAlready, Alias: current}}
	case current != "":
		c.Action = ActionManual
		c.Reasons = []Reason{{Code: ReasonAliasOther, Alias: current, Asked: spec.AccountAlias}}
		c.ManualSteps = []string{"to rename it, open the IAM console > Dashboard > AWS Account > Account alias > Edit"}
	default:
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonAliasMissing, Alias: spec.AccountAlias}}
		c.After = AccountAlias{Alias: spec.AccountAlias}
		c.Details = []string{"create account alias " + spec.AccountAlias}
		return spec.AccountAlias, c
	}
	return current, c
}
