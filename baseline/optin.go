package baseline

import (
	"context"
	"errors"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// DefaultSupportRoleName is the support role the wizard offers to create.
const DefaultSupportRoleName = "aws-support"

// OptInGaps is what the account lacks of the opt-in CIS fixes, for the
// wizard to ask only about those. Each part carries its own read error: a
// part that cannot be read is not asked about, and the rest still are.
type OptInGaps struct {
	// SupportRoleMissing: no principal holds AWSSupportAccess (IAM.18).
	SupportRoleMissing bool
	SupportErr         error
	// RegionsWithoutAnalyzer are the enabled regions with no active
	// external-access analyzer (IAM.28).
	RegionsWithoutAnalyzer []string
	AnalyzerErr            error
	// ContactMissing: the account has no security contact (Account.1).
	ContactMissing bool
	ContactErr     error
}

// OptInReads says which gaps to read: a part whose flag was given is not
// asked, so it is not read either.
type OptInReads struct{ SupportRole, AccessAnalyzer, SecurityContact bool }

// ReadOptInGaps reads the parts asked for, concurrently.
func ReadOptInGaps(ctx context.Context, deps Deps, partition string, want OptInReads) OptInGaps {
	var g OptInGaps
	noClient := errors.New("no Account or Access Analyzer client")
	var reads []Read
	if want.SupportRole {
		reads = append(reads, Read{Fn: func(ctx context.Context) error {
			e, err := ReadPolicyEntities(ctx, deps.IAM, awsfacts.ManagedPolicyARN(partition, awsfacts.SupportAccess))
			g.SupportRoleMissing, g.SupportErr = err == nil && e.Count() == 0, err
			return nil
		}})
	}
	if want.AccessAnalyzer {
		reads = append(reads, Read{Fn: func(ctx context.Context) error {
			if deps.Account == nil || deps.AccessAnalyzer == nil {
				g.AnalyzerErr = noClient
				return nil
			}
			all, err := readAllAnalyzers(ctx, deps)
			for _, r := range all {
				if len(r.Active) == 0 {
					g.RegionsWithoutAnalyzer = append(g.RegionsWithoutAnalyzer, r.Region)
				}
			}
			g.AnalyzerErr = err
			return nil
		}})
	}
	if want.SecurityContact {
		reads = append(reads, Read{Fn: func(ctx context.Context) error {
			if deps.Account == nil {
				g.ContactErr = noClient
				return nil
			}
			c, err := ReadSecurityContact(ctx, deps.Account)
			g.ContactMissing, g.ContactErr = err == nil && c == nil, err
			return nil
		}})
	}
	// The reads report their errors in g, never here.
	_ = ReadConcurrently(ctx, deps.MaxConcurrency, reads)
	return g
}
