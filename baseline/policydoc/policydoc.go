// Package policydoc is the IAM policy document as iam-baseline writes and
// compares it: the least-privilege policy it prints, the MFA-enforcing group
// policy it puts, and the support role's trust policy. One type, so that
// every document the tool emits follows the same grammar.
package policydoc

import (
	"encoding/json"
	"reflect"
)

// Version is the policy language version every document uses: the one that
// knows policy variables such as ${aws:username}.
const Version = "2012-10-17"

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one statement of a Document. Actions are always written as
// lists (a policy reads better with one shape for them); resources,
// principals and condition values as IAM accepts them, a lone value as a
// string.
type Statement struct {
	Sid         string                       `json:"Sid,omitempty"`
	Effect      string                       `json:"Effect"`
	Principal   map[string]Values            `json:"Principal,omitempty"`
	Action      List                         `json:"Action,omitempty"`
	NotAction   List                         `json:"NotAction,omitempty"`
	Resource    Values                       `json:"Resource,omitempty"`
	NotResource Values                       `json:"NotResource,omitempty"`
	Condition   map[string]map[string]Values `json:"Condition,omitempty"`
}

// Values is a policy element that IAM takes either as one string or as a
// list of strings: it is written as a string when it holds one value, and
// read from either form, so that a document read back from IAM compares
// equal to the one written whatever form it was stored in.
type Values []string

// MarshalJSON writes one value as a string, more as a list.
func (v Values) MarshalJSON() ([]byte, error) {
	if len(v) == 1 {
		return json.Marshal(v[0])
	}
	return json.Marshal([]string(v))
}

// UnmarshalJSON reads a string or a list of strings.
func (v *Values) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*v = Values{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*v = many
	return nil
}

// List is a policy element written as a list even when it holds one value,
// and read, like Values, from either form.
type List []string

// MarshalJSON writes the values as a list.
func (l List) MarshalJSON() ([]byte, error) { return json.Marshal([]string(l)) }

// UnmarshalJSON reads a string or a list of strings.
func (l *List) UnmarshalJSON(b []byte) error { return (*Values)(l).UnmarshalJSON(b) }

// JSON is the document compact, as sent to IAM: its size counts against
// IAM's quotas as little as possible.
func (d Document) JSON() string {
	b, _ := json.Marshal(d) // strings, lists and maps of strings: cannot fail
	return string(b)
}

// Indented is the document as printed for people, ending in a newline.
func (d Document) Indented() []byte {
	b, _ := json.MarshalIndent(d, "", "  ") // as JSON: cannot fail
	return append(b, '\n')
}

// Same reports whether document (as read back from IAM, already
// URL-decoded) says the same as d, whatever its whitespace, key order, or
// the form (string or list) of its single values.
func (d Document) Same(document string) bool {
	var got Document
	if err := json.Unmarshal([]byte(document), &got); err != nil {
		return false
	}
	return reflect.DeepEqual(got, d)
}
