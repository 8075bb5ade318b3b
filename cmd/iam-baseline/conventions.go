package main

import "github.com/urfave/cli/v2"

// withConventions adds what people expect of any command line tool:
// --version with the module's build information, shell completion
// (`completion bash|zsh|fish`, backed by urfave/cli's
// --generate-bash-completion), a man page generated from the app, and the
// hidden generator of docs/usage.md. Everything they print is data and goes
// to stdout.
func withConventions(app *cli.App) *cli.App {
	app.Version = buildVersion()
	app.HideVersion = false
	app.EnableBashCompletion = true
	app.Commands = append(app.Commands, completionCommand(), manCommand(), docsCommand(), helpCommand())
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
	return app
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
func helpCommand() *cli.Command {
	return &cli.Command{
		Name:      "help",
		Usage:     "show the commands, or the help of one command",
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
			return newUsageError(nil, "help takes at most one command")
		},
	}
}
