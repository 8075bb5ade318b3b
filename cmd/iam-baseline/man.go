package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// manSection is the manual section of a user command.
const manSection = 1

func manCommand(tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: tr.T("print the manual page (roff) generated from the commands and flags"),
		Description: tr.T("For example:") + "\n" +
			"  iam-baseline man > /usr/local/share/man/man1/iam-baseline.1 && man iam-baseline\n" +
			"  iam-baseline man | man -l -",
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return newUsageError(nil, locale.M("man takes no arguments"))
			}
			_, err := fmt.Fprint(c.App.Writer, manPage(c.App, tr))
			return err
		},
	}
}

// manEnvironment are the environment variables a reader of the man page
// may set; flags' own variables (ACCESSIBLE) are added from the flags.
func manEnvironment(tr locale.Printer) [][2]string {
	return [][2]string{
		{"AWS_PROFILE", tr.T("the shared config profile, as --profile")},
		{"AWS_REGION", tr.T("the region, as --region")},
		{"AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_IAM, AWS_ENDPOINT_URL_STS", tr.T("endpoints, as --endpoint-url")},
		{"AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN", tr.T("credentials; the SDK's default chain also reads ~/.aws/config, ~/.aws/credentials, SSO and container or instance roles")},
		{"NO_COLOR", tr.T("any non-empty value: no colours, as --no-color")},
	}
}

// manPage is the manual page: the sections a reader looks for, each
// command once, and each flag once, under the command it belongs to (the
// flags that plan and apply share with the program are listed under
// OPTIONS only).
func manPage(app *cli.App, tr locale.Printer) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w(".nh\n.TH %s %d\n", app.Name, manSection)
	w(".SH %s\n%s \\- %s\n", tr.T("NAME"), app.Name, roffEscape(app.Usage))
	w(".SH %s\n.B %s\n[\\fI%s\\fR] [\\fI%s\\fR]\n", tr.T("SYNOPSIS"), app.Name, tr.T("command"), tr.T("options"))
	w(".SH %s\n%s", tr.T("DESCRIPTION"), roffText(appDescription(tr)))
	w(".SH %s\n", tr.T("COMMANDS"))
	for _, c := range visibleCommands(app.Commands) {
		w(".TP\n.B %s\n%s.\n", c.Name, roffEscape(upperFirst(c.Usage)))
		if c.Description != "" {
			w("%s", roffText(c.Description))
		}
		writeCommandOptions(&b, c, app, tr)
	}
	w(".SH %s\n%s\n", tr.T("OPTIONS"), tr.T("Of the program, and of apply and plan."))
	writeManFlags(&b, tr, optionFlags(app.Flags), true)
	w(".SH %s\n", tr.T("EXIT STATUS"))
	for _, e := range exitCodeMeanings(tr) {
		w(".TP\n.B %d\n%s\n", e.code, roffEscape(upperFirst(e.meaning)))
	}
	w(".SH %s\n", tr.T("ENVIRONMENT"))
	env := manEnvironment(tr)
	for _, f := range app.Flags {
		if df, ok := f.(cli.DocGenerationFlag); ok && len(df.GetEnvVars()) > 0 {
			env = append(env, [2]string{strings.Join(df.GetEnvVars(), ", "), tr.T("as --%s", f.Names()[0])})
		}
	}
	for _, e := range env {
		w(".TP\n.B %s\n%s\n", roffEscape(e[0]), roffEscape(e[1]))
	}
	w(".SH %s\n%s", tr.T("EXAMPLES"), roffText(strings.TrimPrefix(applyExamples(tr), tr.T("Examples:")+"\n")))
	return b.String()
}

// writeCommandOptions says which options a command takes: nothing for the
// commands that take none, a reference to OPTIONS for those that take them
// (or all but a few of them), else the command's own list.
func writeCommandOptions(b *strings.Builder, c *cli.Command, app *cli.App, tr locale.Printer) {
	own := optionFlags(c.Flags)
	if len(own) == 0 {
		return
	}
	shared := map[string]bool{}
	for _, f := range optionFlags(app.Flags) {
		shared[f.Names()[0]] = true
	}
	taken := map[string]bool{}
	subset := true
	for _, f := range own {
		taken[f.Names()[0]] = true
		subset = subset && shared[f.Names()[0]]
	}
	if !subset {
		fmt.Fprintf(b, ".RS\n.PP\n\\fB%s\\fR\n", tr.T("Options of %s", c.Name))
		writeManFlags(b, tr, own, false)
		b.WriteString(".RE\n")
		return
	}
	var without []string
	for _, f := range optionFlags(app.Flags) {
		if !taken[f.Names()[0]] {
			without = append(without, "\\-\\-"+f.Names()[0])
		}
	}
	b.WriteString(".PP\n")
	if len(without) > 0 {
		b.WriteString(tr.T("Takes the options under OPTIONS but %s.", strings.Join(without, ", ")))
	} else {
		b.WriteString(tr.T("Takes the options under OPTIONS."))
	}
	b.WriteString("\n")
}

// optionFlags are the flags worth listing: not --help and --version, which
// every command has.
func optionFlags(flags []cli.Flag) []cli.Flag {
	var out []cli.Flag
	for _, f := range flags {
		if n := f.Names()[0]; n != "help" && n != "version" {
			out = append(out, f)
		}
	}
	return out
}

// writeManFlags lists flags as tagged paragraphs, under a subheading per
// category when categories is set.
func writeManFlags(b *strings.Builder, tr locale.Printer, flags []cli.Flag, categories bool) {
	category := "\x00"
	for _, f := range flags {
		if cf, ok := f.(cli.CategorizableFlag); ok && categories && cf.GetCategory() != category {
			category = cf.GetCategory()
			fmt.Fprintf(b, ".SS %s\n", roffEscape(category))
		}
		names, def, usage := flagDoc(f, tr)
		usage = strings.ReplaceAll(usage, "`", "")
		fmt.Fprintf(b, ".TP\n\\fB%s\\fR\n%s", roffEscape(strings.ReplaceAll(names, "`", "")), roffEscape(usage))
		if def != "" && !strings.Contains(usage, "default") {
			b.WriteString(" " + tr.T("(default: %s)", roffEscape(strings.Trim(def, "`"))))
		}
		b.WriteString("\n")
	}
}

// roffText renders a help text: prose lines joined into paragraphs,
// indented lines (examples) kept as they are.
func roffText(s string) string {
	var b strings.Builder
	inCode := false
	for _, line := range strings.Split(strings.TrimSpace(s), "\n") {
		code := strings.HasPrefix(line, "  ")
		switch {
		case code && !inCode:
			b.WriteString(".PP\n.nf\n.RS 4\n")
		case !code && inCode:
			b.WriteString(".RE\n.fi\n")
		}
		inCode = code
		switch {
		case strings.TrimSpace(line) == "":
			b.WriteString(".PP\n")
		case code:
			b.WriteString(roffEscape(strings.TrimPrefix(line, "  ")) + "\n")
		default:
			b.WriteString(roffEscape(line) + "\n")
		}
	}
	if inCode {
		b.WriteString(".RE\n.fi\n")
	}
	return b.String()
}

// roffEscape keeps text literal in roff: backslashes, hyphens of options,
// and a dot or quote that would start a request.
func roffEscape(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "'") {
		s = `\&` + s
	}
	return s
}
