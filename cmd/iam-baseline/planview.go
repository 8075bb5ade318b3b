package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/textwrap"
)

// The plan's views: the text plan (people) and the JSON plan (the versioned
// contract of docs/plan-format.md). Both word the engine's reason codes here,
// the one place where a reason becomes English and may name a flag.

// reasonWords words one reason code. Each entry is the text it adds to the
// reasons before it, with its own leading punctuation, so that a change's
// reasons read as one sentence.
var reasonWords = map[baseline.ReasonCode]func(tr locale.Printer, r baseline.Reason) string{
	baseline.ReasonRootKeysAbsent:   fixed(locale.M("the root user has no access keys")),
	baseline.ReasonRootKeysPresent:  fixed(locale.M("the root user has access keys; anyone holding one has full, unrestricted control of the account")),
	baseline.ReasonSignedAsRoot:     fixed(locale.M(" (this run signs as root: AWS CloudShell does that without any root access key)")),
	baseline.ReasonRootKeysDelete:   fixed(locale.M("the root user has access keys; anyone holding one has full control of the account")),
	baseline.ReasonRootKeyInUseOnly: fixed(locale.M("the only root access key to delete signs this run: it is deleted as the last step")),
	baseline.ReasonRootKeyInUseLast: fixed(locale.M("; the key this run signs with is deleted as the last step")),
	baseline.ReasonRootKeysKept: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("; kept at your request: %s", strings.Join(r.Keys, ", "))
	},
	baseline.ReasonRootKeyInUseDelete: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("deleted last, once every other step succeeded: this run's credentials then stop working; "+
			"sign in as %q at %s, or as root with its password", r.User, r.URL)
	},
	baseline.ReasonRootMFAEnabled: fixed(locale.M("MFA is enabled for the root user")),
	baseline.ReasonRootMFAMissing: fixed(locale.M("the root user has no MFA; AWS offers no API to enable it, only the console")),
	baseline.ReasonGroupMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("group %q does not exist", r.Group)
	},
	baseline.ReasonGroupReady: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("group %q exists with %s attached", r.Group, r.Policy)
	},
	baseline.ReasonGroupNoPolicy: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("group %q exists without %s", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFAMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("nothing requires MFA of group %q's users: with a password or an access key alone they act as administrators", r.Group)
	},
	baseline.ReasonRequireMFAReady: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("group %q requires MFA (policy %s as the baseline has it)", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFADiffers: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("group %q's policy %s differs from the baseline's; it is replaced (lines marked - go, + come)", r.Group, r.Policy)
	},
	baseline.ReasonRequireMFASkipped: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("skipped (%s): group %q's users can act without MFA", "--"+flagRequireMFA+"=false", r.Group)
	},
	baseline.ReasonRequireMFAPolicyLeft: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("; the policy %s already there is left as it is", r.Policy)
	},
	baseline.ReasonCallerWithoutMFA: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("; WARNING: this run signs as IAM user %q, in group %q, with an access key, which never carries MFA: "+
			"once the policy is in force, everything but getting MFA is denied to it, this run's remaining requests included; "+
			"sign in with an MFA session (aws sts get-session-token) or confirm with %s", r.User, r.Group, "--"+flagConfirmRequireMFA)
	},
	baseline.ReasonCallerMaybeWithoutMFA: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("; WARNING: this run signs as IAM user %q, in group %q: unless this session was made with MFA, "+
			"everything but getting MFA is denied to it once the policy is in force, this run's remaining requests included; "+
			"confirm that it has MFA with %s", r.User, r.Group, "--"+flagConfirmRequireMFA)
	},
	baseline.ReasonRequireMFANotCovered: func(tr locale.Printer, r baseline.Reason) string {
		principal := r.Principal
		if principal == baseline.RootPrincipal {
			principal = tr.T("the root user")
		}
		return tr.T("; it reaches only the group's IAM users: this run signs as %s, which it does not cover "+
			"(nor any role, the root user, or a user outside the group)", principal)
	},
	baseline.ReasonUserMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("user %q does not exist", r.User)
	},
	baseline.ReasonUserReady: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("user %q exists, has a console password and is in group %q", r.User, r.Group)
	},
	baseline.ReasonNoLoginProfile:     fixed(locale.M("it has no console password")),
	baseline.ReasonPasswordResetAsked: fixed(locale.M("a new temporary password was asked for (%s)", "--"+flagResetPassword)),
	baseline.ReasonNotInGroup: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("it is not in group %q", r.Group)
	},
	baseline.ReasonPasswordKept: fixed(locale.M("; its console password is left as it is (%s sets a new temporary one)", "--"+flagResetPassword)),
	baseline.ReasonTemporaryPasswordKept: fixed(locale.M("; its temporary console password is left as it is; it was never used to sign in, so if nobody has it "+
		"(an earlier run may have stopped before handing it over), %s sets a new one", "--"+flagResetPassword)),
	baseline.ReasonPolicyMissing:      fixed(locale.M("the account has no password policy (AWS's default applies: 8 characters, 3 of 4 character classes)")),
	baseline.ReasonPolicyMeets:        fixed(locale.M("the password policy in force already meets the baseline")),
	baseline.ReasonPolicyStricter:     fixed(locale.M("the password policy in force is as strict or stricter than asked; the stricter values are kept")),
	baseline.ReasonPolicyWeaker:       fixed(locale.M("the password policy in force is weaker than the baseline")),
	baseline.ReasonPolicyWeakened:     fixed(locale.M("the password policy is replaced as asked, weakening some values (%s)", "--"+flagAllowWeakerPasswordPolicy)),
	baseline.ReasonPolicyStricterKept: fixed(locale.M("; stricter values already in force are kept")),
	baseline.ReasonMFAPresent: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("user %q already has an MFA device", r.User)
	},
	baseline.ReasonMFASkipped: fixed(locale.M("skipped (%s); the user has no MFA device", "--"+flagSkipMFA)),
	baseline.ReasonMFAMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("user %q has no MFA device", r.User)
	},
	baseline.ReasonMFAReenroll: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("a new virtual MFA device replaces user %q's (%s): the old one is deleted only once the new one is enabled", r.User, "--"+flagReenrollMFA)
	},
	baseline.ReasonMFAReenrollFinish: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("user %q holds several virtual MFA devices, as a re-enrollment that stopped before deleting the old one leaves them (%s): the one enabled last, %s, is kept",
			r.User, "--"+flagReenrollMFA, strings.Join(r.Keys, ", "))
	},
	baseline.ReasonMFANameTaken: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the virtual MFA device name %q is taken by the device of user %q, so none can be created under it; choose another with %s",
			r.Asked, r.User, "--"+flagMFADeviceName)
	},
	baseline.ReasonAliasNotAsked: fixed(locale.M("no alias asked for (%s); the sign-in URL uses the account ID", "--"+flagAccountAlias)),
	baseline.ReasonAliasIs: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the account alias is %q", r.Alias)
	},
	baseline.ReasonAliasAlready: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the account alias is already %q", r.Alias)
	},
	baseline.ReasonAliasReplaces: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the account's alias %q is replaced by %q: its sign-in URL %s stops working", r.Alias, r.Asked, r.URL)
	},
	baseline.ReasonAliasMissing: fixed(locale.M("the account has no alias")),
	baseline.ReasonSignInURL: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("IAM users sign in at %s", r.URL)
	},
	baseline.ReasonContactNotAsked: fixed(locale.M("no security contact asked for (%s and the other --security-contact-* flags); the account's contact is left as it is", "--"+flagContactEmail)),
	baseline.ReasonContactIs: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the security contact is %s", r.Contact)
	},
	baseline.ReasonContactAlready: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the security contact is already %s, as asked", r.Contact)
	},
	baseline.ReasonContactDiffers: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("the security contact is %s; it is replaced with %s as asked", r.Contact, r.Asked)
	},
	baseline.ReasonContactMissing:   fixed(locale.M("the account has no security contact")),
	baseline.ReasonAnalyzerNotAsked: fixed(locale.M("no analyzers asked for (%s); the regions are not read or changed", "--"+flagAccessAnalyzer)),
	baseline.ReasonAnalyzerEverywhere: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("each of the %d enabled region(s) already has an active analyzer", r.Regions)
	},
	baseline.ReasonAnalyzerMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("%d enabled region(s) have no active external-access analyzer: %s", r.Regions, strings.Join(r.Keys, ", "))
	},
	baseline.ReasonSupportRoleNotAsked: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("no support role asked for (%s NAME creates one with %s)", "--"+flagSupportRole, r.Policy)
	},
	baseline.ReasonSupportRoleMissing: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("role %q does not exist", r.Role)
	},
	baseline.ReasonSupportRoleNoPolicy: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("role %q exists without %s; its trust policy is left as it is", r.Role, r.Policy)
	},
	baseline.ReasonSupportRoleReady: func(tr locale.Printer, r baseline.Reason) string {
		return tr.T("role %q already has %s", r.Role, r.Policy)
	},
}

// fixed words a reason that needs none of its data.
func fixed(m locale.Msg) func(locale.Printer, baseline.Reason) string {
	return func(tr locale.Printer, _ baseline.Reason) string { return tr.Msg(m) }
}

// wordReason words one reason; an unknown code is shown as itself rather
// than hidden.
func wordReason(tr locale.Printer, r baseline.Reason) string {
	if r.Code == baseline.ReasonUserIncomplete {
		// Worded here, not in reasonWords: it words the reasons it holds.
		lacks := make([]string, 0, len(r.Lacks))
		for _, l := range r.Lacks {
			lacks = append(lacks, wordReason(tr, l))
		}
		return tr.T("user %q exists but %s", r.User, strings.Join(lacks, tr.T(" and ")))
	}
	if w, ok := reasonWords[r.Code]; ok {
		return w(tr, r)
	}
	return string(r.Code)
}

// wordReasons words a change's reasons as one sentence.
func wordReasons(tr locale.Printer, c baseline.Change) string {
	var b strings.Builder
	for _, r := range c.Reasons {
		b.WriteString(wordReason(tr, r))
	}
	return b.String()
}

// stepTitle words a step's title from its subject.
func stepTitle(tr locale.Printer, step baseline.StepID, s baseline.Subject) string {
	switch step {
	case baseline.StepRootAccessKeys:
		return tr.T("Root user access keys")
	case baseline.StepRootMFA:
		return tr.T("Root user MFA")
	case baseline.StepAdminGroup:
		return tr.T("Group %q with %s", s.Group, s.Policy)
	case baseline.StepAdminUser:
		return tr.T("User %q with a console password, in group %q", s.User, s.Group)
	case baseline.StepSupportRole:
		if s.Role == "" {
			return tr.T("Support role with %s", s.Policy)
		}
		return tr.T("Role %q with %s", s.Role, s.Policy)
	case baseline.StepSecurityContact:
		return tr.T("Security contact")
	case baseline.StepAccessAnalyzer:
		return tr.T("IAM Access Analyzer in every enabled region")
	case baseline.StepRequireMFA:
		return tr.T("Group %q requires MFA (inline policy %s)", s.Group, s.Policy)
	case baseline.StepPasswordPolicy:
		return tr.T("Account password policy")
	case baseline.StepUserMFA:
		return tr.T("Virtual MFA device for %q", s.User)
	case baseline.StepAccountAlias:
		return tr.T("Account alias")
	case baseline.StepSignInURL:
		return tr.T("Sign-in URL for IAM users")
	case baseline.StepRootAccessKeyInUse:
		return tr.T("Root access key this run signs with")
	}
	return string(step)
}

// manualSteps are the change's manual steps, with the CLI's offer to do the
// step itself where it can.
func manualSteps(tr locale.Printer, p baseline.Plan, c baseline.Change) []string {
	steps := tr.Msgs(c.ManualSteps)
	if c.Step == baseline.StepRootAccessKeys && c.Action == baseline.ActionManual && p.Account.IsRoot {
		steps = append(steps,
			tr.T("or let this tool delete them: apply %s (the key this run signs with goes last)", "--"+flagDeleteRootAccessKeys))
	}
	return steps
}

// actionWord words an action in the text plan (the JSON plan keeps the
// action's code).
func actionWord(tr locale.Printer, a baseline.Action) string {
	switch a {
	case baseline.ActionCreate:
		return tr.T("create")
	case baseline.ActionUpdate:
		return tr.T("update")
	case baseline.ActionDelete:
		return tr.T("delete")
	case baseline.ActionNone:
		return tr.T("none")
	case baseline.ActionManual:
		return tr.T("manual")
	case baseline.ActionSkip:
		return tr.T("skip")
	}
	return string(a)
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

// writePlanText renders the plan for people, wrapped at words to width
// columns (0: not wrapped), each continuation under the text it continues.
func writePlanText(w io.Writer, tr locale.Printer, p baseline.Plan, color bool, width int) error {
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
	who := tr.T("an IAM principal")
	if p.Account.IsRoot {
		who = tr.T("the root user")
	}
	header := tr.T("Account %s (partition %s), signed in as %s", p.Account.ID, p.Account.Partition, who)
	if p.Account.CallerARN != "" {
		header += fmt.Sprintf(" (%s)", p.Account.CallerARN)
	}
	b.WriteString(textwrap.Hanging("", "  ", header, width) + "\n\n")
	const markWidth = 9 // "+ create " and the like: the title's column
	counts := map[baseline.Action]int{}
	for _, c := range p.Changes {
		counts[c.Action]++
		style := styles[c.Action]
		mark := symbol(c.Action) + " " + locale.PadRight(actionWord(tr, c.Action), 6)
		b.WriteString(textwrap.Hanging(style.Render(mark)+" ", strings.Repeat(" ", markWidth), bold.Render(stepTitle(tr, c.Step, c.Subject)), width) + "\n")
		if reason := wordReasons(tr, c); reason != "" {
			b.WriteString(textwrap.Hanging("    ", "    ", reason, width) + "\n")
		}
		for _, d := range tr.Msgs(c.Details) {
			b.WriteString(textwrap.Hanging("      "+style.Render("·")+" ", "        ", d, width) + "\n")
		}
		for i, m := range manualSteps(tr, p, c) {
			n := fmt.Sprintf("      %d. ", i+1)
			b.WriteString(textwrap.Hanging(n, strings.Repeat(" ", len(n)), m, width) + "\n")
		}
	}
	b.WriteString("\n")
	b.WriteString(textwrap.Words(tr.T("Plan: %d to create, %d to update, %d to delete, %d unchanged, %d manual, %d skipped.",
		counts[baseline.ActionCreate], counts[baseline.ActionUpdate], counts[baseline.ActionDelete],
		counts[baseline.ActionNone], counts[baseline.ActionManual], counts[baseline.ActionSkip]), width))
	b.WriteString("\n")
	if p.Pending() == 0 {
		done := tr.T("No changes: the account already has the baseline.")
		if counts[baseline.ActionManual] > 0 {
			done = tr.T("No changes: the account already has the baseline, apart from the manual steps above.")
		}
		b.WriteString(textwrap.Words(done, width) + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonPlan is the JSON plan (docs/plan-format.md, format_version
// baseline.PlanFormatVersion): the plan with its titles and reasons worded,
// always in English: machine output never changes with the locale.
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
			Step: c.Step, Title: stepTitle(locale.English, c.Step, c.Subject), Action: c.Action,
			Reason: wordReasons(locale.English, c), Before: c.Before, After: c.After, Details: locale.English.Msgs(c.Details),
			ManualSteps: manualSteps(locale.English, p, c),
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
