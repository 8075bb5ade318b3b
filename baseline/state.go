package baseline

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
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
		{"sts:GetCallerIdentity", func(ctx context.Context) (err error) { st.Caller, err = readCaller(ctx, deps.STS); return }},
		{"iam:GetAccountSummary", func(ctx context.Context) (err error) { st.Summary, err = readSummary(ctx, deps.IAM); return }},
		{"iam:GetAccountPasswordPolicy", func(ctx context.Context) (err error) {
			st.PasswordPolicy, err = readPasswordPolicy(ctx, deps.IAM)
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
		{"iam:GetLoginProfile", func(ctx context.Context) (err error) { login, err = readLoginProfile(ctx, deps.IAM, user); return }},
		{"iam:ListMFADevices", func(ctx context.Context) (err error) {
			devices, err = collect(ctx, iam.NewListMFADevicesPaginator(deps.IAM, &iam.ListMFADevicesInput{UserName: aws.String(user)}),
				func(o *iam.ListMFADevicesOutput) []MFADevice {
					return mapped(o.MFADevices, func(d iamtypes.MFADevice) MFADevice {
						return MFADevice{SerialNumber: aws.ToString(d.SerialNumber), EnableDate: aws.ToTime(d.EnableDate)}
					})
				})
			return absentIsEmpty(err)
		}},
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
	if err := ReadConcurrently(ctx, deps.MaxConcurrency, reads); err != nil {
		return State{}, err
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

func readCaller(ctx context.Context, api STSAPI) (Caller, error) {
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

func readSummary(ctx context.Context, api IAMAPI) (AccountSummary, error) {
	out, err := api.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return AccountSummary{}, err
	}
	m := out.SummaryMap
	return AccountSummary{
		RootMFAEnabled:        m[string(iamtypes.SummaryKeyTypeAccountMFAEnabled)] > 0,
		RootAccessKeysPresent: m[string(iamtypes.SummaryKeyTypeAccountAccessKeysPresent)] > 0,
		Users:                 int(m[string(iamtypes.SummaryKeyTypeUsers)]),
		Groups:                int(m[string(iamtypes.SummaryKeyTypeGroups)]),
		MFADevices:            int(m[string(iamtypes.SummaryKeyTypeMFADevices)]),
		MFADevicesInUse:       int(m[string(iamtypes.SummaryKeyTypeMFADevicesInUse)]),
	}, nil
}

// readPasswordPolicy is nil when the account has none (NoSuchEntity).
func readPasswordPolicy(ctx context.Context, api IAMAPI) (*PasswordPolicy, error) {
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

// readLoginProfile is nil when the user has no console password (or does
// not exist).
func readLoginProfile(ctx context.Context, api IAMAPI, name string) (*LoginProfileState, error) {
	out, err := api.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String(name)})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	return &LoginProfileState{
		CreateDate:            aws.ToTime(out.LoginProfile.CreateDate),
		PasswordResetRequired: out.LoginProfile.PasswordResetRequired,
	}, nil
}

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
						first = fmt.Errorf("reading the account (%s): %w", r.Name, err)
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
		return Caller{}, fmt.Errorf("unexpected caller ARN %q", arn)
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
