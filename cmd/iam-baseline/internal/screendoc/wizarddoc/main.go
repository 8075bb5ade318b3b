// Command wizarddoc writes docs/wizard.md's screens from the golden screens
// of the demo wizard (cmd/iam-baseline/testdata/screens/en-120x50), keeping
// the page's prose. Run from cmd/iam-baseline by `go generate`.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/iam-baseline/iam-baseline/cmd/iam-baseline/internal/screendoc"
)

func main() {
	doc := flag.String("doc", "../../docs/wizard.md", "the page to update")
	dir := flag.String("screens", "testdata/screens/en-120x50", "the golden screens, NAME.txt each")
	flag.Parse()
	if err := run(*doc, *dir); err != nil {
		fmt.Fprintln(os.Stderr, "wizarddoc:", err)
		os.Exit(1)
	}
}

func run(doc, dir string) error {
	page, err := os.ReadFile(doc)
	if err != nil {
		return err
	}
	out, err := screendoc.Splice(string(page), func(name string) (string, error) {
		b, err := os.ReadFile(filepath.Join(dir, name+".txt"))
		return string(b), err
	})
	if err != nil {
		return fmt.Errorf("%s: %w", doc, err)
	}
	return os.WriteFile(doc, []byte(out), 0o644)
}
