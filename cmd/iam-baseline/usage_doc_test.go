package main

import (
	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// generatedDocs are the pages generated from the code, each with the
// command that regenerates it (from the repository root).
var generatedDocs = []struct {
	path    string // from the repository root
	args    []string
	command string
}{
	{"docs/usage.md", []string{"docs", "usage"}, usageDocCommand},
	{"docs/permissions.md", []string{"docs", "permissions"}, permissionsDocCommand},
}

// TestGeneratedDocsUpToDate fails when a generated page is not what the code
// generates, so the reference cannot drift from the commands, flags and
// permissions.
func TestGeneratedDocsUpToDate(t *testing.T) {
	for _, doc := range generatedDocs {
		t.Run(doc.path, func(t *testing.T) {
			r := runCLI(t, doc.args...)
			mustCode(t, r, ExitOK)
			onDisk, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(doc.path)))
			if err != nil {
				t.Fatalf("reading %s: %v; create it from the repository root with:\n\t%s", doc.path, err, doc.command)
			}
			if string(onDisk) == r.stdout {
				return
			}
			want, got := strings.Split(r.stdout, "\n"), strings.Split(string(onDisk), "\n")
			line := 0
			for line < len(want) && line < len(got) && want[line] == got[line] {
				line++
			}
			at := func(lines []string) string {
				if line < len(lines) {
					return lines[line]
				}
				return "(end of file)"
			}
			t.Fatalf("%s is stale: the code it is generated from changed. Regenerate it from the repository root with:\n\t%s\n"+
				"(or every generated page: go generate ./cmd/iam-baseline)\n"+
				"first difference at line %d:\n\tfile:      %s\n\tgenerated: %s", doc.path, doc.command, line+1, at(got), at(want))
		})
	}
}

// TestUsageDocCoversTheCommandTree checks the generator itself: every
// visible command and every flag of each appears in what it writes.
func TestUsageDocCoversTheCommandTree(t *testing.T) {
	r := runCLI(t, "docs", "usage")
	mustCode(t, r, ExitOK)
	doc := r.stdout
	app := withConventions(newApp(&Env{}, locale.English), locale.English)
	var walk func(prefix string, cs []*cli.Command)
	walk = func(prefix string, cs []*cli.Command) {
		for _, c := range cs {
			if c.Hidden || c.Name == "help" {
				if strings.Contains(doc, "## "+prefix+" "+c.Name+"\n") {
					t.Errorf("hidden command %s %s is documented", prefix, c.Name)
				}
				continue
			}
			full := prefix + " " + c.Name
			if !strings.Contains(doc, "\n## "+full+"\n") {
				t.Errorf("no section for %s", full)
			}
			if !strings.Contains(doc, c.Usage) {
				t.Errorf("%s: usage %q missing", full, c.Usage)
			}
			for _, f := range c.Flags {
				if !strings.Contains(doc, "`--"+f.Names()[0]) {
					t.Errorf("%s: flag --%s missing", full, f.Names()[0])
				}
			}
			walk(full, c.Subcommands)
		}
	}
	walk(app.Name, app.Commands)
	for _, f := range app.Flags {
		if !strings.Contains(doc, "`--"+f.Names()[0]) {
			t.Errorf("app flag --%s missing", f.Names()[0])
		}
	}
	for _, f := range []string{"`--help`, `-h`", "`--version`, `-v`", "`--output FORMAT` | `text`", "`--password-min-length N` | `14`"} {
		if !strings.Contains(doc, f) {
			t.Errorf("doc lacks %s", f)
		}
	}
}

// TestDocsLinksResolve: every relative link in README.md and docs/ points at
// a file that exists, so a renamed or missing page is noticed.
func TestDocsLinksResolve(t *testing.T) {
	root := filepath.Join("..", "..")
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	pages = append(pages, filepath.Join(root, "README.md"))
	link := regexp.MustCompile(`\]\(([^)\s]+)\)`)
	checked := 0
	for _, page := range pages {
		text, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(text), -1) {
			target, _, _ := strings.Cut(m[1], "#")
			if target == "" || strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			checked++
			if _, err := os.Stat(filepath.Join(filepath.Dir(page), filepath.FromSlash(target))); err != nil {
				t.Errorf("%s links to %s, which does not exist", page, m[1])
			}
		}
	}
	if checked == 0 {
		t.Fatal("found no relative links at all: the pattern is wrong")
	}
}
