package baseline

import (
	"context"
	"fmt"
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

func (a *applier) applyPasswordPolicy(ctx context.Context, r *stepRun) error {
	p, ok := r.change.After.(PasswordPolicy)
	if !ok {
		return fmt.Errorf("password policy step has no target policy")
	}
	if _, err := a.deps.IAM.UpdateAccountPasswordPolicy(ctx, policyToAWS(p)); err != nil {
		return fmt.Errorf("setting the account password policy: %w", err)
	}
	if r.change.Action == ActionCreate {
		r.did = append(r.did, "set the account password policy")
	} else {
		r.did = append(r.did, "updated the account password policy")
	}
	return nil
}
