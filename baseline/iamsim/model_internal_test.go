package iamsim

import (
	"bytes"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim/internal/model"
)

// model_gen.go is what the models in testdata/model say: after refreshing
// them (a new SDK or botocore), this fails until `go generate` is run, and
// the tests below then show where iamsim and the new model disagree.
func TestModelMatchesGeneratedRules(t *testing.T) {
	want, err := model.Generate("testdata/model")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("model_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("model_gen.go is stale: run `go generate ./baseline/iamsim`")
	}
}

// Every action iamsim answers has a model, and every modelled action is
// answered: an action added to either side alone fails here.
func TestModelCoversEveryAction(t *testing.T) {
	s := New(Options{})
	implemented := map[string]bool{}
	for a := range s.iamActions {
		implemented["iam:"+a] = true
	}
	for a := range s.stsActions {
		implemented["sts:"+a] = true
	}
	var missing, extra []string
	for a := range implemented {
		if _, ok := modelOperations[a]; !ok {
			missing = append(missing, a)
		}
	}
	for a := range modelOperations {
		if !implemented[a] {
			extra = append(extra, a)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Fatalf("implemented without a model (refresh with -add): %v; modelled but not implemented: %v", missing, extra)
	}
}

// Every pattern compiles for Go, except those a hand-written check covers.
func TestModelPatternsCompile(t *testing.T) {
	shapes := map[string]string{}
	for _, op := range modelOperations {
		for _, m := range op.Members {
			if m.Pattern != "" && modelPatterns[m.Pattern] == nil {
				shapes[m.Shape] = m.Pattern
			}
		}
	}
	for shape, p := range shapes {
		if _, ok := handCheckedPatterns[shape]; !ok {
			t.Errorf("pattern of %s does not compile in Go and has no hand check: %s", shape, p)
		}
	}
	for shape := range handCheckedPatterns {
		if _, ok := shapes[shape]; !ok {
			t.Errorf("%s is listed as hand-checked but its pattern compiles now: drop the hand check", shape)
		}
	}
}

// iamsim answers each documented error with the status the model gives it.
func TestModelErrorStatus(t *testing.T) {
	for code, status := range modelErrorStatus {
		if got := statusForCode(code); got != status {
			t.Errorf("%s: iamsim answers HTTP %d, the model says %d", code, got, status)
		}
	}
}

// The Java patterns translate to the same language in Go.
func TestJavaToRE2(t *testing.T) {
	for _, c := range []struct {
		pattern, value string
		match          bool
	}{
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, "a\nb\tÿ", true},
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, "a\x01", false},
		{`[\u0009\u000A\u000D\u0020-\u00FF]+`, "Ā", false},
		{`[\w+=,.@-]+`, "bad name", false},
		{`(\u002F)|(\u002F[\u0021-\u007F]+\u002F)`, "/a/b/", true},
		{`(\u002F)|(\u002F[\u0021-\u007F]+\u002F)`, "/a", false},
		{`((/[A-Za-z0-9\.,\+@=_-]+)*)/`, "/a~b/", false},
		{`v[1-9][0-9]*(\.[A-Za-z0-9-]*)?`, "v0", false},
	} {
		re, err := javaToRE2(c.pattern)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if re.MatchString(c.value) != c.match {
			t.Errorf("%s on %q: want %v", c.pattern, c.value, c.match)
		}
	}
	if _, err := javaToRE2(`^[a-z0-9](([a-z0-9]|-(?!-))*[a-z0-9])?$`); err == nil || !strings.Contains(err.Error(), "?!") {
		t.Errorf("lookahead compiled: %v", err)
	}
}

// post sends one Query request to s as the default account's root.
func post(s *Sim, form url.Values) (int, string) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+DefaultRootAccessKeyID+"/20260301/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// For every modelled string member with a maximum length, a value of that
// length is never refused for its length or pattern by iamsim, and one
// character more always is: a hand-written check stricter or looser than
// the model fails here.
func TestModelLengthsHold(t *testing.T) {
	s := New(Options{})
	checked := 0
	for name, op := range modelOperations {
		service, action, _ := strings.Cut(name, ":")
		version := map[string]string{"iam": iamVersion, "sts": stsVersion}[service]
		for _, m := range op.Members {
			if m.Type != "string" || !m.HasMax || m.Max > 4096 || len(m.Enum) > 0 || m.List {
				continue
			}
			fill := fillFor(m)
			if fill == nil {
				continue
			}
			member := "'" + lowerFirst(m.Name) + "'"
			checked++
			for _, n := range []int64{m.Max, m.Max + 1} {
				code, raw := post(s, url.Values{"Action": {action}, "Version": {version}, m.Name: {fill(int(n))}})
				body := html.UnescapeString(raw)
				refused := code == http.StatusBadRequest && strings.Contains(body, "<Code>ValidationError</Code>") && strings.Contains(body, member) &&
					(strings.Contains(body, "length") || strings.Contains(body, "pattern"))
				if refused != (n > m.Max) {
					t.Errorf("%s %s of %d characters (model max %d): %d %s", name, m.Name, n, m.Max, code, body)
				}
			}
		}
	}
	t.Logf("%d members checked at their maximum length", checked)
}

// fillFor returns a maker of values of a given length that match m's
// pattern (names, paths, path prefixes), or nil when none of its shapes does.
func fillFor(m modelMember) func(n int) string {
	for _, f := range []func(n int) string{
		func(n int) string { return strings.Repeat("a", n) },
		func(n int) string { return "/" + strings.Repeat("a", n-2) + "/" },
		func(n int) string { return "/" + strings.Repeat("a", n-1) },
	} {
		re := modelPatterns[m.Pattern]
		if m.Pattern == "" || re != nil && re.MatchString(f(int(m.Max))) && re.MatchString(f(int(m.Max)+1)) {
			return f
		}
	}
	return nil
}
