package baseline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	accessanalyzertypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"
	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// Caller is who signs the requests.
type Caller struct {
	AccountID string `json:"account_id"`
	Partition string `json:"partition"`
	ARN       string `json:"arn"`
	UserID    string `json:"user_id"`
	IsRoot    bool   `json:"is_root"`
	// UserName is the IAM user's name when the caller is one (not an
	// assumed role, not root).
	UserName string `json:"user_name,omitempty"`
	// LongTermKey: the requests are signed with a long-term access key,
	// so they never carry MFA.
	LongTermKey bool `json:"long_term_key,omitempty"`
}

// AccountSummary holds the GetAccountSummary figures the baseline uses.
type AccountSummary struct {
	RootMFAEnabled        bool `json:"root_mfa_enabled"`
	RootAccessKeysPresent bool `json:"root_access_keys_present"`
	Users                 int  `json:"users"`
	Groups                int  `json:"groups"`
	MFADevices            int  `json:"mfa_devices"`
	MFADevicesInUse       int  `json:"mfa_devices_in_use"`
	// RootPasswordPresent and RootCertificatesPresent complete root's
	// credentials: with no key, MFA, password or certificate the root user
	// cannot sign in at all.
	RootPasswordPresent     bool `json:"root_password_present"`
	RootCertificatesPresent bool `json:"root_certificates_present"`
}

// GroupState is the observed admin group.
type GroupState struct {
	Name             string   `json:"name"`
	ARN              string   `json:"arn,omitempty"`
	AttachedPolicies []string `json:"attached_policies"`
}

// UserState is the observed admin user.
type UserState struct {
	Name       string    `json:"name"`
	ARN        string    `json:"arn,omitempty"`
	CreateDate time.Time `json:"create_date"`
	// PasswordLastUsed is nil when the console password was never used to
	// sign in.
	PasswordLastUsed *time.Time `json:"password_last_used,omitempty"`
	// Groups the user is a member of.
	Groups []string `json:"groups"`
}

// LoginProfileState is the user's console password, without the password.
type LoginProfileState struct {
	CreateDate            time.Time `json:"create_date"`
	PasswordResetRequired bool      `json:"password_reset_required"`
}

// MFADevice is an MFA device assigned to the user.
type MFADevice struct {
	SerialNumber string    `json:"serial_number"`
	EnableDate   time.Time `json:"enable_date"`
}

// State is what ReadState observed. Nil pointers mean "does not exist".
type State struct {
	Caller  Caller         `json:"caller"`
	Summary AccountSummary `json:"summary"`
	// PasswordPolicy is nil when the account has none (AWS's default
	// applies).
	PasswordPolicy *PasswordPolicy    `json:"password_policy,omitempty"`
	Group          *GroupState        `json:"group,omitempty"`
	User           *UserState         `json:"user,omitempty"`
	LoginProfile   *LoginProfileState `json:"login_profile,omitempty"`
	MFADevices     []MFADevice        `json:"mfa_devices,omitempty"`
	// UnassignedVirtualMFA are serial numbers of virtual MFA devices that no
	// user holds, for example one left by an aborted enrollment.
	UnassignedVirtualMFA []string `json:"unassigned_virtual_mfa,omitempty"`
	// VirtualMFAUsers maps the serial of each assigned virtual MFA device to
	// its user: a device name another user's device holds is found at
	// plan time.
	VirtualMFAUsers map[string]string `json:"virtual_mfa_users,omitempty"`
	AccountAliases  []string          `json:"account_aliases,omitempty"`
	// SupportRole is the role Spec.SupportRole names; nil when not asked
	// for or absent.
	SupportRole *RoleState `json:"support_role,omitempty"`
	// SecurityContact is the account's security contact, read only when
	// Spec.SecurityContact asks for one; nil when absent.
	SecurityContact *SecurityContact `json:"security_contact,omitempty"`
	// Analyzers are each enabled region's active external-access
	// analyzers, read only when Spec.AccessAnalyzer asks.
	Analyzers []RegionAnalyzers `json:"analyzers,omitempty"`
	// GroupMembers are the user names in the admin group.
	GroupMembers []string `json:"group_members,omitempty"`
	// GroupMFAPolicy is the document of the group's MFA policy
	// (mfapolicy.Name), nil when there is none.
	GroupMFAPolicy *string `json:"group_mfa_policy,omitempty"`
}

// InGroup reports whether the user is a member of the named group (IAM
// names are case-insensitive).
func (s State) InGroup(group string) bool {
	if s.User == nil {
		return false
	}
	for _, g := range s.User.Groups {
		if strings.EqualFold(g, group) {
			return true
		}
	}
	return false
}

// HasPolicy reports whether the group has the policy ARN attached.
func (g *GroupState) HasPolicy(arn string) bool {
	if g == nil {
		return false
	}
	for _, p := range g.AttachedPolicies {
		if p == arn {
			return true
		}
	}
	return false
}

// Alias is the account's alias, or "" when it has none.
func (s State) Alias() string {
	if len(s.AccountAliases) == 0 {
		return ""
	}
	return s.AccountAliases[0]
}

// SameReads reports whether ReadState reads the same for a as for b: the
// same entities by name, and the same opt-in parts (each read only when
// asked for). The wizard reads once before its questions and again only when
// the answers change this. It sits beside ReadState: a read that comes to
// depend on another Spec field must be named here too.
func SameReads(a, b Spec) bool {
	return a.GroupName == b.GroupName && a.UserName == b.UserName && a.MFADeviceName == b.MFADeviceName &&
		a.SupportRole == b.SupportRole && a.AccessAnalyzer == b.AccessAnalyzer &&
		(a.SecurityContact == nil) == (b.SecurityContact == nil)
}

// ReadState reads everything the plan needs. Every read is issued at once
// (bounded by Deps.MaxConcurrency), GetCallerIdentity included: none depends
// on another's answer, so a plan waits for one round trip plus any further
// pages of a long list. Each read returns its own typed value; the State is
// assembled from them once all have answered.
func ReadState(ctx context.Context, deps Deps, spec Spec) (State, error) {
	user, group := spec.UserName, spec.GroupName
	var (
		st            State
		groupState    *GroupState
		groupPolicies []string
		members       []string
		mfaPolicy     *string
		userState     *UserState
		userGroups    []string
		login         *LoginProfileState
		devices       []MFADevice
		alias         []string
		virtual       []iamtypes.VirtualMFADevice
	)
	reads := []Read{
		{"sts:GetCallerIdentity", func(ctx context.Context) (err error) { st.Caller, err = ReadCaller(ctx, deps.STS); return }},
		{"iam:GetAccountSummary", func(ctx context.Context) (err error) { st.Summary, err = ReadSummary(ctx, deps.IAM); return }},
		{"iam:GetAccountPasswordPolicy", func(ctx context.Context) (err error) {
			st.PasswordPolicy, err = ReadPasswordPolicy(ctx, deps.IAM)
			return
		}},
		{"iam:GetGroup", func(ctx context.Context) (err error) {
			groupState, members, err = readGroup(ctx, deps.IAM, group)
			return
		}},
		{"iam:GetGroupPolicy", func(ctx context.Context) (err error) {
			mfaPolicy, err = readGroupMFAPolicy(ctx, deps.IAM, group)
			return
		}},
		{"iam:ListAttachedGroupPolicies", func(ctx context.Context) (err error) {
			groupPolicies, err = collect(ctx, iam.NewListAttachedGroupPoliciesPaginator(deps.IAM, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String(group)}),
				func(o *iam.ListAttachedGroupPoliciesOutput) []string {
					return mapped(o.AttachedPolicies, func(p iamtypes.AttachedPolicy) string { return aws.ToString(p.PolicyArn) })
				})
			return absentIsEmpty(err)
		}},
		{"iam:GetUser", func(ctx context.Context) (err error) { userState, err = readUser(ctx, deps.IAM, user); return }},
		{"iam:ListGroupsForUser", func(ctx context.Context) (err error) {
			userGroups, err = collect(ctx, iam.NewListGroupsForUserPaginator(deps.IAM, &iam.ListGroupsForUserInput{UserName: aws.String(user)}),
				func(o *iam.ListGroupsForUserOutput) []string {
					return mapped(o.Groups, func(g iamtypes.Group) string { return aws.ToString(g.GroupName) })
				})
			return absentIsEmpty(err)
		}},
		{"iam:GetLoginProfile", func(ctx context.Context) (err error) { login, err = ReadLoginProfile(ctx, deps.IAM, user); return }},
		{"iam:ListMFADevices", func(ctx context.Context) (err error) { devices, err = ReadMFADevices(ctx, deps.IAM, user); return }},
		{"iam:ListVirtualMFADevices", func(ctx context.Context) (err error) {
			virtual, err = collect(ctx, iam.NewListVirtualMFADevicesPaginator(deps.IAM, &iam.ListVirtualMFADevicesInput{AssignmentStatus: iamtypes.AssignmentStatusTypeAny}),
				func(o *iam.ListVirtualMFADevicesOutput) []iamtypes.VirtualMFADevice { return o.VirtualMFADevices })
			return
		}},
		{"iam:ListAccountAliases", func(ctx context.Context) (err error) {
			alias, err = collect(ctx, iam.NewListAccountAliasesPaginator(deps.IAM, &iam.ListAccountAliasesInput{}),
				func(o *iam.ListAccountAliasesOutput) []string { return o.AccountAliases })
			return
		}},
	}
	var role *RoleState
	var rolePolicies []string
	if spec.SupportRole != "" {
		reads = append(reads,
			Read{"iam:GetRole", func(ctx context.Context) (err error) {
				role, err = readSupportRole(ctx, deps.IAM, spec.SupportRole)
				return
			}},
			Read{"iam:ListAttachedRolePolicies", func(ctx context.Context) (err error) {
				rolePolicies, err = collect(ctx, iam.NewListAttachedRolePoliciesPaginator(deps.IAM, &iam.ListAttachedRolePoliciesInput{RoleName: aws.String(spec.SupportRole)}),
					func(o *iam.ListAttachedRolePoliciesOutput) []string {
						return mapped(o.AttachedPolicies, func(p iamtypes.AttachedPolicy) string { return aws.ToString(p.PolicyArn) })
					})
				return absentIsEmpty(err)
			}})
	}
	if spec.SecurityContact != nil {
		reads = append(reads, Read{"account:GetAlternateContact", func(ctx context.Context) (err error) {
			if deps.Account == nil {
				return fmt.Errorf("no Account API client")
			}
			st.SecurityContact, err = ReadSecurityContact(ctx, deps.Account)
			return
		}})
	}
	if spec.AccessAnalyzer {
		reads = append(reads, Read{"access-analyzer:ListAnalyzers", func(ctx context.Context) error {
			if deps.Account == nil || deps.AccessAnalyzer == nil {
				return errors.New("no Account or Access Analyzer client")
			}
			var err error
			st.Analyzers, err = readAllAnalyzers(ctx, deps)
			return err
		}})
	}
	if err := ReadConcurrently(ctx, deps.MaxConcurrency, reads); err != nil {
		return State{}, err
	}
	if role != nil {
		role.AttachedPolicies = rolePolicies
		st.SupportRole = role
	}
	for _, d := range virtual {
		serial := aws.ToString(d.SerialNumber)
		if d.User == nil {
			st.UnassignedVirtualMFA = append(st.UnassignedVirtualMFA, serial)
			continue
		}
		if st.VirtualMFAUsers == nil {
			st.VirtualMFAUsers = map[string]string{}
		}
		st.VirtualMFAUsers[serial] = aws.ToString(d.User.UserName)
	}
	st.AccountAliases = alias
	if groupState != nil {
		groupState.AttachedPolicies = groupPolicies
		st.Group, st.GroupMembers, st.GroupMFAPolicy = groupState, members, mfaPolicy
	}
	st.Caller.LongTermKey = awsfacts.IsLongTermAccessKey(deps.SigningAccessKeyID)
	if userState != nil {
		userState.Groups = userGroups
		st.User, st.LoginProfile, st.MFADevices = userState, login, devices
	}
	return st, nil
}

// The account reads below are the one reader of the plan and of status:
// each takes only the call it makes and returns a typed value.

// ReadCaller is who signs the requests.
func ReadCaller(ctx context.Context, api STSAPI) (Caller, error) {
	out, err := api.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return Caller{}, err
	}
	c, err := ParseCallerARN(aws.ToString(out.Arn))
	if err != nil {
		return Caller{}, err
	}
	c.UserID = aws.ToString(out.UserId)
	if id := aws.ToString(out.Account); id != "" {
		c.AccountID = id
	}
	return c, nil
}

// SummaryAPI reads the account summary.
type SummaryAPI interface {
	GetAccountSummary(ctx context.Context, in *iam.GetAccountSummaryInput, optFns ...func(*iam.Options)) (*iam.GetAccountSummaryOutput, error)
}

// ReadSummary reads GetAccountSummary's figures.
func ReadSummary(ctx context.Context, api SummaryAPI) (AccountSummary, error) {
	out, err := api.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return AccountSummary{}, err
	}
	m := out.SummaryMap
	return AccountSummary{
		RootMFAEnabled:          m[string(iamtypes.SummaryKeyTypeAccountMFAEnabled)] > 0,
		RootAccessKeysPresent:   m[string(iamtypes.SummaryKeyTypeAccountAccessKeysPresent)] > 0,
		Users:                   int(m[string(iamtypes.SummaryKeyTypeUsers)]),
		Groups:                  int(m[string(iamtypes.SummaryKeyTypeGroups)]),
		MFADevices:              int(m[string(iamtypes.SummaryKeyTypeMFADevices)]),
		MFADevicesInUse:         int(m[string(iamtypes.SummaryKeyTypeMFADevicesInUse)]),
		RootPasswordPresent:     m[string(iamtypes.SummaryKeyTypeAccountPasswordPresent)] > 0,
		RootCertificatesPresent: m[string(iamtypes.SummaryKeyTypeAccountSigningCertificatesPresent)] > 0,
	}, nil
}

// PasswordPolicyAPI reads the account password policy.
type PasswordPolicyAPI interface {
	GetAccountPasswordPolicy(ctx context.Context, in *iam.GetAccountPasswordPolicyInput, optFns ...func(*iam.Options)) (*iam.GetAccountPasswordPolicyOutput, error)
}

// ReadPasswordPolicy is nil when the account has none (NoSuchEntity).
func ReadPasswordPolicy(ctx context.Context, api PasswordPolicyAPI) (*PasswordPolicy, error) {
	out, err := api.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	p := passwordPolicyFromAWS(out.PasswordPolicy)
	return &p, nil
}

// readGroup is nil when the group does not exist; members are its users'
// names (who the MFA policy will cover).
func readGroup(ctx context.Context, api IAMAPI, name string) (*GroupState, []string, error) {
	var g *GroupState
	members, err := collect(ctx, iam.NewGetGroupPaginator(api, &iam.GetGroupInput{GroupName: aws.String(name)}),
		func(o *iam.GetGroupOutput) []string {
			if g == nil && o.Group != nil {
				g = &GroupState{Name: aws.ToString(o.Group.GroupName), ARN: aws.ToString(o.Group.Arn)}
			}
			return mapped(o.Users, func(u iamtypes.User) string { return aws.ToString(u.UserName) })
		})
	if err != nil {
		return nil, nil, absentIsEmpty(err)
	}
	return g, members, nil
}

// readUser is nil when the user does not exist.
func readUser(ctx context.Context, api IAMAPI, name string) (*UserState, error) {
	out, err := api.GetUser(ctx, &iam.GetUserInput{UserName: aws.String(name)})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	return &UserState{
		Name:             aws.ToString(out.User.UserName),
		ARN:              aws.ToString(out.User.Arn),
		CreateDate:       aws.ToTime(out.User.CreateDate),
		PasswordLastUsed: out.User.PasswordLastUsed,
	}, nil
}

// LoginProfileAPI reads a user's console password settings.
type LoginProfileAPI interface {
	GetLoginProfile(ctx context.Context, in *iam.GetLoginProfileInput, optFns ...func(*iam.Options)) (*iam.GetLoginProfileOutput, error)
}

// ReadLoginProfile is nil when the user (the signer when name is empty) has
// no console password (or does not exist).
func ReadLoginProfile(ctx context.Context, api LoginProfileAPI, name string) (*LoginProfileState, error) {
	out, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: userParam(name)})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	return &LoginProfileState{
		CreateDate:            aws.ToTime(out.LoginProfile.CreateDate),
		PasswordResetRequired: out.LoginProfile.PasswordResetRequired,
	}, nil
}

// userParam is a request's UserName: an empty name sends none, so the
// request acts on its signer (root, in a root session).
func userParam(name string) *string {
	if name == "" {
		return nil
	}
	return aws.String(name)
}

// ReadMFADevices lists the user's MFA devices (the signer's when user is
// empty); none when the user does not exist.
func ReadMFADevices(ctx context.Context, api iam.ListMFADevicesAPIClient, user string) ([]MFADevice, error) {
	devices, err := collect(ctx, iam.NewListMFADevicesPaginator(api, &iam.ListMFADevicesInput{UserName: userParam(user)}),
		func(o *iam.ListMFADevicesOutput) []MFADevice {
			return mapped(o.MFADevices, func(d iamtypes.MFADevice) MFADevice {
				return MFADevice{SerialNumber: aws.ToString(d.SerialNumber), EnableDate: aws.ToTime(d.EnableDate)}
			})
		})
	return devices, absentIsEmpty(err)
}

// VirtualMFADevice is a virtual MFA device and who holds it.
type VirtualMFADevice struct {
	SerialNumber string
	// UserARN is empty for an unassigned device; the root user's device
	// carries arn:<partition>:iam::<account>:root.
	UserARN string
}

// ReadVirtualMFADevices lists the virtual MFA devices with that assignment
// status, 1,000 a page: IAM cannot filter them by user.
func ReadVirtualMFADevices(ctx context.Context, api iam.ListVirtualMFADevicesAPIClient, status iamtypes.AssignmentStatusType) ([]VirtualMFADevice, error) {
	return collect(ctx, iam.NewListVirtualMFADevicesPaginator(api, &iam.ListVirtualMFADevicesInput{AssignmentStatus: status, MaxItems: aws.Int32(maxPage)}),
		func(o *iam.ListVirtualMFADevicesOutput) []VirtualMFADevice {
			return mapped(o.VirtualMFADevices, func(d iamtypes.VirtualMFADevice) VirtualMFADevice {
				v := VirtualMFADevice{SerialNumber: aws.ToString(d.SerialNumber)}
				if d.User != nil {
					v.UserARN = aws.ToString(d.User.Arn)
				}
				return v
			})
		})
}

// maxPage is the largest page IAM's list calls return.
const maxPage = 1000

// absentIsEmpty reads NoSuchEntity as "nothing there": the caller's zero
// value says so.
func absentIsEmpty(err error) error {
	if IsNoSuchEntity(err) {
		return nil
	}
	return err
}

// pager is an SDK paginator of IAM.
type pager[O any] interface {
	HasMorePages() bool
	NextPage(ctx context.Context, optFns ...func(*iam.Options)) (O, error)
}

// collect reads every page of p and gathers what items takes from each.
func collect[O, T any](ctx context.Context, p pager[O], items func(O) []T) ([]T, error) {
	var all []T
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		all = append(all, items(page)...)
	}
	return all, nil
}

// mapped applies f to each element of in.
func mapped[E, T any](in []E, f func(E) T) []T {
	out := make([]T, 0, len(in))
	for _, e := range in {
		out = append(out, f(e))
	}
	return out
}

// Read is one read of an account, run by ReadConcurrently.
type Read struct {
	// Name is "service:Action", for the error message; empty when Fn's
	// errors say what failed themselves.
	Name string
	Fn   func(context.Context) error
}

// ReadConcurrently runs every read with at most limit in flight (0 means
// DefaultMaxConcurrency): the one concurrency runner of the plan's reader
// and the status audit. The first failure cancels the others; it is the
// error returned.
func ReadConcurrently(ctx context.Context, limit int, reads []Read) error {
	if limit <= 0 {
		limit = DefaultMaxConcurrency
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	var once sync.Once
	var first error
	for _, r := range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			if err := r.Fn(ctx); err != nil {
				once.Do(func() {
					first = err
					if r.Name != "" {
						first = locale.Wrap(locale.M("reading the account (%s): %v", r.Name, err), err)
					}
					cancel(first)
				})
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// ParseCallerARN parses the caller ARN: arn:<partition>:iam::<account>:root
// for the root user, or arn:<partition>:iam::<account>:user/... or
// arn:<partition>:sts::<account>:assumed-role/... for others.
func ParseCallerARN(arn string) (Caller, error) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] == "" {
		return Caller{}, locale.Wrap(locale.M("unexpected caller ARN %q", arn), nil)
	}
	c := Caller{
		Partition: parts[1],
		AccountID: parts[4],
		ARN:       arn,
		IsRoot:    parts[2] == "iam" && parts[5] == "root",
	}
	if parts[2] == "iam" && strings.HasPrefix(parts[5], "user/") {
		// user/<path>/<name>: the name is the last segment.
		c.UserName = parts[5][strings.LastIndexByte(parts[5], '/')+1:]
	}
	return c, nil
}

// IsNoSuchEntity reports whether err is IAM's NoSuchEntity.
func IsNoSuchEntity(err error) bool { return hasErrorCode(err, "NoSuchEntity") }

func hasErrorCode(err error, code string) bool { return awsfacts.HasErrorCode(err, code) }

func passwordPolicyFromAWS(p *iamtypes.PasswordPolicy) PasswordPolicy {
	if p == nil {
		return PasswordPolicy{}
	}
	return PasswordPolicy{
		MinimumLength:              int(aws.ToInt32(p.MinimumPasswordLength)),
		RequireUppercase:           p.RequireUppercaseCharacters,
		RequireLowercase:           p.RequireLowercaseCharacters,
		RequireNumbers:             p.RequireNumbers,
		RequireSymbols:             p.RequireSymbols,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		MaxAgeDays:                 int(aws.ToInt32(p.MaxPasswordAge)),
		ReusePrevention:            int(aws.ToInt32(p.PasswordReusePrevention)),
		HardExpiry:                 aws.ToBool(p.HardExpiry),
	}
}

func policyToAWS(p PasswordPolicy) *iam.UpdateAccountPasswordPolicyInput {
	in := &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength:      aws.Int32(int32(p.MinimumLength)),
		RequireUppercaseCharacters: p.RequireUppercase,
		RequireLowercaseCharacters: p.RequireLowercase,
		RequireNumbers:             p.RequireNumbers,
		RequireSymbols:             p.RequireSymbols,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		HardExpiry:                 aws.Bool(p.HardExpiry),
	}
	// IAM rejects 0 for these; leaving them out is how "never expires" and
	// "reuse allowed" are said.
	if p.MaxAgeDays > 0 {
		in.MaxPasswordAge = aws.Int32(int32(p.MaxAgeDays))
	}
	if p.ReusePrevention > 0 {
		in.PasswordReusePrevention = aws.Int32(int32(p.ReusePrevention))
	}
	return in
}

// PolicyEntities are the users, groups and roles a managed policy is
// attached to.
type PolicyEntities struct {
	Users, Groups, Roles []string
}

// Count is how many principals hold the policy.
func (e PolicyEntities) Count() int { return len(e.Users) + len(e.Groups) + len(e.Roles) }

// ReadPolicyEntities lists every principal the managed policy is attached
// to, roles included, 1,000 a page: one listing however many users.
func ReadPolicyEntities(ctx context.Context, api iam.ListEntitiesForPolicyAPIClient, policyARN string) (PolicyEntities, error) {
	var e PolicyEntities
	p := iam.NewListEntitiesForPolicyPaginator(api, &iam.ListEntitiesForPolicyInput{
		PolicyArn: aws.String(policyARN), MaxItems: aws.Int32(maxPage)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return PolicyEntities{}, err
		}
		e.Users = append(e.Users, mapped(page.PolicyUsers, func(u iamtypes.PolicyUser) string { return aws.ToString(u.UserName) })...)
		e.Groups = append(e.Groups, mapped(page.PolicyGroups, func(g iamtypes.PolicyGroup) string { return aws.ToString(g.GroupName) })...)
		e.Roles = append(e.Roles, mapped(page.PolicyRoles, func(r iamtypes.PolicyRole) string { return aws.ToString(r.RoleName) })...)
	}
	return e, nil
}

// RootAccessFeatures is centralized root access as
// iam:ListOrganizationsFeatures reports it.
type RootAccessFeatures struct {
	// Organization is false for a standalone account.
	Organization bool
	// Unreadable is the error code when the account is in an organization
	// but IAM would not say which features are on: a member account that
	// does not administer them, trusted access for IAM not enabled, an
	// organization without all features, or a denial.
	Unreadable            string
	CredentialsManagement bool
	RootSessions          bool
}

// orgFeatureStates are the ListOrganizationsFeatures errors that describe
// the organization rather than the request.
var orgFeatureStates = map[string]bool{
	awsfacts.CodeNotRootAccessAdministrator:     true,
	awsfacts.CodeServiceAccessNotEnabled:        true,
	"OrganizationNotInAllFeaturesModeException": true,
}

// OrganizationsFeaturesAPI reads centralized root access.
type OrganizationsFeaturesAPI interface {
	ListOrganizationsFeatures(ctx context.Context, in *iam.ListOrganizationsFeaturesInput, optFns ...func(*iam.Options)) (*iam.ListOrganizationsFeaturesOutput, error)
}

// ReadRootAccessFeatures asks IAM whether the organization manages its
// members' root credentials and sessions. The errors that describe the
// organization (a member account, trusted access off, not all features) are
// answers; any other (a denial, a transport error) is returned.
func ReadRootAccessFeatures(ctx context.Context, api OrganizationsFeaturesAPI) (RootAccessFeatures, error) {
	out, err := api.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	switch {
	case hasErrorCode(err, "OrganizationNotFoundException"):
		return RootAccessFeatures{}, nil
	case err != nil && orgFeatureStates[awsfacts.ErrorCode(err)]:
		return RootAccessFeatures{Organization: true, Unreadable: awsfacts.ErrorCode(err)}, nil
	case err != nil:
		return RootAccessFeatures{}, err
	}
	f := RootAccessFeatures{Organization: true}
	for _, feature := range out.EnabledFeatures {
		switch feature {
		case iamtypes.FeatureTypeRootCredentialsManagement:
			f.CredentialsManagement = true
		case iamtypes.FeatureTypeRootSessions:
			f.RootSessions = true
		}
	}
	return f, nil
}

// SecurityContact is the account's SECURITY alternate contact.
type SecurityContact struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Email string `json:"email"`
	Phone string `json:"phone"`
}

// AlternateContactAPI reads the account's alternate contacts.
type AlternateContactAPI interface {
	GetAlternateContact(ctx context.Context, in *account.GetAlternateContactInput, optFns ...func(*account.Options)) (*account.GetAlternateContactOutput, error)
}

// ReadSecurityContact is nil when the account has no security contact
// (ResourceNotFoundException).
func ReadSecurityContact(ctx context.Context, api AlternateContactAPI) (*SecurityContact, error) {
	out, err := api.GetAlternateContact(ctx, &account.GetAlternateContactInput{AlternateContactType: accounttypes.AlternateContactTypeSecurity})
	switch {
	case hasErrorCode(err, "ResourceNotFoundException"):
		return nil, nil
	case err != nil:
		return nil, err
	}
	c := out.AlternateContact
	return &SecurityContact{Name: aws.ToString(c.Name), Title: aws.ToString(c.Title), Email: aws.ToString(c.EmailAddress), Phone: aws.ToString(c.PhoneNumber)}, nil
}

// RegionsAPI lists the account's regions.
type RegionsAPI interface {
	account.ListRegionsAPIClient
}

// ReadEnabledRegions lists the regions the account may use: enabled by
// default, or opted in.
func ReadEnabledRegions(ctx context.Context, api RegionsAPI) ([]string, error) {
	p := account.NewListRegionsPaginator(api, &account.ListRegionsInput{
		MaxResults:              aws.Int32(50),
		RegionOptStatusContains: []accounttypes.RegionOptStatus{accounttypes.RegionOptStatusEnabled, accounttypes.RegionOptStatusEnabledByDefault},
	})
	var regions []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		regions = append(regions, mapped(page.Regions, func(r accounttypes.Region) string { return aws.ToString(r.RegionName) })...)
	}
	return regions, nil
}

// AnalyzersAPI lists IAM Access Analyzer analyzers; the region is a
// per-call option, so one client serves every region.
type AnalyzersAPI interface {
	accessanalyzer.ListAnalyzersAPIClient
}

// readAllAnalyzers lists the enabled regions, then every region's analyzers
// at once; for a plan, a region that cannot be read fails the read.
func readAllAnalyzers(ctx context.Context, deps Deps) ([]RegionAnalyzers, error) {
	regions, err := ReadEnabledRegions(ctx, deps.Account)
	if err != nil {
		return nil, locale.Wrap(locale.M("listing the enabled regions: %v", err), err)
	}
	all := ReadAnalyzers(ctx, deps.AccessAnalyzer, regions, len(regions))
	for _, ra := range all {
		if ra.Err != nil {
			return nil, locale.Wrap(locale.M("listing the analyzers of %s: %v", ra.Region, ra.Err), ra.Err)
		}
	}
	return all, nil
}

// RegionAnalyzers are a region's active external-access analyzers (types
// ACCOUNT and ORGANIZATION: the ones CIS and Security Hub IAM.28 ask for),
// or the error reading them.
type RegionAnalyzers struct {
	Region string   `json:"region"`
	Active []string `json:"active"`
	Err    error    `json:"-"`
}

// ReadAnalyzers reads every region's analyzers at once, with at most limit
// in flight; a region that cannot be read carries its error.
func ReadAnalyzers(ctx context.Context, api AnalyzersAPI, regions []string, limit int) []RegionAnalyzers {
	out := make([]RegionAnalyzers, len(regions))
	reads := make([]Read, len(regions))
	for i, region := range regions {
		out[i].Region = region
		reads[i] = Read{Fn: func(ctx context.Context) error {
			out[i].Active, out[i].Err = readRegionAnalyzers(ctx, api, region)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return nil
		}}
	}
	if err := ReadConcurrently(ctx, limit, reads); err != nil {
		for i := range out {
			if out[i].Err == nil && out[i].Active == nil {
				out[i].Err = err
			}
		}
	}
	return out
}

func readRegionAnalyzers(ctx context.Context, api AnalyzersAPI, region string) ([]string, error) {
	p := accessanalyzer.NewListAnalyzersPaginator(api, &accessanalyzer.ListAnalyzersInput{})
	var active []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, func(o *accessanalyzer.Options) { o.Region = region })
		if err != nil {
			return nil, err
		}
		for _, a := range page.Analyzers {
			if a.Status == accessanalyzertypes.AnalyzerStatusActive && (a.Type == accessanalyzertypes.TypeAccount || a.Type == accessanalyzertypes.TypeOrganization) {
				active = append(active, aws.ToString(a.Name))
			}
		}
	}
	return active, nil
}
