package textwrap

import (
	"strings"
	"testing"
)

func TestWordsNeverSplitsAWord(t *testing.T) {
	got := Words("  sign in at https://123456789012.signin.aws.amazon.com/console as administrator", 30)
	want := "  sign in at\n  https://123456789012.signin.aws.amazon.com/console\n  as administrator"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestWordsFitsEveryWidth: at 40, 80 and 120 columns no line is wider than
// the room unless it is one unbreakable word, and the words are those of the
// text, in order, none split.
func TestWordsFitsEveryWidth(t *testing.T) {
	text := "    user \"administrator\" exists but it has no console password and it is not in group \"admin\"; " +
		"sign in at https://acme-lab-production-account-with-a-long-alias.signin.aws.amazon.com/console " +
		"관리자 그룹에 AdministratorAccess 정책을 연결했습니다 and change the temporary password at first sign-in."
	for _, width := range []int{40, 80, 120} {
		got := Words(text, width)
		for _, line := range strings.Split(got, "\n") {
			if Width(line) > width && len(strings.Fields(line)) > 1 {
				t.Errorf("width %d: line %q is %d cells wide", width, line, Width(line))
			}
		}
		if strings.Join(strings.Fields(got), " ") != strings.Join(strings.Fields(text), " ") {
			t.Errorf("width %d: the words changed:\n%s", width, got)
		}
	}
}

func TestWidthCountsHangulTwiceAndStylesNone(t *testing.T) {
	for s, want := range map[string]int{"admin": 5, "관리자": 6, "\x1b[1madmin\x1b[0m": 5} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestHangingLinesUpUnderTheMarker(t *testing.T) {
	got := Hanging("      · ", "        ", "one two three four five", 20)
	want := "      · one two\n        three four\n        five"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestNoRoomMeansNoWrapping(t *testing.T) {
	text := strings.Repeat("word ", 50)
	if got := Words(text, 0); got != text {
		t.Errorf("room 0 changed the text: %q", got)
	}
}

func TestHangingKeepsTheBodysIndentation(t *testing.T) {
	got := Hanging("  + ", "    ", "  \"Action\": \"iam:ListMFADevices\", \"Resource\": \"*\"", 30)
	want := "  +   \"Action\":\n      \"iam:ListMFADevices\",\n      \"Resource\": \"*\""
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
