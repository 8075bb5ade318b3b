package baseline

import (
	"context"
	"fmt"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// The account password policy: set whole (UpdateAccountPasswordPolicy
// replaces every field), never weaker than the one in force unless asked.
func passwordPolicyStep() step {
	return step{id: StepPasswordPolicy, plan: planPasswordPolicy, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyPasswordPolicy(ctx, r)
	}}
}

func planPasswordPolicy(in planInput) Change {
	spec, st := in.Spec, in.State
	c := Change{Step: StepPasswordPolicy}
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
		c.Details = append(c.Details, locale.M("keep %s", k))
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
func MergePasswordPolicy(current, want PasswordPolicy, allowWeaker bool) (merged PasswordPolicy, kept []locale.Msg) {
	if allowWeaker {
		return want, nil
	}
	merged = want
	keepInt := func(name string, cur, asked int, stricter func(a, b int) bool, dst *int) {
		if stricter(cur, asked) {
			*dst = cur
			kept = append(kept, locale.M("%s %s (stricter than the %s asked for)", policyField[name], describeInt(name, cur), describeInt(name, asked)))
		}
	}
	keepBool := func(name string, cur, asked bool, dst *bool) {
		if cur && !asked {
			*dst = true
			kept = append(kept, locale.M("%s (already required)", policyField[name]))
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

// policyField words the password policy's fields in the plan's details.
var policyField = map[string]locale.Msg{
	"minimum length":                      locale.M("minimum length"),
	"reuse prevention":                    locale.M("reuse prevention"),
	"maximum age":                         locale.M("maximum age"),
	"uppercase letters":                   locale.M("uppercase letters"),
	"lowercase letters":                   locale.M("lowercase letters"),
	"numbers":                             locale.M("numbers"),
	"symbols":                             locale.M("symbols"),
	"require uppercase letters":           locale.M("require uppercase letters"),
	"require lowercase letters":           locale.M("require lowercase letters"),
	"require numbers":                     locale.M("require numbers"),
	"require symbols":                     locale.M("require symbols"),
	"users may change their own password": locale.M("users may change their own password"),
	"hard expiry":                         locale.M("hard expiry"),
}

func describeInt(name string, v int) locale.Msg {
	switch {
	case name == "maximum age" && v == 0:
		return locale.M("never")
	case name == "maximum age":
		return locale.M("%d days", v)
	case name == "reuse prevention" && v == 0:
		return locale.M("off")
	case name == "reuse prevention":
		return locale.M("%d passwords", v)
	}
	return locale.M("%d", v)
}

func describePolicy(p PasswordPolicy) []locale.Msg {
	return diffPolicy(PasswordPolicy{}, p)
}

// diffPolicy lists the fields that differ, as "field: old -> new"; with a
// zero old policy it lists what is set.
func diffPolicy(old, updated PasswordPolicy) []locale.Msg {
	var out []locale.Msg
	fresh := old == PasswordPolicy{}
	addInt := func(name string, a, b int) {
		if a != b {
			if fresh {
				out = append(out, locale.M("%s: %s", policyField[name], describeInt(name, b)))
			} else {
				out = append(out, locale.M("%s: %s -> %s", policyField[name], describeInt(name, a), describeInt(name, b)))
			}
		}
	}
	addBool := func(name string, a, b bool) {
		if a != b || (fresh && b) {
			if fresh {
				out = append(out, locale.M("%s: %s", policyField[name], yesNo(b)))
			} else {
				out = append(out, locale.M("%s: %s -> %s", policyField[name], yesNo(a), yesNo(b)))
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

func yesNo(b bool) locale.Msg {
	if b {
		return locale.M("yes")
	}
	return locale.M("no")
}

func (a *applier) applyPasswordPolicy(ctx context.Context, r *stepRun) error {
	p, ok := r.change.After.(PasswordPolicy)
	if !ok {
		return fmt.Errorf("password policy step has no target policy")
	}
	if _, err := a.deps.IAM.UpdateAccountPasswordPolicy(ctx, policyToAWS(p)); err != nil {
		return locale.Wrap(locale.M("setting the account password policy: %v", err), err)
	}
	if r.change.Action == ActionCreate {
		r.did = append(r.did, locale.M("set the account password policy"))
	} else {
		r.did = append(r.did, locale.M("updated the account password policy"))
	}
	return nil
}
