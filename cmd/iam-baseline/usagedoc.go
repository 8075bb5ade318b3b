package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// The generated pages, all at once, from the repository root:
//
//go:generate sh -c "go run . docs usage > ../../docs/usage.md"
//go:generate sh -c "go run . docs permissions > ../../docs/permissions.md"
//go:generate go run ./internal/screendoc/wizarddoc -doc ../../docs/wizard.md -screens testdata/screens/en-120x50

// usageDocCommand is how docs/usage.md is regenerated; usage_doc_test.go
// fails, naming this command, when the file differs from what it prints.
const usageDocCommand = "go run ./cmd/iam-baseline docs usage > docs/usage.md"

// docsCommand is hidden: it writes the generated documentation pages, so
// that they are produced from the command tree itself and cannot drift.
func docsCommand() *cli.Command {
	return &cli.Command{
		Name:   "docs",
		Usage:  "print generated documentation pages",
		Hidden: true,
		Subcommands: []*cli.Command{
			{
				Name:  "usage",
				Usage: "print docs/usage.md: every command and flag, from the command tree",
				Action: func(c *cli.Context) error {
					// The reference is English whatever the locale: it
					// is the project's documentation, not the run's.
					english := withConventions(newApp(&Env{}, locale.English), locale.English)
					english.Setup()
					return writeUsageDoc(c.App.Writer, english)
				},
			},
			{
				Name:  "permissions",
				Usage: "print docs/permissions.md: the IAM policy the tool needs, by purpose",
				Action: func(c *cli.Context) error {
					return writePermissionsDoc(c.App.Writer)
				},
			},
		},
	}
}

// usageEnvironment lists the environment variables the tool reads, directly
// or through the AWS SDK's default configuration.
var usageEnvironment = [][2]string{
	{"AWS_PROFILE", "shared config profile when --profile is not given"},
	{"AWS_REGION", "region for the IAM and STS endpoints; IAM is global, so any region works (default us-east-1)"},
	{"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", "credentials from the environment, first in the SDK's default chain"},
	{"AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE", "where the shared config and credentials files are (default ~/.aws/config, ~/.aws/credentials)"},
	{"AWS_CONTAINER_CREDENTIALS_FULL_URI, AWS_CONTAINER_AUTHORIZATION_TOKEN", "container credentials, as AWS CloudShell provides them"},
	{"AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS", "send requests to another endpoint (--endpoint-url wins)"},
	{"NO_COLOR", "when set and not empty, no colours (https://no-color.org)"},
	{"ACCESSIBLE", "when set, the wizard uses plain line prompts for screen readers"},
}

// writeUsageDoc writes the command-line reference in Markdown from app's
// command tree: commands, flags by category with defaults, arguments.
func writeUsageDoc(w io.Writer, app *cli.App) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	p("# Command-line reference\n\n")
	p("<!-- Generated from the command tree by `%s`. Do not edit: change the commands and flags, then regenerate. -->\n\n", usageDocCommand)
	p("`%s`: %s.\n\n", app.Name, app.Usage)
	p("```\n%s [flags] [command] [command flags]\n```\n\n", app.Name)
	if app.Description != "" {
		p("%s\n\n", descriptionMarkdown(app.Description))
	}
	p("Data (plans, status, JSON, scripts, pages) goes to stdout; prompts, progress, hints and errors go to stderr or the terminal. Exit codes: [exit-codes.md](exit-codes.md).\n\n")

	commands := visibleCommands(app.Commands)
	p("## Commands\n\n| Command | What it does |\n|---|---|\n")
	for _, c := range commands {
		p("| [`%s`](#%s) | %s |\n", commandTitle(app, c), anchor(app.Name+" "+c.Name), cell(c.Usage))
	}
	p("\nWith no command, `%s` runs `%s`.\n\n", app.Name, defaultCommandName(app, commands))

	p("## Flags of `%s`\n\n", app.Name)
	writeFlagTables(&b, app.VisibleFlags())

	for _, c := range commands {
		writeCommandDoc(&b, app, c, app.Name)
	}

	p("## Environment\n\n| Variable | Effect |\n|---|---|\n")
	for _, e := range usageEnvironment {
		p("| `%s` | %s |\n", strings.ReplaceAll(e[0], ", ", "`, `"), cell(e[1]))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCommandDoc(b *strings.Builder, app *cli.App, c *cli.Command, parent string) {
	full := parent + " " + c.Name
	fmt.Fprintf(b, "## %s\n\n", full)
	fmt.Fprintf(b, "%s.\n\n", strings.TrimSuffix(upperFirst(c.Usage), "."))
	synopsis := full
	if len(c.VisibleFlags()) > 0 {
		synopsis += " [flags]"
	}
	if sub := visibleCommands(c.Subcommands); len(sub) > 0 {
		synopsis += " command"
	}
	if c.ArgsUsage != "" {
		synopsis += " " + c.ArgsUsage
	}
	fmt.Fprintf(b, "```\n%s\n```\n\n", synopsis)
	if c.Description != "" {
		fmt.Fprintf(b, "%s\n\n", descriptionMarkdown(c.Description))
	}
	if aliases := c.Aliases; len(aliases) > 0 {
		fmt.Fprintf(b, "Aliases: `%s`.\n\n", strings.Join(aliases, "`, `"))
	}
	switch flags := c.VisibleFlags(); {
	case len(flags) == 0:
	case sameFlags(flags, app.VisibleFlags()):
		fmt.Fprintf(b, "Takes the same flags as `%s`: see [Flags of `%s`](#%s).\n\n", app.Name, app.Name, anchor("flags of "+app.Name))
	default:
		fmt.Fprintf(b, "### Flags\n\n")
		writeFlagTables(b, flags)
	}
	for _, sub := range visibleCommands(c.Subcommands) {
		writeCommandDoc(b, app, sub, full)
	}
}

// writeFlagTables writes one table per flag category, categories in the
// order they first appear, flags in the order they are declared,
// uncategorised flags (help, version) last.
func writeFlagTables(b *strings.Builder, all []cli.Flag) {
	byCategory := map[string][]cli.Flag{}
	var order []string
	for _, f := range all {
		name := ""
		if cf, ok := f.(cli.CategorizableFlag); ok {
			name = cf.GetCategory()
		}
		if _, seen := byCategory[name]; !seen && name != "" {
			order = append(order, name)
		}
		byCategory[name] = append(byCategory[name], f)
	}
	if len(byCategory[""]) > 0 {
		order = append(order, "")
	}
	for _, cat := range order {
		title := cat
		if title == "" {
			title = "General"
		}
		fmt.Fprintf(b, "**%s**\n\n| Flag | Default | Description |\n|---|---|---|\n", title)
		for _, f := range byCategory[cat] {
			names, def, usage := flagDoc(f, locale.English)
			fmt.Fprintf(b, "| %s | %s | %s |\n", names, def, usage)
		}
		b.WriteString("\n")
	}
}

// flagDoc renders a flag's names (with its value placeholder), default and
// description as table cells; tr words the note on its environment variables.
func flagDoc(f cli.Flag, tr locale.Printer) (names, def, usage string) {
	var placeholder string
	if df, ok := f.(cli.DocGenerationFlag); ok {
		placeholder, usage = unquoteUsage(df.GetUsage())
		if df.TakesValue() {
			if placeholder == "" {
				placeholder = "value"
			}
			def = df.GetDefaultText()
		} else {
			placeholder = ""
			if d := df.GetDefaultText(); d == "true" {
				def = "true"
			}
		}
		if env := df.GetEnvVars(); len(env) > 0 {
			usage += " " + tr.T("(env %s)", "`"+strings.Join(env, "`, `")+"`")
		}
	}
	var parts []string
	for _, n := range f.Names() {
		dash := "--"
		if len(n) == 1 {
			dash = "-"
		}
		s := dash + n
		if placeholder != "" {
			s += " " + placeholder
		}
		parts = append(parts, "`"+s+"`")
	}
	if def != "" {
		def = "`" + strings.Trim(def, `"`) + "`"
	}
	return strings.Join(parts, ", "), def, cell(usage)
}

// unquoteUsage takes the value placeholder out of a flag's usage text, where
// urfave/cli expects it in back quotes ("`NAME` of the group").
func unquoteUsage(usage string) (placeholder, text string) {
	start := strings.IndexByte(usage, '`')
	if start < 0 {
		return "", usage
	}
	end := strings.IndexByte(usage[start+1:], '`')
	if end < 0 {
		return "", usage
	}
	placeholder = usage[start+1 : start+1+end]
	return placeholder, usage[:start] + placeholder + usage[start+1+end+1:]
}

func visibleCommands(cs []*cli.Command) []*cli.Command {
	var out []*cli.Command
	for _, c := range cs {
		if !c.Hidden && c.Name != "help" {
			out = append(out, c)
		}
	}
	return out
}

func commandTitle(app *cli.App, c *cli.Command) string { return app.Name + " " + c.Name }

// defaultCommandName names the command the app runs when none is given:
// the one whose usage says it is the default, else the first.
func defaultCommandName(app *cli.App, commands []*cli.Command) string {
	for _, c := range commands {
		if strings.Contains(c.Usage, "default") {
			return app.Name + " " + c.Name
		}
	}
	if len(commands) > 0 {
		return app.Name + " " + commands[0].Name
	}
	return app.Name
}

// sameFlags reports whether two commands take the same flags, apart from
// --help and --version, which urfave/cli adds where it sees fit.
func sameFlags(a, b []cli.Flag) bool {
	names := func(fs []cli.Flag) []string {
		var out []string
		for _, f := range fs {
			if n := f.Names()[0]; n != "help" && n != "version" {
				out = append(out, n)
			}
		}
		return out
	}
	return slices.Equal(names(a), names(b))
}

// anchor is GitHub's heading anchor for a heading's text.
func anchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	return b.String()
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(oneParagraph(s), "|", `\|`)
	return s
}

func oneParagraph(s string) string { return strings.Join(strings.Fields(s), " ") }

// descriptionMarkdown keeps a description's indented lines (examples) as a
// code block and joins the rest into paragraphs.
func descriptionMarkdown(s string) string {
	var out []string
	var prose, code []string
	flush := func() {
		if len(prose) > 0 {
			out = append(out, strings.Join(prose, " "))
			prose = nil
		}
		if len(code) > 0 {
			out = append(out, "```\n"+strings.Join(code, "\n")+"\n```")
			code = nil
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		switch {
		case strings.HasPrefix(line, "  "):
			if len(prose) > 0 {
				flush()
			}
			code = append(code, strings.TrimPrefix(line, "  "))
		case strings.TrimSpace(line) == "":
			flush()
		default:
			if len(code) > 0 {
				flush()
			}
			prose = append(prose, strings.TrimSpace(line))
		}
	}
	flush()
	return strings.Join(out, "\n\n")
}

// upperFirst capitalises the first letter, a whole rune: a Korean text
// starts with a multi-byte one.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
