package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

const (
	e2eRootKey   = "AKIAROOTKEYINUSE0001"
	e2eSpareKey  = "AKIAROOTKEYSPARE0002"
	e2eAccountID = "210987654321"
)

// rootKeysHarness signs as root with e2eRootKey; root also has e2eSpareKey.
// No other key signs as root, so a deleted key stops working.
func rootKeysHarness(t *testing.T) *statusHarness {
	h := newStatusHarness(t, iamsim.AccountConfig{ID: e2eAccountID, RootAccessKeyIDs: []string{e2eRootKey, e2eSpareKey}})
	h.key = e2eRootKey
	return h
}

func TestApplyDeletesRootKeysLast(t *testing.T) {
	h := rootKeysHarness(t)
	// Dry run first: the plan shows both deletions, the key in use last,
	// and changes nothing.
	code, js, stderr := h.run("plan", "--skip-mfa", "--output", "json", "--delete-root-access-keys")
	if code != ExitOK {
		t.Fatalf("plan: exit %d\n%s", code, stderr)
	}
	var plan struct {
		Changes []struct {
			Step    string   `json:"step"`
			Action  string   `json:"action"`
			Details []string `json:"details"`
		} `json:"changes"`
	}
	if err := json.Unmarshal([]byte(js), &plan); err != nil {
		t.Fatal(err)
	}
	last := plan.Changes[len(plan.Changes)-1]
	if plan.Changes[0].Action != "delete" || last.Step != string(baseline.StepRootAccessKeyInUse) || last.Action != "delete" ||
		!strings.Contains(strings.Join(last.Details, " "), e2eRootKey) {
		t.Fatalf("plan changes %+v", plan.Changes)
	}
	if n := len(h.srv.Sim.MutatingRequests()); n != 0 {
		t.Fatalf("plan made %d mutating requests", n)
	}

	pw := filepath.Join(t.TempDir(), "password")
	code, out, stderr := h.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", pw, "--delete-root-access-keys")
	if code != ExitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	muts := h.srv.Sim.MutatingRequests()
	if end := muts[len(muts)-1]; end.Action != "DeleteAccessKey" || end.Params["AccessKeyId"] != e2eRootKey {
		t.Errorf("last mutating request %s %v, want the deletion of %s", end.Action, end.Params, e2eRootKey)
	}
	if !strings.Contains(out, "these credentials no longer work") || !strings.Contains(out, `sign in as "administrator"`) {
		t.Errorf("the summary does not say the credentials are gone:\n%s", out)
	}
	if _, err := os.Stat(pw); err != nil {
		t.Errorf("password file: %v", err)
	}
	// The key this run signed with is gone.
	if code, _, stderr := h.run("status"); code != ExitError || !strings.Contains(stderr, "InvalidClientTokenId") {
		t.Errorf("status with the deleted key: exit %d, %s", code, stderr)
	}
}

func TestRootKeysWithoutTheFlagAreManualAndNotPending(t *testing.T) {
	h := rootKeysHarness(t)
	pw := filepath.Join(t.TempDir(), "password")
	if code, out, stderr := h.run("apply", "--non-interactive", "--yes", "--skip-mfa", "--password-file", pw); code != ExitOK {
		t.Fatalf("apply: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, m := range h.srv.Sim.MutatingRequests() {
		if m.Action == "DeleteAccessKey" {
			t.Fatalf("a root key was deleted without --delete-root-access-keys: %v", m.Params)
		}
	}
	code, out, _ := h.run("plan", "--skip-mfa", "--detailed-exitcode")
	if code != ExitOK {
		t.Errorf("plan --detailed-exitcode: exit %d, want 0 (manual root keys are not pending)\n%s", code, out)
	}
}
