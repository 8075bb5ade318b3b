package org

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/smithy-go"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// features answers ListOrganizationsFeatures with its features or err.
type features struct {
	FeaturesAPI
	on  []types.FeatureType
	err error
}

func (f features) ListOrganizationsFeatures(context.Context, *iam.ListOrganizationsFeaturesInput, ...func(*iam.Options)) (*iam.ListOrganizationsFeaturesOutput, error) {
	return &iam.ListOrganizationsFeaturesOutput{EnabledFeatures: f.on}, f.err
}

// Root sessions are used when both features are on; a caller that may not
// use centralized root access audits without them; a denial is an error.
func TestReadRootAccessForAudit(t *testing.T) {
	both := []types.FeatureType{types.FeatureTypeRootCredentialsManagement, types.FeatureTypeRootSessions}
	cases := []struct {
		name    string
		api     features
		enabled bool
		err     bool
	}{
		{"both on", features{on: both}, true, false},
		{"credentials management only", features{on: both[:1]}, false, false},
		{"trusted access off", features{err: &smithy.GenericAPIError{Code: awsfacts.CodeServiceAccessNotEnabled}}, false, false},
		{"not the administrator", features{err: &smithy.GenericAPIError{Code: awsfacts.CodeNotRootAccessAdministrator}}, false, false},
		{"denied", features{err: &smithy.GenericAPIError{Code: "AccessDenied"}}, false, true},
		{"transport", features{err: errors.New("connection reset")}, false, true},
	}
	for _, c := range cases {
		got, err := ReadRootAccessForAudit(context.Background(), c.api)
		if (err != nil) != c.err || (err == nil && got.Enabled() != c.enabled) {
			t.Errorf("%s: enabled %v, error %v; want enabled %v, error %v", c.name, got.Enabled(), err, c.enabled, c.err)
		}
	}
}
