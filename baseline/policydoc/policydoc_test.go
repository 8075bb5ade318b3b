package policydoc

import (
	"strings"
	"testing"
)

func TestValuesWriteOneAsString(t *testing.T) {
	d := Document{Version: Version, Statement: []Statement{
		{Effect: "Allow", Action: []string{"sts:AssumeRole"}, Resource: Values{"*"},
			Principal: map[string]Values{"AWS": {"arn:aws:iam::123456789012:root"}}},
		{Effect: "Deny", NotAction: []string{"iam:GetUser"}, NotResource: Values{"a", "b"},
			Condition: map[string]map[string]Values{"Bool": {"aws:MultiFactorAuthPresent": {"false"}}}},
	}}
	want := `{"Version":"2012-10-17","Statement":[` +
		`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":["sts:AssumeRole"],"Resource":"*"},` +
		`{"Effect":"Deny","NotAction":["iam:GetUser"],"NotResource":["a","b"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}`
	if got := d.JSON(); got != want {
		t.Errorf("JSON:\n got %s\nwant %s", got, want)
	}
	if !strings.HasSuffix(string(d.Indented()), "}\n") {
		t.Errorf("Indented does not end in a newline: %q", d.Indented())
	}
}

func TestSameReadsEitherForm(t *testing.T) {
	d := Document{Version: Version, Statement: []Statement{{Effect: "Allow", Action: []string{"iam:GetUser"}, Resource: Values{"*"}}}}
	for _, same := range []string{
		d.JSON(),
		`{"Statement":[{"Resource":["*"],"Action":["iam:GetUser"],"Effect":"Allow"}],"Version":"2012-10-17"}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}`,
		"{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"iam:GetUser\"], \"Resource\": \"*\"}]\n}",
	} {
		if !d.Same(same) {
			t.Errorf("Same(%s) = false, want true", same)
		}
	}
	for _, differs := range []string{
		`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["iam:GetUser"],"Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser"],"Resource":["*","arn:aws:s3:::b"]}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser"],"Resource":7}]}`,
		"not json",
	} {
		if d.Same(differs) {
			t.Errorf("Same(%s) = true, want false", differs)
		}
	}
}
