package mfa

import (
	"strings"
	"testing"
)

func TestRequestValidate(t *testing.T) {
	ok := []Request{
		{UserName: "administrator"},
		{UserName: "a+b=c,d.e@f_g-h", DeviceName: "admin-phone"},
		{UserName: strings.Repeat("u", 64), DeviceName: strings.Repeat("d", 226)},
	}
	for _, r := range ok {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	bad := map[string]Request{
		"needs a user name": {},
		"1-64":              {UserName: strings.Repeat("u", 65)},
		"user name \"a b\"": {UserName: "a b"},
		"device name":       {UserName: "admin", DeviceName: "ph/one"},
		"1-226":             {UserName: "admin", DeviceName: strings.Repeat("d", 227)},
	}
	for want, r := range bad {
		err := r.Validate()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate(%+v) = %v, want an error with %q", r, err, want)
		}
	}
}

func TestIsDeviceNamed(t *testing.T) {
	for serial, want := range map[string]bool{
		"arn:aws:iam::123456789012:mfa/administrator":      true,
		"arn:aws-cn:iam::123456789012:mfa/administrator":   true,
		"arn:aws:iam::123456789012:mfa/team/administrator": false, // another path: not ours to delete
		"arn:aws:iam::123456789012:mfa/xadministrator":     false,
		"arn:aws:iam::123456789012:mfa/administrator2":     false,
		"arn:aws:iam::123456789012:user/administrator":     false,
		"GAHT12345678": false,
	} {
		if got := isDeviceNamed(serial, "administrator"); got != want {
			t.Errorf("isDeviceNamed(%q) = %v", serial, got)
		}
	}
}
