package screendoc

import (
	"errors"
	"strings"
	"testing"
)

func screens(m map[string]string) func(string) (string, error) {
	return func(name string) (string, error) {
		s, ok := m[name]
		if !ok {
			return "", errors.New("no such screen")
		}
		return s, nil
	}
}

func TestSpliceReplacesOnlyTheMarkedBlocks(t *testing.T) {
	doc := "# Page\n\nProse.\n\n<!-- screen: 01-found -->\n```text\nold screen\nold line\n```\n\n```text\nhand-written\n```\nEnd.\n"
	got, err := Splice(doc, screens(map[string]string{"01-found": "new screen\n"}))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Page\n\nProse.\n\n<!-- screen: 01-found -->\n```text\nnew screen\n```\n\n```text\nhand-written\n```\nEnd.\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	again, err := Splice(got, screens(map[string]string{"01-found": "new screen\n"}))
	if err != nil || again != got {
		t.Errorf("splicing twice changed the page: %v\n%s", err, again)
	}
}

func TestSpliceRefusesBrokenMarkers(t *testing.T) {
	for name, doc := range map[string]string{
		"no block":        "<!-- screen: a -->\nprose\n",
		"unended block":   "<!-- screen: a -->\n```text\nline\n",
		"unknown screen":  "<!-- screen: b -->\n```text\n```\n",
		"block after gap": "<!-- screen: a -->\n\n```text\n```\n",
	} {
		if _, err := Splice(doc, screens(map[string]string{"a": "x"})); err == nil || !strings.Contains(err.Error(), "line") {
			t.Errorf("%s: error %v, want one naming the line", name, err)
		}
	}
}
