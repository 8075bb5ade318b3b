package org

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// FeaturesAPI is the part of the management account's IAM client that
// reads and turns on centralized root access.
type FeaturesAPI interface {
	ListOrganizationsFeatures(ctx context.Context, in *iam.ListOrganizationsFeaturesInput, opts ...func(*iam.Options)) (*iam.ListOrganizationsFeaturesOutput, error)
	EnableOrganizationsRootCredentialsManagement(ctx context.Context, in *iam.EnableOrganizationsRootCredentialsManagementInput, opts ...func(*iam.Options)) (*iam.EnableOrganizationsRootCredentialsManagementOutput, error)
	EnableOrganizationsRootSessions(ctx context.Context, in *iam.EnableOrganizationsRootSessionsInput, opts ...func(*iam.Options)) (*iam.EnableOrganizationsRootSessionsOutput, error)
}

// ServiceAccessAPI trusts a service in the organization.
type ServiceAccessAPI interface {
	EnableAWSServiceAccess(ctx context.Context, in *organizations.EnableAWSServiceAccessInput, opts ...func(*organizations.Options)) (*organizations.EnableAWSServiceAccessOutput, error)
}

// RootAccess is what centralized root access lacks: the organization's
// trust of IAM, and each of its two features.
type RootAccess struct {
	TrustIAM                  bool `json:"trust_iam"`
	RootCredentialsManagement bool `json:"enable_root_credentials_management"`
	RootSessions              bool `json:"enable_root_sessions"`
}

// Missing reports whether anything must be enabled.
func (r RootAccess) Missing() bool {
	return r.TrustIAM || r.RootCredentialsManagement || r.RootSessions
}

// Enabled reports whether root sessions (sts:AssumeRoot) can be opened in
// members: both features on. AssumeRoot needs root sessions, and the root
// credential tasks need root credentials management.
func (r RootAccess) Enabled() bool { return !r.Missing() }

// ReadRootAccessForAudit is ReadRootAccess for status, which can do
// without centralized root access: a caller that is neither the management
// account nor IAM's delegated administrator cannot open root sessions, so
// for it everything is missing.
func ReadRootAccessForAudit(ctx context.Context, api FeaturesAPI) (RootAccess, error) {
	missing, err := ReadRootAccess(ctx, api)
	if awsfacts.HasErrorCode(err, awsfacts.CodeNotRootAccessAdministrator) {
		return RootAccess{TrustIAM: true, RootCredentialsManagement: true, RootSessions: true}, nil
	}
	return missing, err
}

// ReadRootAccess finds out what centralized root access lacks.
func ReadRootAccess(ctx context.Context, api FeaturesAPI) (RootAccess, error) {
	out, err := api.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if awsfacts.HasErrorCode(err, awsfacts.CodeServiceAccessNotEnabled) {
		return RootAccess{TrustIAM: true, RootCredentialsManagement: true, RootSessions: true}, nil
	}
	if err != nil {
		return RootAccess{}, locale.Wrap(locale.M("reading centralized root access (iam ListOrganizationsFeatures): %v", err), err)
	}
	missing := RootAccess{RootCredentialsManagement: true, RootSessions: true}
	for _, f := range out.EnabledFeatures {
		switch f {
		case types.FeatureTypeRootCredentialsManagement:
			missing.RootCredentialsManagement = false
		case types.FeatureTypeRootSessions:
			missing.RootSessions = false
		}
	}
	return missing, nil
}

// EnableRootAccess turns on what is missing, in the order AWS requires:
// the organization's trust of IAM first.
func EnableRootAccess(ctx context.Context, api FeaturesAPI, orgAPI ServiceAccessAPI, missing RootAccess) error {
	if missing.TrustIAM {
		if _, err := orgAPI.EnableAWSServiceAccess(ctx, &organizations.EnableAWSServiceAccessInput{ServicePrincipal: aws.String(awsfacts.IAMServicePrincipal)}); err != nil {
			return locale.Wrap(locale.M("letting IAM act in the organization (organizations EnableAWSServiceAccess): %v", err), err)
		}
	}
	if missing.RootCredentialsManagement {
		if _, err := api.EnableOrganizationsRootCredentialsManagement(ctx, &iam.EnableOrganizationsRootCredentialsManagementInput{}); err != nil {
			return locale.Wrap(locale.M("enabling root credentials management (iam EnableOrganizationsRootCredentialsManagement): %v", err), err)
		}
	}
	if missing.RootSessions {
		if _, err := api.EnableOrganizationsRootSessions(ctx, &iam.EnableOrganizationsRootSessionsInput{}); err != nil {
			return locale.Wrap(locale.M("enabling root sessions (iam EnableOrganizationsRootSessions): %v", err), err)
		}
	}
	return nil
}
