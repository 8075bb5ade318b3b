package main

import (
	"fmt"

	"github.com/urfave/cli/v2"
)

// manSection is the manual section of a user command.
const manSection = 1

func manCommand() *cli.Command {
	return &cli.Command{
		Name:  "man",
		Usage: "print the manual page (roff) generated from the commands and flags",
		Description: "For example:\n" +
			"  iam-baseline man > /usr/local/share/man/man1/iam-baseline.1 && man iam-baseline\n" +
			"  iam-baseline man | man -l -",
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return newUsageError(nil, "man takes no arguments")
			}
			page, err := c.App.ToManWithSection(manSection)
			if err != nil {
				return fmt.Errorf("generating the manual page: %w", err)
			}
			_, err = fmt.Fprint(c.App.Writer, page)
			return err
		},
	}
}
