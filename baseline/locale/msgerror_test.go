package locale

import (
	"errors"
	"fmt"
	"testing"

	"golang.org/x/text/language"
)

// An Error is English as an error and worded by a Printer, with an error
// among its values worded too; inside plain context it is worded in place.
func TestErrorWordedByTheView(t *testing.T) {
	sentinel := Wrap(M("must not be empty"), nil)
	err := Wrap(M("group name %q: %s", "x", sentinel), sentinel)
	if got := err.Error(); got != `group name "x": must not be empty` {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(err, sentinel) {
		t.Error("the wrapped error is lost")
	}
	ko := New(language.Korean)
	if got := ko.Err(err); got != `그룹 이름 "x": 비워 둘 수 없습니다` {
		t.Errorf("Korean: %q", got)
	}
	if got := ko.Err(fmt.Errorf("context: %w", err)); got != `context: 그룹 이름 "x": 비워 둘 수 없습니다` {
		t.Errorf("behind plain context: %q", got)
	}
	joined := errors.Join(errors.New("plain"), fmt.Errorf("a: %w", sentinel))
	if got := ko.Err(joined); got != "plain\na: 비워 둘 수 없습니다" {
		t.Errorf("in a joined error: %q", got)
	}
	if ko.Err(nil) != "" {
		t.Error("nil is not empty")
	}
}
