package baseline

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/mfapolicy"
)

// The admin group's inline policy that makes MFA required, not just present
// (baseline/mfapolicy says what it denies and why inline). It needs only the
// group to exist, so it is written beside the group's other writes and the
// round-trip depth of an apply stays at 3.
func requireMFAStep() step {
	return step{id: StepRequireMFA, plan: planRequireMFA, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyRequireMFA(ctx, r)
	}}
}

// RequireMFA is the require-mfa step's view.
type RequireMFA struct {
	Group  string `json:"group"`
	Policy string `json:"policy"`
	// Document is the inline policy document, or "" when there is none.
	Document string `json:"document,omitempty"`
}

func planRequireMFA(in planInput) Change {
	spec, st := in.Spec, in.State
	c := Change{
		Step:    StepRequireMFA,
		Subject: Subject{Group: spec.GroupName, Policy: mfapolicy.Name},
	}
	want := mfapolicy.Document(in.Partition)
	if st.GroupMFAPolicy != nil {
		c.Before = RequireMFA{Group: spec.GroupName, Policy: mfapolicy.Name, Document: *st.GroupMFAPolicy}
	}
	if !spec.RequireMFA {
		c.Action = ActionSkip
		c.Reasons = []Reason{{Code: ReasonRequireMFASkipped, Group: spec.GroupName}}
		if st.GroupMFAPolicy != nil {
			c.Reasons = append(c.Reasons, Reason{Code: ReasonRequireMFAPolicyLeft, Policy: mfapolicy.Name})
		}
		return c
	}
	c.After = RequireMFA{Group: spec.GroupName, Policy: mfapolicy.Name, Document: want.JSON()}
	switch {
	case st.GroupMFAPolicy == nil:
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonRequireMFAMissing, Group: spec.GroupName}}
		c.Details = []locale.Msg{locale.M("put inline policy %s on group %s", mfapolicy.Name, spec.GroupName)}
	case want.Same(*st.GroupMFAPolicy):
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRequireMFAReady, Group: spec.GroupName, Policy: mfapolicy.Name}}
		return c
	default:
		c.Action = ActionUpdate
		c.Reasons = []Reason{{Code: ReasonRequireMFADiffers, Group: spec.GroupName, Policy: mfapolicy.Name}}
		// The diff's lines are JSON, the same in every language.
		for _, line := range documentDiff(*st.GroupMFAPolicy, want.JSON()) {
			c.Details = append(c.Details, locale.M("%s", line))
		}
	}
	c.Reasons = append(c.Reasons, callerReasons(st, spec)...)
	return c
}

// RootPrincipal is Reason.Principal when the root user signs the run: the
// JSON plan says it in English, views word it.
const RootPrincipal = "the root user"

// callerReasons say what the policy means for whoever signs this run:
// an IAM user in the group (or joining it as the admin user) is denied
// everything without MFA as soon as the policy is in force, this run's later
// requests included; a role or the root user is not covered by a group's
// policy at all.
func callerReasons(st State, spec Spec) []Reason {
	c := st.Caller
	switch {
	case c.IsRoot:
		return []Reason{{Code: ReasonRequireMFANotCovered, Principal: RootPrincipal}}
	case c.UserName == "":
		return []Reason{{Code: ReasonRequireMFANotCovered, Principal: c.ARN}}
	case !strings.EqualFold(c.UserName, spec.UserName) && !containsFold(st.GroupMembers, c.UserName):
		return nil
	case c.LongTermKey:
		return []Reason{{Code: ReasonCallerWithoutMFA, User: c.UserName, Group: spec.GroupName}}
	}
	return []Reason{{Code: ReasonCallerMaybeWithoutMFA, User: c.UserName, Group: spec.GroupName}}
}

// LocksOutCaller reports whether applying the plan may deny the caller's own
// requests: the caller is an IAM user the MFA policy covers and its session
// is not known to carry MFA. Apply needs the operator's confirmation then.
func (p Plan) LocksOutCaller() bool {
	c := p.Change(StepRequireMFA)
	if !c.Action.Mutates() {
		return false
	}
	for _, r := range c.Reasons {
		if r.Code == ReasonCallerWithoutMFA || r.Code == ReasonCallerMaybeWithoutMFA {
			return true
		}
	}
	return false
}

// documentDiff is a line diff of two policy documents, each indented with
// its keys sorted, so that only what means something differs.
func documentDiff(before, after string) []string {
	a, b := documentLines(before), documentLines(after)
	// Longest common subsequence, small documents: the table is fine.
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []string
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			i, j = i+1, j+1
		case j < len(b) && (i == len(a) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, "+ "+b[j])
			j++
		default:
			out = append(out, "- "+a[i])
			i++
		}
	}
	return out
}

func documentLines(doc string) []string {
	var v any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return strings.Split(doc, "\n")
	}
	b, _ := json.MarshalIndent(v, "", "  ") // decoded JSON: cannot fail
	return strings.Split(string(b), "\n")
}

func (a *applier) applyRequireMFA(ctx context.Context, r *stepRun) error {
	recent, err := a.entityExists(ctx, StepAdminGroup)
	if err != nil {
		return locale.Wrap(locale.M("putting policy %s on group %q: %v", mfapolicy.Name, a.groupName, err), err)
	}
	doc := mfapolicy.Document(a.plan.Account.Partition).JSON()
	_, err = a.deps.IAM.PutGroupPolicy(ctx, &iam.PutGroupPolicyInput{
		GroupName: aws.String(a.groupName), PolicyName: aws.String(mfapolicy.Name), PolicyDocument: aws.String(doc),
	}, waitOutConsistency(recent)...)
	if err != nil {
		return locale.Wrap(locale.M("putting policy %s on group %q: %v", mfapolicy.Name, a.groupName, err), err)
	}
	r.did = append(r.did, locale.M("put policy %s on group %s: requests without MFA are denied", mfapolicy.Name, a.groupName))
	return nil
}

// readGroupMFAPolicy is the document of the group's MFA policy, nil when the
// group or the policy does not exist. IAM returns it URL-encoded.
func readGroupMFAPolicy(ctx context.Context, api IAMAPI, group string) (*string, error) {
	out, err := api.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: aws.String(group), PolicyName: aws.String(mfapolicy.Name)})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	doc, err := url.QueryUnescape(aws.ToString(out.PolicyDocument))
	if err != nil {
		return nil, locale.Wrap(locale.M("decoding policy %s of group %q: %v", mfapolicy.Name, group, err), err)
	}
	return &doc, nil
}
