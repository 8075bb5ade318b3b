package org

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// columnsAt is where, in display cells, each of a table line's columns
// starts: a column is words one space apart.
func columnsAt(line string) []int {
	var at []int
	for _, m := range column.FindAllStringIndex(line, -1) {
		at = append(at, locale.Width(line[:m[0]]))
	}
	return at
}

var column = regexp.MustCompile(`\S+( \S+)*`)

// The organization's table in Korean: headings and reasons worded, the
// columns aligned by display width although Hangul takes two cells a
// character (an account named in Korean, Korean headings).
func TestTextTableInKoreanIsAligned(t *testing.T) {
	failing := &audit.Report{Findings: []audit.Finding{{ID: "root-access-keys", Result: audit.ResultFail}}, Summary: audit.Summary{Fail: 1, Failing: 1}}
	results := []AccountStatus{
		{Member: Member{ID: "111111111111", Name: "개발 계정", Status: "ACTIVE"}, Report: failing},
		{Member: Member{ID: "222222222222", Name: "prod", Status: "SUSPENDED"}, Err: ErrSuspended},
		{Member: Member{ID: "333333333333", Name: "데이터", Status: "ACTIVE"}, Err: &AccountError{AccountID: "333333333333", Entering: true, Err: errors.New("AccessDenied")}},
	}
	var b strings.Builder
	if err := WriteText(&b, locale.New(language.Korean), results); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	for _, want := range []string{"계정", "이름", "실패", "검사", "감사하지 못함: 계정이 정지되었거나", "감사하지 못함: 계정에 들어갈 수 없습니다: AccessDenied", "계정 3개: 검사 실패 1, 감사하지 못함 2, 통과 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Korean table lacks %q:\n%s", want, text)
		}
	}
	lines := strings.Split(text, "\n")[:4]
	head := columnsAt(lines[0])
	for _, l := range lines[1:] {
		if got := columnsAt(l); len(got) < 4 || got[1] != head[1] || got[2] != head[2] || got[3] != head[3] {
			t.Errorf("columns at %v, the heading's at %v:\n%s", got, head, text)
		}
	}
	// JSON and CSV hold the English error whatever the language.
	if got := results[2].Err.Error(); got != "entering account 333333333333: AccessDenied" {
		t.Errorf("the error's English: %q", got)
	}
}
