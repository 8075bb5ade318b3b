package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/iam-baseline/iam-baseline/baseline"
)

// The plan's views: the text plan (people) and the JSON plan (the versioned
// contract of docs/plan-format.md). Both word the engine's reason codes here,
// the one place where a reason becomes English and may name a flag.

// reasonWords words one reason code. Each entry is the text it adds to the
// reasons before it, with its own leading punctuation, so that a change's
// reasons read as one sentence.
var reasonWords = map[baseline.ReasonCode]func(r baseline.Reason) string{
	baseline.ReasonRootKeysAbsent:   fixed("the root user has no access keys"),
	baseline.ReasonRootKeysPresent:  fixed("the root user has access keys; anyone holding one has full, unrestricted control of the account"),
	baseline.ReasonSignedAsRoot:     fixed(" (this run signs as root: AWS CloudShell does that without any root access key)"),
	baseline.ReasonRootKeysDelete:   fixed("the root user has access keys; anyone holding one has full control of the account"),
	baseline.ReasonRootKeyInUseOnly: fixed("the only root access key to delete signs this run: it is deleted as the last step"),
	baseline.ReasonRootKeyInUseLast: fixed("; the key this run signs with is deleted as the last step"),
	baseline.ReasonRootKeysKept: func(r baseline.Reason) string {
		return "; kept at your request: " + strings.Join(r.Keys, ", ")
	},
	baseline.ReasonRootKeyInUseDelete: func(r baseline.Reason) string {
		return fmt.Sprintf("deleted last, once every other step succeeded: this run's credentials then stop working; "+
			"sign in as %q at %s, or as root with its password", r.User, r.URL)
	},
	baseline.ReasonRootMFAEnabled: fixed("MFA is enabled for the root user"),
	baseline.ReasonRootMFAMissing: fixed("the root user has no MFA; AWS offers no API to enable it, only the console"),
	baseline.ReasonGroupMissing:   func(r baseline.Reason) string { return fmt.Sprintf("group %q does not exist", r.Group) },
	baseline.ReasonGroupReady: func(r baseline.Reason) string {
		return fmt.Sprintf("group %q exists with %s attached", r.Group, r.Policy)
	},
	baseline.ReasonGroupNoPolicy: func(r baseline.Reason) string {
		return fmt.Sprintf("group %q exists without %s", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFAMissing: func(r baseline.Reason) string {
		return fmt.Sprintf("nothing requires MFA of group %q's users: with a password or an access key alone they act as administrators", r.Group)
	},
	baseline.ReasonRequireMFAReady: func(r baseline.Reason) string {
		return fmt.Sprintf("group %q requires MFA (policy %s as the baseline has it)", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFADiffers: func(r baseline.Reason) string {
		return fmt.Sprintf("group %q's policy %s differs from the baseline's; it is replaced (lines marked - go, + come)", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFASkipped: func(r baseline.Reason) string {
		return fmt.Sprintf("skipped (--%s=false): group %q's users can act without MFA", flagRequireMFA, r.Group)
	},
	baseline.ReasonRequireMFAPolicyLeft: func(r baseline.Reason) string {
		return fmt.Sprintf("; the policy %s already there is left as it is", r.Policy)
	},
	baseline.ReasonCallerWithoutMFA: func(r baseline.Reason) string {
		return fmt.Sprintf("; WARNING: this run signs as IAM user %q, in group %q, with an access key, which never carries MFA: "+
			"once the policy is in force, everything but getting MFA is denied to it, this run's remaining requests included; "+
			"sign in with an MFA session (aws sts get-session-token) or confirm with --%s", r.User, r.Group, flagConfirmRequireMFA)
	},
	baseline.ReasonCallerMaybeWithoutMFA: func(r baseline.Reason) string {
		return fmt.Sprintf("; WARNING: this run signs as IAM user %q, in group %q: unless this session was made with MFA, "+
			"everything but getting MFA is denied to it once the policy is in force, this run's remaining requests included; "+
			"confirm that it has MFA with --%s", r.User, r.Group, flagConfirmRequireMFA)
	},
	baseline.ReasonRequireMFANotCovered: func(r baseline.Reason) string {
		return fmt.Sprintf("; it reaches only the group's IAM users: this run signs as %s, which it does not cover "+
			"(nor any role, the root user, or a user outside the group)", r.Principal)
	},
	baseline.ReasonUserMissing: func(r baseline.Reason) string { return fmt.Sprintf("user %q does not exist", r.User) },
	baseline.ReasonUserReady: func(r baseline.Reason) string {
		return fmt.Sprintf("user %q exists, has a console password and is in group %q", r.User, r.Group)
	},
	baseline.ReasonNoLoginProfile:     fixed("it has no console password"),
	baseline.ReasonPasswordResetAsked: fixed("a new temporary password was asked for (--" + flagResetPassword + ")"),
	baseline.ReasonNotInGroup:         func(r baseline.Reason) string { return fmt.Sprintf("it is not in group %q", r.Group) },
	baseline.ReasonPasswordKept:       fixed("; its console password is left as it is (--" + flagResetPassword + " sets a new temporary one)"),
	baseline.ReasonTemporaryPasswordKept: fixed("; its temporary console password is left as it is; it was never used to sign in, so if nobody has it " +
		"(an earlier run may have stopped before handing it over), --" + flagResetPassword + " sets a new one"),
	baseline.ReasonPolicyMissing:      fixed("the account has no password policy (AWS's default applies: 8 characters, 3 of 4 character classes)"),
	baseline.ReasonPolicyMeets:        fixed("the password policy in force already meets the baseline"),
	baseline.ReasonPolicyStricter:     fixed("the password policy in force is as strict or stricter than asked; the stricter values are kept"),
	baseline.ReasonPolicyWeaker:       fixed("the password policy in force is weaker than the baseline"),
	baseline.ReasonPolicyWeakened:     fixed("the password policy is replaced as asked, weakening some values (--" + flagAllowWeakerPasswordPolicy + ")"),
	baseline.ReasonPolicyStricterKept: fixed("; stricter values already in force are kept"),
	baseline.ReasonMFAPresent:         func(r baseline.Reason) string { return fmt.Sprintf("user %q already has an MFA device", r.User) },
	baseline.ReasonMFASkipped:         fixed("skipped (--" + flagSkipMFA + "); the user has no MFA device"),
	baseline.ReasonMFAMissing:         func(r baseline.Reason) string { return fmt.Sprintf("user %q has no MFA device", r.User) },
	baseline.ReasonMFANameTaken: func(r baseline.Reason) string {
		return fmt.Sprintf("the virtual MFA device name %q is taken by the device of user %q, so none can be created under it; choose another with --%s", r.Asked, r.User, flagMFADeviceName)
	},
	baseline.ReasonAliasNotAsked: fixed("no alias asked for (--" + flagAccountAlias + "); the sign-in URL uses the account ID"),
	baseline.ReasonAliasIs:       func(r baseline.Reason) string { return fmt.Sprintf("the account alias is %q", r.Alias) },
	baseline.ReasonAliasAlready:  func(r baseline.Reason) string { return fmt.Sprintf("the account alias is already %q", r.Alias) },
	baseline.ReasonAliasReplaces: func(r baseline.Reason) string {
		return fmt.Sprintf("the account's alias %q is replaced by %q: its sign-in URL %s stops working", r.Alias, r.Asked, r.URL)
	},
	baseline.ReasonAliasMissing:    fixed("the account has no alias"),
	baseline.ReasonSignInURL:       func(r baseline.Reason) string { return "IAM users sign in at " + r.URL },
	baseline.ReasonContactNotAsked: fixed("no security contact asked for (--" + flagContactEmail + " and the other --security-contact-* flags); the account's contact is left as it is"),
	baseline.ReasonContactIs:       func(r baseline.Reason) string { return fmt.Sprintf("the security contact is %s", r.Contact) },
	baseline.ReasonContactAlready: func(r baseline.Reason) string {
		return fmt.Sprintf("the security contact is already %s, as asked", r.Contact)
	},
	baseline.ReasonContactDiffers: func(r baseline.Reason) string {
		return fmt.Sprintf("the security contact is %s; it is replaced with %s as asked", r.Contact, r.Asked)
	},
	baseline.ReasonContactMissing:   fixed("the account has no security contact"),
	baseline.ReasonAnalyzerNotAsked: fixed("no analyzers asked for (--" + flagAccessAnalyzer + "); the regions are not read or changed"),
	baseline.ReasonAnalyzerEverywhere: func(r baseline.Reason) string {
		return fmt.Sprintf("each of the %d enabled region(s) already has an active analyzer", r.Regions)
	},
	baseline.ReasonAnalyzerMissing: func(r baseline.Reason) string {
		return fmt.Sprintf("%d enabled region(s) have no active external-access analyzer: %s", r.Regions, strings.Join(r.Keys, ", "))
	},
	baseline.ReasonSupportRoleNotAsked: func(r baseline.Reason) string {
		return "no support role asked for (--" + flagSupportRole + " NAME creates one with " + r.Policy + ")"
	},
	baseline.ReasonSupportRoleMissing: func(r baseline.Reason) string { return fmt.Sprintf("role %q does not exist", r.Role) },
	baseline.ReasonSupportRoleNoPolicy: func(r baseline.Reason) string {
		return fmt.Sprintf("role %q exists without %s; its trust policy is left as it is", r.Role, r.Policy)
	},
	baseline.ReasonSupportRoleReady: func(r baseline.Reason) string { return fmt.Sprintf("role %q already has %s", r.Role, r.Policy) },
}

func fixed(s string) func(baseline.Reason) string { return func(baseline.Reason) string { return s } }

// wordReason words one reason; an unknown code is shown as itself rather
// than hidden.
func wordReason(r baseline.Reason) string {
	if r.Code == baseline.ReasonUserIncomplete {
		// Worded here, not in reasonWords: it words the reasons it holds.
		lacks := make([]string, 0, len(r.Lacks))
		for _, l := range r.Lacks {
			lacks = append(lacks, wordReason(l))
		}
		return fmt.Sprintf("user %q exists but %s", r.User, strings.Join(lacks, " and "))
	}
	if w, ok := reasonWords[r.Code]; ok {
		return w(r)
	}
	return string(r.Code)
}

// wordReasons words a change's reasons as one sentence.
func wordReasons(c baseline.Change) string {
	var b strings.Builder
	for _, r := range c.Reasons {
		b.WriteString(wordReason(r))
	}
	return b.String()
}

// manualSteps are the change's manual steps, with the CLI's offer to do the
// step itself where it can.
func manualSteps(p baseline.Plan, c baseline.Change) []string {
	steps := c.ManualSteps
	if c.Step == baseline.StepRootAccessKeys && c.Action == baseline.ActionManual && p.Account.IsRoot {
		steps = append(steps[:len(steps):len(steps)],
			"or let this tool delete them: apply --"+flagDeleteRootAccessKeys+" (the key this run signs with goes last)")
	}
	return steps
}

// symbol is the one-character mark of an action in the text plan, in the
// spirit of terraform's.
func symbol(a baseline.Action) string {
	switch a {
	case baseline.ActionCreate:
		return "+"
	case baseline.ActionUpdate:
		return "~"
	case baseline.ActionDelete:
		return "-"
	case baseline.ActionNone:
		return "="
	case baseline.ActionManual:
		return "!"
	}
	return " "
}

// writePlanText renders the plan for people.
func writePlanText(w io.Writer, p baseline.Plan, color bool) error {
	r := lipgloss.NewRenderer(w)
	if color {
		r.SetColorProfile(termenv.ANSI)
	} else {
		r.SetColorProfile(termenv.Ascii)
	}
	styles := map[baseline.Action]lipgloss.Style{
		baseline.ActionCreate: r.NewStyle().Foreground(lipgloss.Color("2")),
		baseline.ActionUpdate: r.NewStyle().Foreground(lipgloss.Color("3")),
		baseline.ActionDelete: r.NewStyle().Foreground(lipgloss.Color("1")),
		baseline.ActionNone:   r.NewStyle().Faint(true),
		baseline.ActionManual: r.NewStyle().Foreground(lipgloss.Color("5")),
		baseline.ActionSkip:   r.NewStyle().Faint(true),
	}
	bold := r.NewStyle().Bold(true)

	var b strings.Builder
	who := "an IAM principal"
	if p.Account.IsRoot {
		who = "the root user"
	}
	fmt.Fprintf(&b, "Account %s (partition %s), signed in as %s", p.Account.ID, p.Account.Partition, who)
	if p.Account.CallerARN != "" {
		fmt.Fprintf(&b, " (%s)", p.Account.CallerARN)
	}
	b.WriteString("\n\n")
	counts := map[baseline.Action]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
		style := styles[c.Action]
		fmt.Fprintf(&b, "%s %s\n", style.Render(fmt.Sprintf("%s %-6s", symbol(c.Action), c.Action)), bold.Render(c.Title))
		if reason := wordReasons(c); reason != "" {
			fmt.Fprintf(&b, "    %s\n", reason)
		}
		for _, d := range c.Details {
			fmt.Fprintf(&b, "      %s %s\n", style.Render("·"), d)
		}
		for i, m := range manualSteps(p, c) {
			fmt.Fprintf(&b, "      %d. %s\n", i+1, m)
		}
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "Plan: %d to create, %d to update, %d to delete, %d unchanged, %d manual, %d skipped.\n",
		counts[baseline.ActionCreate], counts[baseline.ActionUpdate], counts[baseline.ActionDelete],
		counts[baseline.ActionNone], counts[baseline.ActionManual], counts[baseline.ActionSkip])
	if p.Pending() == 0 {
		b.WriteString("No changes: the account already has the baseline")
		if counts[baseline.ActionManual] > 0 {
			b.WriteString(", apart from the manual steps above")
		}
		b.WriteString(".\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonPlan is the JSON plan (docs/plan-format.md, format_version
// baseline.PlanFormatVersion): the plan with its reasons worded.
type jsonPlan struct {
	FormatVersion int              `json:"format_version"`
	Account       baseline.Account `json:"account"`
	Changes       []jsonChange     `json:"changes"`
}

type jsonChange struct {
	Step        baseline.StepID `json:"step"`
	Title       string          `json:"title"`
	Action      baseline.Action `json:"action"`
	Reason      string          `json:"reason"`
	Before      any             `json:"before,omitempty"`
	After       any             `json:"after,omitempty"`
	Details     []string        `json:"details,omitempty"`
	ManualSteps []string        `json:"manual_steps,omitempty"`
}

func toJSONPlan(p baseline.Plan) jsonPlan {
	out := jsonPlan{FormatVersion: p.FormatVersion, Account: p.Account, Changes: toJSONChanges(p, p.Changes)}
	if out.FormatVersion == 0 {
		out.FormatVersion = baseline.PlanFormatVersion
	}
	return out
}

func toJSONChanges(p baseline.Plan, changes []baseline.Change) []jsonChange {
	if changes == nil {
		return nil
	}
	out := make([]jsonChange, 0, len(changes))
	for _, c := range changes {
		out = append(out, jsonChange{
			Step: c.Step, Title: c.Title, Action: c.Action, Reason: wordReasons(c),
			Before: c.Before, After: c.After, Details: c.Details, ManualSteps: manualSteps(p, c),
		})
	}
	return out
}

// writeJSON writes v as the JSON views do: indented, HTML left unescaped.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
