package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// fixedClock makes the run's clock stand still, so that two runs print the
// same time.
func fixedClock(at time.Time) envOption {
	return func(e *Env) { e.Now = func() time.Time { return at } }
}

// TestMachineOutputIgnoresTheLanguage: scripts read status and plan JSON
// and the exit codes; a Korean locale changes neither, byte for byte, while
// the text views speak Korean.
func TestMachineOutputIgnoresTheLanguage(t *testing.T) {
	srv := iamsim.NewServer(iamsim.Options{})
	t.Cleanup(srv.Close)
	at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	runIn := func(vars map[string]string, args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := newTestEnv(&out, &errOut, simAccount(srv.URL, iamsim.DefaultRootAccessKeyID), envVars(vars), fixedClock(at))
		code := run(context.Background(), env, append([]string{"iam-baseline"}, args...))
		return code, out.String()
	}
	ko := map[string]string{"LANG": "ko_KR.UTF-8"}
	for _, args := range [][]string{
		{"status", "--output", "json"},
		{"plan", "--output", "json", "--detailed-exitcode"},
	} {
		enCode, en := runIn(nil, args...)
		koCode, koOut := runIn(ko, args...)
		flagCode, flagOut := runIn(nil, append(args, "--lang", "ko")...)
		if en == "" || koOut != en || flagOut != en {
			t.Errorf("%v: JSON differs by language:\nen:\n%s\nko:\n%s\n--lang ko:\n%s", args, en, koOut, flagOut)
		}
		if koCode != enCode || flagCode != enCode {
			t.Errorf("%v: exit codes en %d, ko %d, --lang ko %d", args, enCode, koCode, flagCode)
		}
	}
	for _, args := range [][]string{{"status"}, {"plan"}} {
		_, en := runIn(nil, args...)
		_, koOut := runIn(ko, args...)
		_, back := runIn(ko, append(args, "--lang", "en")...)
		if !strings.Contains(koOut, "루트 사용자") || strings.Contains(en, "루트") {
			t.Errorf("%v: LANG=ko_KR.UTF-8 should speak Korean:\n%s\nEnglish:\n%s", args, koOut, en)
		}
		if back != en {
			t.Errorf("%v: --lang en should win over LANG:\n%s", args, back)
		}
	}
}

func TestUnknownLanguageIsAUsageError(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run(context.Background(), newTestEnv(&out, &errOut), []string{"iam-baseline", "plan", "--lang", "tlh"})
	if code != ExitUsage || !strings.Contains(errOut.String(), `unknown language "tlh"`) || !strings.Contains(errOut.String(), "en, ko") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestKoreanReadmeStartsTheSame: the Korean README gives the same first
// commands as the English one, and the English one links to it.
func TestKoreanReadmeStartsTheSame(t *testing.T) {
	first := func(path string) (string, string) {
		b, err := os.ReadFile(filepath.Join("..", "..", path))
		if err != nil {
			t.Fatal(err)
		}
		_, block, ok := strings.Cut(string(b), "```sh\n")
		block, _, _ = strings.Cut(block, "```")
		if !ok || block == "" {
			t.Fatalf("%s has no sh block", path)
		}
		return block, string(b)
	}
	en, readme := first("README.md")
	ko, _ := first("docs/README.ko.md")
	if en != ko {
		t.Errorf("first commands differ:\nREADME.md:\n%s\ndocs/README.ko.md:\n%s", en, ko)
	}
	if !strings.Contains(readme, "(docs/README.ko.md)") {
		t.Error("README.md does not link docs/README.ko.md")
	}
}
