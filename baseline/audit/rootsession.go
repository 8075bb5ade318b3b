package audit

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// RootSessionAPI is an IAM client signed by a root session in a member
// account (sts:AssumeRoot with the task policy awsfacts.RootTaskAudit):
// requests that name no user act on root. Of what that task policy allows
// (these four, GetUser, GetAccessKeyLastUsed and GetAccountSummary), these
// four say which credentials root holds, and which keys and certificates
// they are: what apply --organization deletes.
type RootSessionAPI interface {
	iam.ListAccessKeysAPIClient
	iam.ListSigningCertificatesAPIClient
	iam.ListMFADevicesAPIClient
	baseline.LoginProfileAPI
}

// OpenRootSession opens a root audit session in the audited account.
type OpenRootSession func(ctx context.Context) (RootSessionAPI, error)

// RootHoldings are root's credentials as a root session lists them.
type RootHoldings struct {
	AccessKeys   []baseline.RootAccessKey
	Certificates []string
	MFADevices   []baseline.MFADevice
	Password     bool
}

// ReadRootHoldings lists root's credentials through a root session, all
// four reads at once.
func ReadRootHoldings(ctx context.Context, api RootSessionAPI) (RootHoldings, error) {
	var h RootHoldings
	err := baseline.ReadConcurrently(ctx, 0, []baseline.Read{
		{Fn: func(ctx context.Context) (err error) {
			h.AccessKeys, err = baseline.ListRootAccessKeys(ctx, api, "")
			return
		}},
		{Fn: func(ctx context.Context) (err error) {
			h.Certificates, err = ListRootSigningCertificates(ctx, api)
			return
		}},
		{Fn: func(ctx context.Context) (err error) {
			if h.MFADevices, err = baseline.ReadMFADevices(ctx, api, ""); err != nil {
				err = locale.Wrap(locale.M("listing the root user's MFA devices: %v", err), err)
			}
			return
		}},
		{Fn: func(ctx context.Context) error {
			login, err := baseline.ReadLoginProfile(ctx, api, "")
			if err != nil {
				return locale.Wrap(locale.M("reading the root user's console password (GetLoginProfile): %v", err), err)
			}
			h.Password = login != nil
			return nil
		}},
	})
	return h, err
}

// ListRootSigningCertificates lists the IDs of root's signing
// certificates through a root session.
func ListRootSigningCertificates(ctx context.Context, api iam.ListSigningCertificatesAPIClient) ([]string, error) {
	var ids []string
	p := iam.NewListSigningCertificatesPaginator(api, &iam.ListSigningCertificatesInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, locale.Wrap(locale.M("listing the root user's signing certificates: %v", err), err)
		}
		for _, c := range page.Certificates {
			ids = append(ids, aws.ToString(c.CertificateId))
		}
	}
	return ids, nil
}

// Facts are the root checks' view of the holdings: the same facts
// GetAccountSummary and the virtual MFA listing give, with the device type
// read from each device's serial number.
func (h RootHoldings) Facts() RootFacts {
	f := RootFacts{
		AccessKeysPresent:  len(h.AccessKeys) > 0,
		MFAEnabled:         len(h.MFADevices) > 0,
		PasswordPresent:    h.Password,
		CertificatePresent: len(h.Certificates) > 0,
	}
	for _, d := range h.MFADevices {
		if awsfacts.IsVirtualMFASerial(d.SerialNumber) {
			f.VirtualMFA = true
		}
	}
	return f
}
