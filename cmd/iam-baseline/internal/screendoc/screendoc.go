// Package screendoc puts captured screens into a Markdown page: each
// `<!-- screen: NAME -->` line is followed by a ```text block whose content
// is replaced by the screen NAME. The prose around stays as it is, so a page
// can be written by hand and still never show a screen the program no longer
// draws.
package screendoc

import (
	"fmt"
	"regexp"
	"strings"
)

var marker = regexp.MustCompile(`^<!-- screen: ([A-Za-z0-9._-]+) -->$`)

// Splice returns doc with the block after every marker replaced by the
// screen of its name. A marker without a ```text block right after it, or
// naming a screen that screen cannot give, is an error.
func Splice(doc string, screen func(name string) (string, error)) (string, error) {
	lines := strings.Split(doc, "\n")
	out := make([]string, 0, len(lines))
	for i := 0; i < len(lines); i++ {
		out = append(out, lines[i])
		m := marker.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		if i+1 >= len(lines) || lines[i+1] != "```text" {
			return "", fmt.Errorf("line %d: the screen marker %q is not followed by a ```text block", i+1, m[1])
		}
		end := i + 2
		for end < len(lines) && lines[end] != "```" {
			end++
		}
		if end == len(lines) {
			return "", fmt.Errorf("line %d: the ```text block of screen %q never ends", i+2, m[1])
		}
		text, err := screen(m[1])
		if err != nil {
			return "", fmt.Errorf("line %d: screen %q: %w", i+1, m[1], err)
		}
		out = append(out, "```text")
		out = append(out, strings.Split(strings.TrimRight(text, "\n"), "\n")...)
		out = append(out, "```")
		i = end
	}
	return strings.Join(out, "\n"), nil
}
