package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// withConventions adds what people expect of any command line tool:
// --version with the module's build information, shell completion
// (`completion bash|zsh|fish`, backed by urfave/cli's
// --generate-bash-completion), a man page generated from the app, and the
// hidden generator of docs/usage.md. Everything they print is data and goes
// to stdout. tr words the help.
func withConventions(app *cli.App, tr locale.Printer) *cli.App {
	app.Version = buildVersion(tr)
	// urfave/cli would print --version itself, in English ("NAME version
	// V") through a package-level printer; the app's own flag words it.
	// Its help still shows the VERSION section (helpTemplate).
	app.HideVersion = true
	app.EnableBashCompletion = true
	app.Commands = append(app.Commands, completionCommand(tr), manCommand(tr), docsCommand(), helpCommand(tr))
	// urfave/cli's own help command is "help, h" with a capitalised usage,
	// and completion offered the "h".
	app.HideHelpCommand = true
	app.Flags = append(app.Flags, cli.HelpFlag, versionFlag(tr)) // urfave/cli adds help only beside its own command
	quietBoolDefaults(app.Flags)
	// Every usage error has one shape and exit status, whichever command
	// it comes from.
	for _, c := range app.Commands {
		quietBoolDefaults(c.Flags)
		if c.OnUsageError == nil {
			c.OnUsageError = onUsageError
		}
	}
	localizeHelp(app, tr)
	if app.CustomAppHelpTemplate == "" {
		app.CustomAppHelpTemplate = cli.AppHelpTemplate
	}
	app.CustomAppHelpTemplate = strings.Replace(app.CustomAppHelpTemplate, "{{if not .HideVersion}}", "{{if true}}", 1)
	return app
}

// localizeHelp words the parts of --help that urfave/cli writes itself (the
// headings, the synopsis, --help and --version) in tr's language; English
// keeps urfave/cli's templates as they are. Flag and command names stay.
func localizeHelp(app *cli.App, tr locale.Printer) {
	if tr.Tag() == locale.English.Tag() {
		return
	}
	flagLine := `{{if eq (index $e.Names 0) "help"}}--help, -h{{"\t"}}` + tr.T("show help") +
		`{{else if eq (index $e.Names 0) "version"}}--version, -v{{"\t"}}` + tr.T("print the version") +
		`{{else}}{{$e}}{{end}}`
	// urfave/cli's visibleFlagCategoryTemplate, with flagLine for each flag.
	flagList := `{{range .VisibleFlagCategories}}
   {{if .Name}}{{.Name}}

   {{end}}{{$flglen := len .Flags}}{{range $i, $e := .Flags}}{{if eq (subtract $flglen $i) 1}}` + flagLine + `
{{else}}` + flagLine + `
   {{end}}{{end}}{{end}}`
	words := strings.NewReplacer(
		`{{template "visibleFlagCategoryTemplate" .}}`, flagList,
		// urfave/cli's visibleFlagTemplate, for commands without categories.
		`{{template "visibleFlagTemplate" .}}`, `{{range $i, $e := .VisibleFlags}}
   `+flagLine+`{{end}}`,
		`{{template "usageTemplate" .}}`, `{{if .UsageText}}{{wrap .UsageText 3}}{{else}}{{.HelpName}}{{if .VisibleFlags}} [command options]{{end}}{{if .ArgsUsage}} {{.ArgsUsage}}{{else}}{{if .Args}} [arguments...]{{end}}{{end}}{{end}}`,
	)
	headings := strings.NewReplacer(
		"NAME:", tr.T("NAME:"),
		"USAGE:", tr.T("USAGE:"),
		"VERSION:", tr.T("VERSION:"),
		"DESCRIPTION:", tr.T("DESCRIPTION:"),
		"CATEGORY:", tr.T("CATEGORY:"),
		"COMMANDS:", tr.T("COMMANDS:"),
		"GLOBAL OPTIONS:", tr.T("GLOBAL OPTIONS:"),
		"OPTIONS:", tr.T("OPTIONS:"),
		"[global options]", tr.T("[global options]"),
		"command [command options]", tr.T("command [command options]"),
		"[command options]", tr.T("[command options]"),
		"[arguments...]", tr.T("[arguments...]"),
	)
	localize := func(template string) string { return headings.Replace(words.Replace(template)) }
	app.CustomAppHelpTemplate = localize(cli.AppHelpTemplate)
	app.Flags = wordFlags(app.Flags, tr)
	command, withSubcommands := localize(cli.CommandHelpTemplate), localize(cli.SubcommandHelpTemplate)
	var walk func([]*cli.Command)
	walk = func(cs []*cli.Command) {
		for _, c := range cs {
			c.Flags = wordFlags(c.Flags, tr)
			c.CustomHelpTemplate = command
			if len(c.Subcommands) > 0 {
				c.CustomHelpTemplate = withSubcommands
				walk(c.Subcommands)
			}
		}
	}
	walk(app.Commands)
}

// versionFlag is --version, -v: the name and the build (App.Version) in tr's
// language, then the run ends, whatever else was given, as urfave/cli's
// does.
func versionFlag(tr locale.Printer) cli.Flag {
	return &cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version",
		Action: func(c *cli.Context, _ bool) error {
			report(c.App.Writer, "%s\n", tr.T("%s version %s", c.App.Name, c.App.Version))
			return exitStatus{code: ExitOK}
		}}
}

// quietBoolDefaults drops "(default: false)" from the help of boolean
// flags: a switch is off unless given. A default of true is still shown.
func quietBoolDefaults(flags []cli.Flag) {
	for _, f := range flags {
		if b, ok := f.(*cli.BoolFlag); ok && !b.Value {
			b.DisableDefaultText = true
		}
	}
}

// helpCommand replaces urfave/cli's: one name, and worded as the others.
func helpCommand(tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     tr.T("show the commands, or the help of one command"),
		ArgsUsage: "[command]",
		Action: func(c *cli.Context) error {
			switch c.NArg() {
			case 0:
				return cli.ShowAppHelp(c)
			case 1:
				if c.App.Command(c.Args().First()) == nil {
					return unknownCommand(c.App, c.Args().First())
				}
				return cli.ShowCommandHelp(c.Lineage()[1], c.Args().First())
			}
			return newUsageError(nil, locale.M("help takes at most one command"))
		},
	}
}

// helpFlag is what a flag is to urfave/cli's parsing and help.
type helpFlag interface {
	cli.DocGenerationFlag
	cli.CategorizableFlag
	cli.VisibleFlag
}

// wordedFlag is a flag whose help line says its default in the operator's
// language: urfave/cli's own line ends in an English "(default: ...)". It
// parses as the flag it wraps.
type wordedFlag struct {
	helpFlag
	line string
}

func (f wordedFlag) String() string { return f.line }

// wordFlags wraps each flag in a wordedFlag but --help and --version, which
// urfave/cli finds by identity and localizeHelp's templates word.
func wordFlags(flags []cli.Flag, tr locale.Printer) []cli.Flag {
	out := make([]cli.Flag, len(flags))
	for i, f := range flags {
		hf, ok := f.(helpFlag)
		if n := f.Names()[0]; !ok || n == "help" || n == "version" {
			out[i] = f
			continue
		}
		out[i] = wordedFlag{helpFlag: hf, line: flagLine(f, hf, tr)}
	}
	return out
}

// flagLine is urfave/cli's help line of a flag (names with the value's
// placeholder, a tab, the usage, the default, the environment variables),
// the default worded by tr.
func flagLine(f cli.Flag, hf helpFlag, tr locale.Printer) string {
	placeholder, usage := unquoteUsage(hf.GetUsage())
	if hf.TakesValue() && placeholder == "" {
		placeholder = "value"
	}
	if !hf.TakesValue() {
		placeholder = ""
	}
	if b, isBool := f.(*cli.BoolFlag); !isBool || !b.DisableDefaultText {
		if def := hf.GetDefaultText(); def != "" {
			usage += " " + tr.T("(default: %s)", def)
		}
	}
	var names []string
	for _, n := range hf.Names() {
		name := "--" + n
		if len(n) == 1 {
			name = "-" + n
		}
		if placeholder != "" {
			name += " " + placeholder
		}
		names = append(names, name)
	}
	line := strings.Join(names, ", ")
	if s, ok := f.(cli.DocGenerationSliceFlag); ok && s.IsSliceFlag() {
		line += " [ " + line + " ]"
	}
	line += "\t" + strings.TrimSpace(usage)
	if env := hf.GetEnvVars(); len(env) > 0 {
		line += " [$" + strings.Join(env, ", $") + "]"
	}
	return line
}
