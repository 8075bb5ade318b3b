package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/permissions"
)

type rootJSON struct {
	Stage  string `json:"stage"`
	Enable struct {
		TrustIAM bool `json:"trust_iam"`
		Sessions bool `json:"enable_root_sessions"`
	} `json:"enable"`
	Accounts []struct {
		ID         string   `json:"id"`
		AccessKeys []string `json:"root_access_keys"`
		Unknown    bool     `json:"unknown"`
		Error      string   `json:"error"`
	} `json:"accounts"`
}

func (h *orgHarness) rootRun(wantCode int, args ...string) rootJSON {
	h.t.Helper()
	code, stdout, stderr := h.run(append([]string{"apply", "--organization", "--output", "json"}, args...)...)
	if code != wantCode {
		h.t.Fatalf("%v: exit %d, want %d; stderr:\n%s", args, code, wantCode, stderr)
	}
	var out rootJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		h.t.Fatalf("%v\n%s", err, stdout)
	}
	return out
}

// withRootKeys are the generated active members holding root access keys.
func (h *orgHarness) withRootKeys() []string {
	var ids []string
	for _, m := range h.members {
		if len(m.RootAccessKeyIDs) > 0 && !m.Member.Suspended {
			ids = append(ids, m.ID)
		}
	}
	return ids
}

func keysOf(out rootJSON) []string {
	var ids []string
	for _, a := range out.Accounts {
		if len(a.AccessKeys) > 0 {
			ids = append(ids, a.ID)
		}
	}
	return ids
}

// Root key deletion across accounts: a dry run with centralized root access
// off plans to enable it and writes nothing; apply enables it and deletes
// every member's root keys (a member without the access role included:
// AssumeRoot needs no role); a re-run plans nothing and writes nothing.
func TestOrganizationRootKeysPlanApplyRerun(t *testing.T) {
	h := newOrgHarness(t, 40)
	want := h.withRootKeys()
	h.srv.Sim.ResetLog()
	plan := h.rootRun(0, "--dry-run")
	if plan.Stage != "plan" || !plan.Enable.TrustIAM || !plan.Enable.Sessions {
		t.Fatalf("the plan does not enable centralized root access: %+v", plan)
	}
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Fatalf("the dry run wrote: %+v", m[0])
	}
	applied := h.rootRun(0, "--yes")
	if applied.Stage != "applied" || !slices.Equal(keysOf(applied), want) {
		t.Fatalf("deleted keys in %v, want %v", keysOf(applied), want)
	}
	if !slices.Contains(want, "210000000003") {
		t.Fatal("member 3 was generated with a root key")
	}
	h.srv.Sim.ResetLog()
	again := h.rootRun(0, "--dry-run")
	if got := keysOf(again); len(got) != 0 || again.Enable.TrustIAM || again.Enable.Sessions {
		t.Fatalf("after apply the plan still has keys in %v or features %+v", got, again.Enable)
	}
	h.rootRun(0, "--yes")
	if m := h.srv.Sim.MutatingRequests(); len(m) != 0 {
		t.Fatalf("the re-run wrote: %s", m[0].Action)
	}
	// The plan reads through audit sessions, the deletions through delete
	// sessions only.
	for _, e := range h.srv.Sim.Log() {
		if e.Action == "AssumeRoot" && !strings.HasSuffix(e.Params["TaskPolicyArn.arn"], "IAMAuditRootUserCredentials") {
			t.Fatalf("a run without anything to delete opened %s", e.Params["TaskPolicyArn.arn"])
		}
	}
}

// A deletion that fails in one account is reported for that account with
// exit 1; the others are done, and a re-run finishes the rest.
func TestOrganizationRootKeysPartialFailure(t *testing.T) {
	h := newOrgHarness(t, 40)
	want := h.withRootKeys()
	h.srv.Sim.AddFault(iamsim.Fault{Action: "DeleteAccessKey", Nth: 2, Code: "AccessDenied", Message: "an SCP denies it"})
	first := h.rootRun(ExitError, "--yes")
	var failed []string
	for _, a := range first.Accounts {
		if a.Error != "" && !strings.Contains(a.Error, "not active") {
			failed = append(failed, a.ID)
			if !strings.Contains(a.Error, "an SCP denies it") {
				t.Errorf("%s: error %q does not say why", a.ID, a.Error)
			}
		}
	}
	if len(failed) != 1 || len(keysOf(first)) != len(want)-1 {
		t.Fatalf("failed %v, deleted in %d accounts; want 1 failed, %d deleted", failed, len(keysOf(first)), len(want)-1)
	}
	h.srv.Sim.ClearFaults()
	second := h.rootRun(0, "--yes")
	if got := keysOf(second); !slices.Equal(got, failed) {
		t.Fatalf("the re-run deleted keys in %v, want only %v", got, failed)
	}
}

// Flags that would build a baseline in members are refused with
// --organization, before any request, and apply needs --yes.
func TestOrganizationApplyRefusesSingleAccountFlags(t *testing.T) {
	h := newOrgHarness(t, 6)
	h.srv.Sim.ResetLog()
	for _, args := range [][]string{{"--user", "alice"}, {"--group", "ops"}, {"--delete-root-access-keys"}, {}} {
		code, _, stderr := h.run(append([]string{"apply", "--organization"}, args...)...)
		if code != ExitUsage {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
		if len(args) > 0 && !strings.Contains(stderr, "IAM Identity Center") {
			t.Errorf("%v: %q does not point to IAM Identity Center", args, stderr)
		}
	}
	if n := len(h.srv.Sim.Log()); n != 0 {
		t.Fatalf("%d requests before the flags were checked", n)
	}
}

// orgPolicy is what `policy --organization` prints with args.
func orgPolicy(t *testing.T, args ...string) permissions.Policy {
	t.Helper()
	var out bytes.Buffer
	if code := run(context.Background(), newTestEnv(&out, io.Discard), append([]string{"iam-baseline", "policy", "--organization"}, args...)); code != 0 {
		t.Fatalf("policy --organization %v: exit %d", args, code)
	}
	var doc permissions.Policy
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// grant attaches p to the management account's user ops.
func grant(p permissions.Policy) func(*iam.Client) error {
	return func(root *iam.Client) error {
		_, err := root.PutUserPolicy(context.Background(), &iam.PutUserPolicyInput{UserName: aws.String("ops"),
			PolicyName: aws.String("iam-baseline"), PolicyDocument: aws.String(string(p.JSON()))})
		return err
	}
}

// What `policy --organization` prints is enough for status and apply with
// --organization, and each statement is needed.
func TestOrganizationPolicyIsEnough(t *testing.T) {
	doc := orgPolicy(t)
	h := newOrgHarnessAs(t, 12, grant(doc))
	if code, _, stderr := h.run("status", "--organization"); code != ExitFindings || strings.Contains(stderr, "error") {
		t.Fatalf("status as the policy allows: exit %d\n%s", code, stderr)
	}
	if applied := h.rootRun(0, "--yes"); !slices.Equal(keysOf(applied), h.withRootKeys()) {
		t.Fatalf("apply as the policy allows deleted keys in %v, want %v", keysOf(applied), h.withRootKeys())
	}
	for i := range doc.Statement {
		less := doc
		less.Statement = slices.Delete(slices.Clone(doc.Statement), i, i+1)
		h := newOrgHarnessAs(t, 6, grant(less))
		code, _, _ := h.run("apply", "--organization", "--yes")
		scode, sout, _ := h.run("status", "--organization", "--output", "json")
		if code == 0 && scode == ExitFindings && !strings.Contains(sout, "AccessDenied") {
			t.Errorf("without statement %s both commands still work", doc.Statement[i].Sid)
		}
	}
}

// policy --organization writes every ARN in the partition asked for, and in
// an organization of aws-cn or aws-us-gov that policy is enough for status
// (root read through root sessions) and apply, where the commercial one
// enters no member. An unknown partition is a usage error.
func TestOrganizationPolicyPartitions(t *testing.T) {
	for _, partition := range []string{"aws-cn", "aws-us-gov"} {
		doc := orgPolicy(t, "--partition", partition)
		arns := 0
		for _, st := range doc.Statement {
			values := []string{st.Resource}
			for _, byKey := range st.Condition {
				for _, v := range byKey {
					values = append(values, v...)
				}
			}
			for _, v := range values {
				if strings.HasPrefix(v, "arn:") {
					arns++
					if !strings.HasPrefix(v, "arn:"+partition+":") {
						t.Errorf("%s: %s in statement %s", partition, v, st.Sid)
					}
				}
			}
		}
		if arns < 4 {
			t.Fatalf("%s: %d ARNs in the policy, want the role, root and both task policies", partition, arns)
		}
		h := newOrgHarnessIn(t, partition, 6, grant(doc))
		h.enableRootAccess()
		h.srv.Sim.ResetLog()
		code, stdout, stderr := h.run("status", "--organization", "--output", "json")
		if code != ExitFindings || strings.Contains(stdout, "root session (sts:AssumeRoot)") {
			t.Fatalf("%s: status as the policy allows: exit %d\n%s%s", partition, code, stdout, stderr)
		}
		var got orgJSON
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		for i, a := range got.Accounts {
			if m := h.members[i].Member; a.Error != "" && !m.Suspended && m.AccessRole {
				t.Errorf("%s: %s not entered: %s", partition, a.ID, a.Error)
			}
		}
		sessions := 0
		for _, e := range h.srv.Sim.Log() {
			if e.Action == "AssumeRoot" && e.ErrorCode == "" {
				sessions++
			}
		}
		if sessions == 0 {
			t.Fatalf("%s: status opened no root session", partition)
		}
		if applied := h.rootRun(0, "--yes"); !slices.Equal(keysOf(applied), h.withRootKeys()) {
			t.Fatalf("%s: apply deleted keys in %v, want %v", partition, keysOf(applied), h.withRootKeys())
		}
		commercial := newOrgHarnessIn(t, partition, 6, grant(orgPolicy(t)))
		commercial.enableRootAccess()
		active := 0
		for _, m := range commercial.members {
			if !m.Member.Suspended {
				active++
			}
		}
		_, stdout, _ = commercial.run("status", "--organization", "--output", "json")
		_, plan, _ := commercial.run("apply", "--organization", "--dry-run", "--output", "json")
		if strings.Count(stdout, "is not authorized to perform: sts:AssumeRole on") != active ||
			strings.Count(plan, "is not authorized to perform: sts:AssumeRoot on") != active {
			t.Fatalf("%s: the aws partition's policy entered members:\n%s\n%s", partition, stdout, plan)
		}
	}
	code := run(context.Background(), newTestEnv(io.Discard, io.Discard), []string{"iam-baseline", "policy", "--organization", "--partition", "aws-eu"})
	if code != ExitUsage {
		t.Fatalf("--partition aws-eu: exit %d, want %d", code, ExitUsage)
	}
}
