package secret

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestValueNeverFormatsItself(t *testing.T) {
	const raw = "Tr0ub4dor&3-horse-battery"
	s := New(raw)
	wrapped := struct {
		Password Value
		Ptr      *Value
	}{s, &s}

	var outputs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		outputs = append(outputs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, wrapped))
	}
	outputs = append(outputs, s.String(), fmt.Sprint(s), fmt.Sprintln(s), fmt.Errorf("failed with %v", s).Error())
	js, err := json.Marshal(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	outputs = append(outputs, string(js))
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("msg", "password", s)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("msg", "password", s)
	outputs = append(outputs, logged.String())

	for _, out := range outputs {
		if strings.Contains(out, raw) {
			t.Errorf("secret leaked in %q", out)
		}
		if !strings.Contains(out, Redacted) {
			t.Errorf("expected %q in %q", Redacted, out)
		}
	}
	if s.Reveal() != raw {
		t.Fatalf("Reveal() = %q, want the raw value", s.Reveal())
	}
	if s.IsZero() || !New("").IsZero() {
		t.Fatal("IsZero disagrees with the value held")
	}
}
