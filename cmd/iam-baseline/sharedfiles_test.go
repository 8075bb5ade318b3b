package main

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// TestNULInSharedFilesNamesTheFile: a NUL byte in the config or the
// credentials file stops the run with the file, the line and the problem,
// before any request.
func TestNULInSharedFilesNamesTheFile(t *testing.T) {
	for _, tc := range []struct{ file, what, text string }{
		{"config", "AWS config file", "[default]\nregion = us-east-1\x00\naws_access_key_id = AKIA\n"},
		{"config", "AWS config file", "[default]\nre\x00gion = us-east-1\n"},
		{"credentials", "AWS credentials file", "[default]\naws_access_key_id = AKIA\n\naws_secret_access_key = x\x00\n"},
	} {
		dir := sdkWorld(t)
		srv := iamsim.NewServer(iamsim.Options{})
		t.Cleanup(srv.Close)
		t.Setenv("AWS_ENDPOINT_URL", srv.URL)
		path := filepath.Join(dir, tc.file)
		if err := os.WriteFile(path, []byte(tc.text), 0o600); err != nil {
			t.Fatal(err)
		}
		line := 1 + strings.Count(tc.text[:strings.IndexByte(tc.text, 0)], "\n")
		load := loadConfigAskingForMFA(os.LookupEnv, func(locale.Printer, string, string) (string, error) { return "", errors.New("no MFA here") })
		r := runWithLoader(t, load, "plan")
		if r.code != ExitError {
			t.Errorf("%q: exit %d, want %d\n%s", tc.text, r.code, ExitError, r.stderr)
		}
		for _, want := range []string{tc.what + " " + path, "line " + strconv.Itoa(line) + " holds a NUL byte"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%q: stderr lacks %q:\n%s", tc.text, want, r.stderr)
			}
		}
		if n := len(srv.Sim.Log()); n != 0 {
			t.Errorf("%q: %d requests sent", tc.text, n)
		}
	}
}
