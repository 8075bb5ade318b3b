package org

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// RootAPI is what a root session (sts:AssumeRoot) in a member is used for:
// the audit's reads of root, and the deletions. Calls name no user: in a
// root session they act on root.
type RootAPI interface {
	audit.RootSessionAPI
	DeleteAccessKey(ctx context.Context, in *iam.DeleteAccessKeyInput, opts ...func(*iam.Options)) (*iam.DeleteAccessKeyOutput, error)
	DeleteSigningCertificate(ctx context.Context, in *iam.DeleteSigningCertificateInput, opts ...func(*iam.Options)) (*iam.DeleteSigningCertificateOutput, error)
}

// EnterRoot opens a root session in a member, held to the task policy
// (awsfacts.RootTaskAudit or awsfacts.RootTaskDelete).
type EnterRoot func(ctx context.Context, m Member, task string) (RootAPI, error)

// RootCredentials is one member's part of the plan: root's access keys and,
// when asked, signing certificates, to delete. Err says why the account
// could not be read (or, after apply, why the deletion failed).
type RootCredentials struct {
	Member       Member
	AccessKeys   []string
	Certificates []string
	// Unknown: centralized root access is off, so the credentials are read
	// once apply has enabled it.
	Unknown bool
	Err     error
}

// Changes reports whether the account has something to delete.
func (r RootCredentials) Changes() bool {
	return len(r.AccessKeys)+len(r.Certificates) > 0 || r.Unknown
}

// RootOptions are the settings of a root credential run.
type RootOptions struct {
	Concurrency  int
	Certificates bool // delete root's signing certificates too
	Progress     func(done, total int)
}

// withSlot runs fn holding a slot; a cancelled ctx is the error of an
// account that never got one.
func withSlot(ctx context.Context, slots chan struct{}, m Member, fn func() RootCredentials) RootCredentials {
	if err := acquire(ctx, slots); err != nil {
		return RootCredentials{Member: m, Err: err}
	}
	defer func() { <-slots }()
	return fn()
}

// PlanRootCredentials reads, through audit sessions, what each member's
// root holds. With enabled false (centralized root access is off) nothing
// can be read yet and every active account is Unknown.
func PlanRootCredentials(ctx context.Context, members []Member, enter EnterRoot, enabled bool, opts RootOptions) []RootCredentials {
	slots := newSlots(opts.Concurrency)
	return forEach(members, opts.Progress, func(m Member) RootCredentials {
		r := RootCredentials{Member: m}
		switch {
		case !m.Active():
			r.Err = ErrSuspended
		case !enabled:
			r.Unknown = true
		default:
			return withSlot(ctx, slots, m, func() RootCredentials {
				r.AccessKeys, r.Certificates, r.Err = readRoot(ctx, m, enter, opts.Certificates)
				return r
			})
		}
		return r
	})
}

func readRoot(ctx context.Context, m Member, enter EnterRoot, certs bool) (keys, certIDs []string, err error) {
	api, err := openAudit(ctx, m, enter)
	if err != nil {
		return nil, nil, err
	}
	return listRoot(ctx, api, certs)
}

// openAudit opens a root audit session in the member: the plan's and the
// status audit's one way in.
func openAudit(ctx context.Context, m Member, enter EnterRoot) (RootAPI, error) {
	api, err := enter(ctx, m, rootTaskAudit)
	if err != nil {
		return nil, locale.Wrap(locale.M("opening a root audit session in %s: %v", m.ID, err), err)
	}
	return api, nil
}

// listRoot lists root's access keys and, when certs, its signing
// certificates, with the audit's reads.
func listRoot(ctx context.Context, api RootAPI, certs bool) (keys, certIDs []string, err error) {
	found, err := baseline.ListRootAccessKeys(ctx, api, "")
	if err != nil {
		return nil, nil, err
	}
	for _, k := range found {
		keys = append(keys, k.ID)
	}
	if !certs {
		return keys, nil, nil
	}
	if certIDs, err = audit.ListRootSigningCertificates(ctx, api); err != nil {
		return nil, nil, err
	}
	return keys, certIDs, nil
}

// DeleteRootCredentials deletes what the plan lists, through delete
// sessions; an Unknown account is read in its delete session first. A key
// already gone counts as deleted, so a re-run after a partial failure
// finishes the rest. The result holds what was deleted, and Err for an
// account where something failed.
func DeleteRootCredentials(ctx context.Context, plan []RootCredentials, enter EnterRoot, opts RootOptions) []RootCredentials {
	slots := newSlots(opts.Concurrency)
	return forEach(plan, opts.Progress, func(p RootCredentials) RootCredentials {
		if p.Err != nil || !p.Changes() {
			return p
		}
		return withSlot(ctx, slots, p.Member, func() RootCredentials {
			done := RootCredentials{Member: p.Member}
			done.AccessKeys, done.Certificates, done.Err = deleteRoot(ctx, p, enter, opts.Certificates)
			return done
		})
	})
}

func deleteRoot(ctx context.Context, p RootCredentials, enter EnterRoot, certs bool) (keys, certIDs []string, err error) {
	api, err := enter(ctx, p.Member, rootTaskDelete)
	if err != nil {
		return nil, nil, locale.Wrap(locale.M("opening a root delete session in %s: %v", p.Member.ID, err), err)
	}
	if p.Unknown {
		if p.AccessKeys, p.Certificates, err = listRoot(ctx, api, certs); err != nil {
			return nil, nil, err
		}
	}
	for _, id := range p.AccessKeys {
		_, err := api.DeleteAccessKey(ctx, &iam.DeleteAccessKeyInput{AccessKeyId: aws.String(id)})
		if err != nil && !baseline.IsNoSuchEntity(err) {
			return keys, certIDs, locale.Wrap(locale.M("deleting root access key %s: %v", id, err), err)
		}
		keys = append(keys, id)
	}
	for _, id := range p.Certificates {
		_, err := api.DeleteSigningCertificate(ctx, &iam.DeleteSigningCertificateInput{CertificateId: aws.String(id)})
		if err != nil && !baseline.IsNoSuchEntity(err) {
			return keys, certIDs, locale.Wrap(locale.M("deleting root signing certificate %s: %v", id, err), err)
		}
		certIDs = append(certIDs, id)
	}
	return keys, certIDs, nil
}

// The task names, from the one list of AWS facts.
const (
	rootTaskAudit  = awsfacts.RootTaskAudit
	rootTaskDelete = awsfacts.RootTaskDelete
)
