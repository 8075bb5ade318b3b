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
	app.Version = buildVersion()
	app.HideVersion = false
	app.EnableBashCompletion = true
	app.Commands = append(app.Commands, completionCommand(tr), manCommand(tr), docsCommand(), helpCommand(tr))
	// urfave/cli's own help command is "help, h" with a capitalised usage,
	// and completion offered the "h".
	app.HideHelpCommand = true
	app.Flags = append(app.Flags, cli.HelpFlag) // urfave/cli adds it only beside its own command
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
	command, withSubcommands := localize(cli.CommandHelpTemplate), localize(cli.SubcommandHelpTemplate)
	var walk func([]*cli.Command)
	walk = func(cs []*cli.Command) {
		for _, c := range cs {
			c.CustomHelpTemplate = command
			if len(c.Subcommands) > 0 {
				c.CustomHelpTemplate = withSubcommands
				walk(c.Subcommands)
			}
		}
	}
	walk(app.Commands)
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
