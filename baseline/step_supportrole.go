package baseline

import (
	"context"
	"slices"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/policydoc"
)

// The support role (CIS: a role to manage incidents with AWS Support), made
// only when asked: a role with AWSSupportAccess that the account's
// administrators may assume. Its trust policy names the account, so only
// principals whose own policies allow sts:AssumeRole on it (the admin
// group's AdministratorAccess) can, and only with MFA.
func supportRoleStep() step {
	return step{id: StepSupportRole, plan: planSupportRole, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applySupportRole(ctx, r)
	}}
}

// RoleState is an observed role with its attached managed policies.
type RoleState struct {
	Name             string   `json:"name"`
	ARN              string   `json:"arn,omitempty"`
	AttachedPolicies []string `json:"attached_policies"`
}

// HasPolicy reports whether the role has the policy ARN attached.
func (r *RoleState) HasPolicy(arn string) bool {
	return r != nil && slices.Contains(r.AttachedPolicies, arn)
}

// SupportRoleTrustPolicy lets the account's principals that are allowed
// sts:AssumeRole assume the role, with MFA only.
func SupportRoleTrustPolicy(partition, accountID string) policydoc.Document {
	if partition == "" {
		partition = awsfacts.PartitionAWS
	}
	return policydoc.Document{Version: policydoc.Version, Statement: []policydoc.Statement{{
		Effect:    "Allow",
		Principal: map[string]policydoc.Values{"AWS": {"arn:" + partition + ":iam::" + accountID + ":root"}},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]policydoc.Values{"Bool": {"aws:MultiFactorAuthPresent": {"true"}}},
	}}}
}

func planSupportRole(in planInput) Change {
	spec, st := in.Spec, in.State
	arn := awsfacts.ManagedPolicyARN(in.Partition, awsfacts.SupportAccess)
	c := Change{Step: StepSupportRole, Subject: Subject{Policy: awsfacts.SupportAccess}}
	switch {
	case spec.SupportRole == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonSupportRoleNotAsked, Policy: awsfacts.SupportAccess}}
		return c
	case st.SupportRole == nil:
		c.Subject.Role = spec.SupportRole
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonSupportRoleMissing, Role: spec.SupportRole}}
		c.After = RoleState{Name: spec.SupportRole, AttachedPolicies: []string{arn}}
		c.Details = []locale.Msg{locale.M("create role %s, assumable with MFA by the account's administrators", spec.SupportRole), locale.M("attach %s", arn)}
		return c
	}
	role := *st.SupportRole
	c.Subject.Role = role.Name
	c.Before = role
	if role.HasPolicy(arn) {
		c.Action, c.After = ActionNone, role
		c.Reasons = []Reason{{Code: ReasonSupportRoleReady, Role: role.Name, Policy: awsfacts.SupportAccess}}
		return c
	}
	after := role
	after.AttachedPolicies = append(slices.Clone(role.AttachedPolicies), arn)
	c.Action, c.After = ActionUpdate, after
	c.Reasons = []Reason{{Code: ReasonSupportRoleNoPolicy, Role: role.Name, Policy: awsfacts.SupportAccess}}
	c.Details = []locale.Msg{locale.M("attach %s", arn)}
	return c
}

func (a *applier) applySupportRole(ctx context.Context, r *stepRun) error {
	target, _ := r.change.After.(RoleState)
	name := target.Name
	recent := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name),
			AssumeRolePolicyDocument: aws.String(SupportRoleTrustPolicy(a.plan.Account.Partition, a.plan.Account.ID).JSON()),
			Description:              aws.String("Manages incidents with AWS Support (" + awsfacts.SupportAccess + "); made by iam-baseline")})
		if recent, err = r.created(err, locale.M("role %q", name), locale.M("created role %s", name)); err != nil {
			return err
		}
	}
	arn := awsfacts.ManagedPolicyARN(a.plan.Account.Partition, awsfacts.SupportAccess)
	if _, err := a.deps.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}, waitOutConsistency(recent)...); err != nil {
		return locale.Wrap(locale.M("attaching %s to role %q: %v", arn, name, err), err)
	}
	r.did = append(r.did, locale.M("attached %s to role %s", arn, name))
	return nil
}

// readSupportRole is nil when the role does not exist.
func readSupportRole(ctx context.Context, api IAMAPI, name string) (*RoleState, error) {
	out, err := api.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return nil, absentIsEmpty(err)
	}
	return &RoleState{Name: aws.ToString(out.Role.RoleName), ARN: aws.ToString(out.Role.Arn)}, nil
}
