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
	app.Commands = append(app.Commands, completionCommand(), manCommand(), docsCommand())
	// Every usage error has one shape and exit status, whichever command
	// it comes from.
	for _, c := range app.Commands {
		if c.OnUsageError == nil {
			c.OnUsageError = onUsageError
		}
	}
	return app
}
