package permissions_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/permissions"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// methods lists the methods of interface types: the SDK names each client
// method after its API action.
func methods(ifaces ...reflect.Type) []string {
	var out []string
	for _, t := range ifaces {
		for i := 0; i < t.NumMethod(); i++ {
			out = append(out, t.Method(i).Name)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func typeOf[T any]() reflect.Type { return reflect.TypeOf((*T)(nil)).Elem() }

// TestActionsAreWhatTheCodeCalls holds the list to the client interfaces the
// engine, the MFA enrollment and the audit are given: a call added there
// without a permission here (or a permission nothing calls) fails.
func TestActionsAreWhatTheCodeCalls(t *testing.T) {
	called := methods(typeOf[baseline.IAMAPI](), typeOf[mfa.IAMAPI](), typeOf[audit.IAMAPI]())
	var listed []string
	for _, a := range permissions.Actions() {
		if strings.HasPrefix(a, "iam:") {
			listed = append(listed, strings.TrimPrefix(a, "iam:"))
		}
	}
	for _, m := range called {
		if slices.Contains(permissions.RootOnly(), m) {
			continue // signed by root, whom no policy restricts
		}
		if !slices.Contains(listed, m) {
			t.Errorf("the tool calls iam:%s but the policy does not allow it", m)
		}
	}
	for _, a := range listed {
		if with, ok := permissions.Implied()[a]; ok && slices.Contains(called, with) {
			continue // needed by the call it comes with
		}
		if !slices.Contains(called, a) {
			t.Errorf("the policy allows iam:%s but no client interface calls it", a)
		}
	}
	for service, iface := range map[string][]reflect.Type{"account": {typeOf[audit.AccountAPI](), typeOf[baseline.AccountAPI]()}, "access-analyzer": {typeOf[audit.AccessAnalyzerAPI](), typeOf[baseline.AccessAnalyzerAPI]()}} {
		for _, m := range methods(iface...) {
			if !slices.Contains(permissions.Actions(), service+":"+m) {
				t.Errorf("the tool calls %s:%s but the policy does not allow it", service, m)
			}
		}
	}
	if got, want := methods(typeOf[baseline.RootKeysAPI]()), permissions.RootOnly(); !slices.Equal(got, sorted(want)) {
		t.Errorf("root key calls %v, RootOnly %v", got, want)
	}
	for _, m := range methods(typeOf[baseline.STSAPI](), typeOf[audit.STSAPI]()) {
		if !slices.Contains(permissions.NoPermissionNeeded(), "sts:"+m) {
			t.Errorf("sts:%s is called but not accounted for", m)
		}
	}
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestDocumentIsAValidPolicyWithEachActionOnce(t *testing.T) {
	var doc struct {
		Version   string
		Statement []struct {
			Sid, Effect, Resource string
			Action                []string
		}
	}
	if err := json.Unmarshal(permissions.Document().JSON(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != "2012-10-17" || len(doc.Statement) != len(permissions.Groups()) {
		t.Fatalf("document %+v", doc)
	}
	seen := map[string]string{}
	for _, st := range doc.Statement {
		if st.Effect != "Allow" || st.Resource != "*" || st.Sid == "" || len(st.Action) == 0 {
			t.Errorf("statement %+v", st)
		}
		for _, a := range st.Action {
			service, _, _ := strings.Cut(a, ":")
			if !slices.Contains([]string{"iam", "account", "access-analyzer"}, service) || strings.ContainsAny(a, "*?") {
				t.Errorf("action %q: want an exact iam:, account: or access-analyzer: action", a)
			}
			if other, dup := seen[a]; dup {
				t.Errorf("%s is in both %s and %s", a, other, st.Sid)
			}
			seen[a] = st.Sid
		}
	}
	if len(seen) != len(permissions.Actions()) {
		t.Errorf("document has %d actions, Actions %d", len(seen), len(permissions.Actions()))
	}
	for _, g := range permissions.Groups() {
		if g.Purpose.IsZero() {
			t.Errorf("group %s has no purpose", g.Sid)
		}
	}
}

func TestDocumentWithout(t *testing.T) {
	full := permissions.Document()
	less := permissions.Document("iam:CreateUser", "iam:CreateVirtualMFADevice", "iam:TagMFADevice", "iam:ListMFADeviceTags", "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:DeleteVirtualMFADevice", "iam:DeactivateMFADevice")
	count := func(p permissions.Policy) (n int, has bool) {
		for _, st := range p.Statement {
			n += len(st.Action)
			has = has || slices.Contains(st.Action, "iam:CreateUser")
		}
		return n, has
	}
	n, has := count(full)
	m, hasLess := count(less)
	if !has || hasLess || m != n-8 || len(less.Statement) != len(full.Statement)-1 {
		t.Fatalf("full %d actions (CreateUser %v), without eight %d (CreateUser %v), statements %d -> %d", n, has, m, hasLess, len(full.Statement), len(less.Statement))
	}
}
