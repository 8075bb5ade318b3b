package baseline

import (
	"context"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/secret"
	"github.com/iam-baseline/iam-baseline/mfa"
)

// IAMAPI is the part of *iam.Client the baseline uses. *iam.Client
// satisfies it; so does anything wrapping one.
type IAMAPI interface {
	// What the MFA enrollment (package mfa) needs.
	mfa.IAMAPI
	// Listing and deleting the root user's access keys (rootkeys.go).
	RootKeysAPI

	// Reads.
	GetAccountSummary(ctx context.Context, in *iam.GetAccountSummaryInput, optFns ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
	GetAccountPasswordPolicy(ctx context.Context, in *iam.GetAccountPasswordPolicyInput, optFns ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error)
	GetGroup(ctx context.Context, in *iam.GetGroupInput, optFns ...func(*iam.Options)) (*iam.GetGroupOutput, error)
	GetGroupPolicy(ctx context.Context, in *iam.GetGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.GetGroupPolicyOutput, error)
	ListAttachedGroupPolicies(ctx context.Context, in *iam.ListAttachedGroupPoliciesInput, optFns ...func(*iam.Options)) (*iam.ListAttachedGroupPoliciesOutput, error)
	GetUser(ctx context.Context, in *iam.GetUserInput, optFns ...func(*iam.Options)) (*iam.GetUserOutput, error)
	GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput, optFns ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error)
	ListGroupsForUser(ctx context.Context, in *iam.ListGroupsForUserInput, optFns ...func(*iam.Options)) (*iam.ListGroupsForUserOutput, error)
	ListAccountAliases(ctx context.Context, in *iam.ListAccountAliasesInput, optFns ...func(*iam.Options)) (*iam.ListAccountAliasesOutput, error)
	GetRole(ctx context.Context, in *iam.GetRoleInput, optFns ...func(*iam.Options)) (*iam.GetRoleOutput, error)
	ListAttachedRolePolicies(ctx context.Context, in *iam.ListAttachedRolePoliciesInput, optFns ...func(*iam.Options)) (*iam.ListAttachedRolePoliciesOutput, error)
	// Whether anyone holds AWSSupportAccess, for the wizard's opt-in page.
	ListEntitiesForPolicy(ctx context.Context, in *iam.ListEntitiesForPolicyInput, optFns ...func(*iam.Options)) (*iam.ListEntitiesForPolicyOutput, error)

	// Writes.
	CreateGroup(ctx context.Context, in *iam.CreateGroupInput, optFns ...func(*iam.Options)) (*iam.CreateGroupOutput, error)
	PutGroupPolicy(ctx context.Context, in *iam.PutGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.PutGroupPolicyOutput, error)
	AttachGroupPolicy(ctx context.Context, in *iam.AttachGroupPolicyInput, optFns ...func(*iam.Options)) (*iam.AttachGroupPolicyOutput, error)
	CreateUser(ctx context.Context, in *iam.CreateUserInput, optFns ...func(*iam.Options)) (*iam.CreateUserOutput, error)
	CreateLoginProfile(ctx context.Context, in *iam.CreateLoginProfileInput, optFns ...func(*iam.Options)) (*iam.CreateLoginProfileOutput, error)
	DeactivateMFADevice(ctx context.Context, in *iam.DeactivateMFADeviceInput, optFns ...func(*iam.Options)) (*iam.DeactivateMFADeviceOutput, error)
	UpdateLoginProfile(ctx context.Context, in *iam.UpdateLoginProfileInput, optFns ...func(*iam.Options)) (*iam.UpdateLoginProfileOutput, error)
	AddUserToGroup(ctx context.Context, in *iam.AddUserToGroupInput, optFns ...func(*iam.Options)) (*iam.AddUserToGroupOutput, error)
	UpdateAccountPasswordPolicy(ctx context.Context, in *iam.UpdateAccountPasswordPolicyInput, optFns ...func(*iam.Options)) (*iam.UpdateAccountPasswordPolicyOutput, error)
	CreateAccountAlias(ctx context.Context, in *iam.CreateAccountAliasInput, optFns ...func(*iam.Options)) (*iam.CreateAccountAliasOutput, error)
	CreateRole(ctx context.Context, in *iam.CreateRoleInput, optFns ...func(*iam.Options)) (*iam.CreateRoleOutput, error)
	AttachRolePolicy(ctx context.Context, in *iam.AttachRolePolicyInput, optFns ...func(*iam.Options)) (*iam.AttachRolePolicyOutput, error)
}

// AccountAPI is the part of *account.Client the baseline uses: the
// security contact.
type AccountAPI interface {
	AlternateContactAPI
	RegionsAPI
	PutAlternateContact(ctx context.Context, in *account.PutAlternateContactInput, optFns ...func(*account.Options)) (*account.PutAlternateContactOutput, error)
}

// AccessAnalyzerAPI lists and creates IAM Access Analyzer analyzers.
type AccessAnalyzerAPI interface {
	AnalyzersAPI
	CreateAnalyzer(ctx context.Context, in *accessanalyzer.CreateAnalyzerInput, optFns ...func(*accessanalyzer.Options)) (*accessanalyzer.CreateAnalyzerOutput, error)
}

// STSAPI is the part of *sts.Client the baseline uses.
type STSAPI interface {
	GetCallerIdentity(ctx context.Context, in *sts.GetCallerIdentityInput, optFns ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

// Deps are the side effects the baseline needs. Everything is injected so
// tests can run it against iamsim with seeded randomness.
type Deps struct {
	IAM IAMAPI
	STS STSAPI
	// Account sets the security contact and lists the enabled regions;
	// nil when the run does neither.
	Account AccountAPI
	// AccessAnalyzer creates analyzers, region by region (a per-call
	// option); nil when the run does not.
	AccessAnalyzer AccessAnalyzerAPI
	// Rand is the source for the temporary password: crypto/rand.Reader in
	// the product.
	Rand io.Reader
	// Now is the clock for the MFA device's enroll-by time; nil means
	// time.Now.
	Now func() time.Time
	// Processes names this run's process in the tags of the MFA device it
	// creates and proves an earlier run on this host dead, so that a device
	// a killed run left is taken over at once; nil: neither.
	Processes mfa.Processes
	// Reporter receives progress events during Apply; nil discards them.
	Reporter Reporter
	// MFACodes presents the new MFA device and supplies its codes: the
	// terminal (package prompt) or a secret file (mfa.SecretFileSource). Nil
	// means MFA cannot be enrolled: Apply refuses a plan that enrolls it.
	MFACodes mfa.CodeSource
	// MFAIssuer overrides the issuer shown in authenticator apps.
	MFAIssuer string
	// MaxConcurrency bounds concurrent reads; 0 means DefaultMaxConcurrency.
	MaxConcurrency int
	// DeliverPassword, when set, hands a new temporary password over
	// (written and synced to its file) before the step that deletes the
	// root access key this run signs with: after it, no run with these
	// credentials could set another. uncertain: the request setting it got
	// no answer. An error keeps the key. Apply calls it at most once, and
	// only when that step is planned; the caller delivers otherwise.
	DeliverPassword func(pw secret.Value, uncertain bool) error
	// SigningAccessKeyID is the access key ID the requests are signed with,
	// so that a root access key in use is deleted last. Empty when unknown.
	SigningAccessKeyID string
}

// DefaultMaxConcurrency bounds the reads in flight at once: enough for one
// round of every read ReadState makes.
const DefaultMaxConcurrency = 16

func (d Deps) report(e Event) {
	if d.Reporter != nil {
		d.Reporter.Report(e)
	}
}

// EventKind tells a step's start from its end.
type EventKind int

// The kinds of progress events.
const (
	StepStarted EventKind = iota + 1
	StepFinished
)

func (k EventKind) String() string {
	switch k {
	case StepStarted:
		return "started"
	case StepFinished:
		return "finished"
	}
	return "unknown"
}

// Event is one progress report from Apply. Events arrive in plan order: a
// step's StepStarted, then its StepFinished, then the next step's, even when
// the work of independent steps overlaps.
type Event struct {
	Kind    EventKind
	Step    StepID
	Subject Subject
	Action  Action
	// Err is set on a StepFinished event for a step that failed.
	Err error
	// Done lists what was changed, on StepFinished (for example "created
	// user administrator"). Never holds secrets.
	Done []locale.Msg
}

// Reporter receives progress events. Apply calls it from one goroutine at a
// time.
type Reporter interface {
	Report(Event)
}

// ReporterFunc adapts a function to Reporter.
type ReporterFunc func(Event)

// Report calls f.
func (f ReporterFunc) Report(e Event) { f(e) }

var _ IAMAPI = (*iam.Client)(nil)
var _ STSAPI = (*sts.Client)(nil)
