package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// usageDocPath is docs/usage.md seen from this package's directory.
var usageDocPath = filepath.Join("..", "..", "docs", "usage.md")

// TestUsageDocUpToDate fails when docs/usage.md is not what the command
// tree generates, so the reference cannot drift from the commands and flags.
func TestUsageDocUpToDate(t *testing.T) {
	r := runCLI(t, "docs", "usage")
	mustCode(t, r, ExitOK)
	onDisk, err := os.ReadFile(usageDocPath)
	if err != nil {
		t.Fatalf("reading docs/usage.md: %v; create it from the repository root with:\n\t%s", err, usageDocCommand)
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
	t.Fatalf("docs/usage.md is stale: the commands or flags changed. Regenerate it from the repository root with:\n\t%s\n"+
		"first difference at line %d:\n\tfile:      %s\n\tgenerated: %s", usageDocCommand, line+1, at(got), at(want))
}

// TestUsageDocCoversTheCommandTree checks the generator itself: every
// visible command and every flag of each appears in what it writes.
func TestUsageDocCoversTheCommandTree(t *testing.T) {
	r := runCLI(t, "docs", "usage")
	mustCode(t, r, ExitOK)
	doc := r.stdout
	app := withConventions(newApp(&Env{}))
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
