package iamsim

import "testing"

func TestWildcardMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "anything", true},
		{"iam:list*", "iam:listusers", true}, {"iam:list*", "iam:getuser", false},
		{"iam:*user", "iam:getuser", true}, {"iam:*user", "iam:getusers", false},
		{"iam:get?ser", "iam:getuser", true}, {"iam:get?ser", "iam:getser", false},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::123456789012:user/bob", true},
		{"arn:aws:iam::*:user/*", "arn:aws:iam::123456789012:group/admin", false},
		{"a*b*c", "aXXbYYc", true}, {"a*b*c", "aXXbYY", false},
		{"exact", "exact", true}, {"exact", "exactly", false},
	} {
		if got := wildcardMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func FuzzWildcardMatchStar(f *testing.F) {
	f.Add("iam:ListUsers")
	f.Fuzz(func(t *testing.T, s string) {
		if !wildcardMatch("*", s) || !wildcardMatch(s+"*", s) || !wildcardMatch("*"+s, s) {
			t.Fatalf("star does not match %q", s)
		}
	})
}

func TestWildcardMatchManyStars(t *testing.T) {
	long := make([]byte, 5000)
	for i := range long {
		long[i] = 'a'
	}
	if wildcardMatch("*a*a*a*a*a*a*a*a*a*a*b", string(long)) {
		t.Fatal("matched without a b")
	}
}
