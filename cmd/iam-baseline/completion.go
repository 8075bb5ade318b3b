package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// The bash and zsh scripts ask the program itself for candidates: urfave/cli
// answers `iam-baseline [words...] --generate-bash-completion` with the
// commands, or with the flags matching a word that starts with "-". So the
// scripts never go stale when commands or flags change. Fish gets a static
// script generated from the command tree (urfave/cli's ToFishCompletion).
//
// urfave/cli turns completion off when any word is "--" (after it only
// arguments follow), so a bare "--" being completed is sent as "-": the
// candidates are the same flags, and the shell filters them by "--".

const bashCompletion = `# bash completion for iam-baseline.
# Load it now:      source <(iam-baseline completion bash)
# Load it always:   iam-baseline completion bash > ~/.local/share/bash-completion/completions/iam-baseline
_iam_baseline() {
    local cur=${COMP_WORDS[COMP_CWORD]}
    local -a args=("${COMP_WORDS[@]:1:COMP_CWORD-1}")
    if [[ $cur == -- ]]; then
        args+=(-)
    elif [[ $cur == -* ]]; then
        args+=("$cur")
    fi
    local IFS=$'\n'
    COMPREPLY=($(compgen -W "$("${COMP_WORDS[0]}" "${args[@]}" --generate-bash-completion 2>/dev/null)" -- "$cur"))
}
complete -o default -F _iam_baseline iam-baseline
`

const zshCompletion = `#compdef iam-baseline
# zsh completion for iam-baseline.
# Load it now (after compinit):  source <(iam-baseline completion zsh)
# Load it always:                iam-baseline completion zsh > "${fpath[1]}/_iam-baseline"
_iam_baseline() {
  local cur=${words[CURRENT]}
  local -a args candidates
  args=("${(@)words[2,CURRENT-1]}")
  if [[ $cur == -- ]]; then
    args+=(-)
  elif [[ $cur == -* ]]; then
    args+=("$cur")
  fi
  candidates=("${(@f)$(${words[1]} "${args[@]}" --generate-bash-completion 2>/dev/null)}")
  candidates=(${(M)candidates:#${(b)cur}*})
  if (( ${#candidates} )); then
    compadd -- "${candidates[@]}"
  else
    _files
  fi
}
if [[ ${funcstack[1]} == _iam-baseline ]]; then
  _iam_baseline "$@"
else
  compdef _iam_baseline iam-baseline
fi
`

// completionShells are the shells `completion` writes a script for.
var completionShells = []string{"bash", "zsh", "fish"}

func completionCommand(tr locale.Printer) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     tr.T("print a shell completion script for bash, zsh or fish"),
		ArgsUsage: "bash|zsh|fish",
		Description: tr.T("Prints the script on stdout. For example:") + "\n" +
			"  source <(iam-baseline completion bash)          # " + tr.T("in ~/.bashrc") + "\n" +
			"  source <(iam-baseline completion zsh)           # " + tr.T("in ~/.zshrc, after compinit") + "\n" +
			"  iam-baseline completion fish > ~/.config/fish/completions/iam-baseline.fish",
		BashComplete: func(c *cli.Context) {
			for _, s := range completionShells {
				reportln(c.App.Writer, s)
			}
		},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return newUsageError(nil, locale.M("completion needs one shell: %s", strings.Join(completionShells, ", ")))
			}
			script, err := completionScript(c.App, c.Args().First())
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// completionScript returns the completion script for shell.
func completionScript(app *cli.App, shell string) (string, error) {
	switch shell {
	case "bash":
		return bashCompletion, nil
	case "zsh":
		return zshCompletion, nil
	case "fish":
		script, err := app.ToFishCompletion()
		if err != nil {
			return "", fmt.Errorf("generating the fish completion script: %w", err)
		}
		// Backticks mark a flag's placeholder in its usage for --help;
		// fish would show them literally.
		return strings.ReplaceAll(script, "`", ""), nil
	}
	return "", newUsageError(nil, locale.M("no completion for shell %q: want one of %s", shell, strings.Join(completionShells, ", ")))
}
