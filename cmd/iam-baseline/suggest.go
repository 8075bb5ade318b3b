package main

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// unknownCommand is the usage error for a word where a command was expected:
// it lists every command and suggests the nearest when it is a likely typo.
func unknownCommand(app *cli.App, word string) error {
	var names []string
	for _, c := range app.VisibleCommands() {
		names = append(names, c.Name)
	}
	msg := locale.M("unknown command %q", word)
	if near := nearest(word, names); near != "" {
		msg = locale.M("unknown command %q; did you mean %q?", word, near)
	}
	return newUsageError(nil, locale.M("%s\nthe commands are: %s (apply is the default)", msg, strings.Join(names, ", ")))
}

// nearest returns the name closest to word by edit distance (a swap of two
// neighbouring letters counts as one edit), or "" when none is close enough
// to be a typo: at most a third of the word's letters, and at least one.
func nearest(word string, names []string) string {
	best, bestDist := "", max(1, len([]rune(word))/3)+1
	for _, n := range names {
		if d := editDistance(strings.ToLower(word), n); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent runes.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
