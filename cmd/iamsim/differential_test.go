package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// scenarioStep is one line of testdata/differential.scenario.
type scenarioStep struct {
	line   int
	expect string // "ok" or an error code; empty in cleanup
	args   []string
}

// splitArgs splits a line at spaces, keeping '...' quoted arguments whole.
func splitArgs(s string) ([]string, error) {
	var args []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '\'' {
			end := strings.IndexByte(s[1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unclosed quote in %q", s)
			}
			args = append(args, s[1:end+1])
			s = s[end+2:]
			continue
		}
		field, rest, _ := strings.Cut(s, " ")
		args = append(args, field)
		s = rest
	}
	return args, nil
}

func readScenario(path string) (steps, cleanup []scenarioStep, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer func() { _ = f.Close() }() // read-only: nothing to lose on close
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	inCleanup := false
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case line == "cleanup:":
			inCleanup = true
			continue
		}
		args, err := splitArgs(line)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		if inCleanup {
			cleanup = append(cleanup, scenarioStep{line: n, args: args})
			continue
		}
		steps = append(steps, scenarioStep{line: n, expect: args[0], args: args[1:]})
	}
	return steps, cleanup, sc.Err()
}

var errorCodeInCLI = regexp.MustCompile(`An error occurred \(([A-Za-z.]+)\)`)

// outcome is "ok" or the AWS error code of a CLI run.
func outcome(code int, stderr string) string {
	if code == 0 {
		return "ok"
	}
	if m := errorCodeInCLI.FindStringSubmatch(stderr); m != nil {
		return m[1]
	}
	return fmt.Sprintf("exit %d: %s", code, strings.TrimSpace(stderr))
}

// differentialTarget is where the scenario runs: iamsim by default,
// IAMSIM_DIFF_ENDPOINT, or with IAMSIM_DIFF_ACC=1 the real AWS account of the
// ambient credentials (a throwaway one: the scenario creates and deletes
// users, a role and a device, and cleans up after itself).
func differentialTarget(t *testing.T, home string) (c *cli, prefix string) {
	base := []string{
		"HOME=" + home, "PATH=/usr/bin:/bin", "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1", "AWS_EC2_METADATA_DISABLED=true",
	}
	random := make([]byte, 4)
	_, _ = rand.Read(random)
	prefix = "iamsim-diff-" + hex.EncodeToString(random) + "-"
	if os.Getenv("IAMSIM_DIFF_ACC") == "1" || os.Getenv("IAMSIM_DIFF_ENDPOINT") != "" {
		// The caller's own credentials and configuration.
		env := append(os.Environ(), "AWS_PAGER=", "AWS_MAX_ATTEMPTS=1")
		return &cli{t: t, bin: awsCLI(t), url: os.Getenv("IAMSIM_DIFF_ENDPOINT"), env: env}, prefix
	}
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	env := append(base,
		"AWS_CONFIG_FILE="+filepath.Join(home, "config"), "AWS_SHARED_CREDENTIALS_FILE="+filepath.Join(home, "credentials"),
		"AWS_ACCESS_KEY_ID="+iamsim.DefaultRootAccessKeyID, "AWS_SECRET_ACCESS_KEY=iamsim-secret")
	return &cli{t: t, bin: awsCLI(t), url: srv.URL, env: env}, prefix
}

// TestDifferentialScenario runs testdata/differential.scenario and checks
// each call's outcome. Against iamsim it guards the simulator's agreement
// with what was observed on AWS; pointed at AWS it checks the scenario.
func TestDifferentialScenario(t *testing.T) {
	t.Parallel() // about 40 CLI starts: let the package's other tests overlap
	steps, cleanup, err := readScenario("testdata/differential.scenario")
	if err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	c, prefix := differentialTarget(t, home)
	run := func(args []string) (string, string) {
		out, errOut, code := c.runAt(args...)
		return out, outcome(code, errOut)
	}
	out, got := run([]string{"sts", "get-caller-identity"})
	if got != "ok" {
		t.Fatalf("sts get-caller-identity: %s", got)
	}
	var id struct{ Account string }
	if err := json.Unmarshal([]byte(out), &id); err != nil || id.Account == "" {
		t.Fatalf("caller identity %q: %v", out, err)
	}
	expand := strings.NewReplacer("${P}", prefix, "${ACCOUNT}", id.Account, "${TMP}", home)
	expandAll := func(args []string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			out[i] = expand.Replace(a)
		}
		return out
	}
	t.Cleanup(func() {
		for _, s := range cleanup {
			run(expandAll(s.args))
		}
	})
	for _, s := range steps {
		if _, got := run(expandAll(s.args)); got != s.expect {
			t.Errorf("line %d: aws %s: got %s, want %s", s.line, strings.Join(s.args, " "), got, s.expect)
		}
	}
}
