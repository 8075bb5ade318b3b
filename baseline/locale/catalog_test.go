package locale

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"golang.org/x/text/language"
)

// usedKeys finds every message the module words: the string literal first
// argument of each call of T (a Printer's) or M (a Msg), in non-test files.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	used := map[string]string{}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		if filepath.Dir(path) == filepath.Join(root, "baseline", "locale") {
			return nil // this package words the messages it is given
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			if !isMessageCall(call.Fun) {
				return true
			}
			key, ok := literal(call.Args[0])
			if !ok {
				t.Errorf("%s: a message key must be a string literal", fset.Position(call.Pos()))
				return true
			}
			used[key] = fset.Position(call.Pos()).String()
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

// literal is the value of a string literal or a sum of them.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		x, okx := literal(e.X)
		y, oky := literal(e.Y)
		return x + y, okx && oky && e.Op == token.ADD
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// isMessageCall: fun is x.T, M or locale.M.
func isMessageCall(fun ast.Expr) bool {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		return f.Sel.Name == "T" || f.Sel.Name == "M"
	case *ast.Ident:
		return f.Name == "M"
	}
	return false
}

func TestCatalogs(t *testing.T) {
	used := usedKeys(t)
	if len(used) == 0 {
		t.Fatal("no message found: the scan is broken")
	}
	for key, at := range used {
		if _, ok := korean[key]; !ok {
			t.Errorf("%s: the Korean catalog lacks %q", at, key)
		}
	}
	for key := range korean {
		if _, ok := used[key]; !ok {
			t.Errorf("Korean key %q is used nowhere: remove it", key)
		}
	}
	for key := range plurals {
		if _, ok := used[key]; !ok {
			t.Errorf("plural key %q is used nowhere: remove it", key)
		}
	}
}

// TestVerbsMatch: a translation keeps every value of its English, so no
// name, ARN or URL is lost in Korean.
func TestVerbsMatch(t *testing.T) {
	for key, ko := range korean {
		if got, want := verbs(ko), verbs(key); got != want {
			t.Errorf("%q -> %q: verbs %q, want %q", key, ko, got, want)
		}
	}
}

// verbs lists a format's verbs, sorted as they appear with explicit
// indexes dropped ordering aside.
func verbs(s string) string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(s) && strings.ContainsRune("[]0123456789-+# .", rune(s[j])) {
			j++
		}
		if j < len(s) {
			out = append(out, string(s[j]))
		}
		i = j
	}
	sortStrings(out)
	return strings.Join(out, "")
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestPluralsByCLDR(t *testing.T) {
	if got := English.T("%d IAM user(s)", 1); got != "1 IAM user" {
		t.Errorf("one: %q", got)
	}
	if got := English.T("%d IAM user(s)", 3); got != "3 IAM users" {
		t.Errorf("other: %q", got)
	}
	if got := New(language.Korean).T("%d IAM user(s)", 3); got != "IAM 사용자 3명" {
		t.Errorf("ko: %q", got)
	}
}

func TestChoose(t *testing.T) {
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cases := []struct {
		flag string
		env  map[string]string
		want language.Tag
	}{
		{"", nil, language.English},
		{"", map[string]string{"LANG": "ko_KR.UTF-8"}, language.Korean},
		{"", map[string]string{"LANG": "ko_KR.UTF-8", "LC_MESSAGES": "C"}, language.English},
		{"", map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8", "LC_MESSAGES": "C"}, language.Korean},
		{"", map[string]string{"LANG": "fr_FR.UTF-8"}, language.English},
		{"ko", map[string]string{"LC_ALL": "C"}, language.Korean},
		{"en", map[string]string{"LANG": "ko_KR.UTF-8"}, language.English},
	}
	for _, c := range cases {
		p, err := Choose(c.flag, env(c.env))
		if err != nil || p.Tag() != c.want {
			t.Errorf("Choose(%q, %v) = %v, %v; want %v", c.flag, c.env, p.Tag(), err, c.want)
		}
	}
	if _, err := Choose("tlh", env(nil)); err == nil || !strings.Contains(err.Error(), "en, ko") {
		t.Errorf("an unknown --lang: %v", err)
	}
}

func TestWidth(t *testing.T) {
	// As under LANG=ko_KR.UTF-8, where runewidth's default makes the
	// ambiguous characters two cells wide: the terminal draws them in one.
	was := runewidth.DefaultCondition.EastAsianWidth
	runewidth.DefaultCondition.EastAsianWidth = true
	defer func() { runewidth.DefaultCondition.EastAsianWidth = was }()
	if w := Width("✓ … · │"); w != 7 {
		t.Errorf("Width of ambiguous characters: %d, want 7", w)
	}
	if Width("보안 상태") != 9 || Width("status") != 6 {
		t.Errorf("Width: %d %d", Width("보안 상태"), Width("status"))
	}
	if got := PadRight("그룹", 6); got != "그룹  " {
		t.Errorf("PadRight: %q", got)
	}
}
