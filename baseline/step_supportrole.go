package baseline

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
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
func SupportRoleTrustPolicy(partition, accountID string) string {
	if partition == "" {
		partition = awsfacts.PartitionAWS
	}
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:` + partition + `:iam::` + accountID +
		`:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`
}

func planSupportRole(in planInput) Change {
	spec, st := in.Spec, in.State
	arn := awsfacts.ManagedPolicyARN(in.Partition, awsfacts.SupportAccess)
	c := Change{Step: StepSupportRole, Title: "Support role with " + awsfacts.SupportAccess}
	switch {
	case spec.SupportRole == "":
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonSupportRoleNotAsked, Policy: awsfacts.SupportAccess}}
		return c
	case st.SupportRole == nil:
		c.Title = fmt.Sprintf("Role %q with %s", spec.SupportRole, awsfacts.SupportAccess)
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonSupportRoleMissing, Role: spec.SupportRole}}
		c.After = RoleState{Name: spec.SupportRole, AttachedPolicies: []string{arn}}
		c.Details = []string{"create role " + spec.SupportRole + ", assumable with MFA by the account's administrators", "attach " + arn}
		return c
	}
	role := *st.SupportRole
	c.Title = fmt.Sprintf("Role %q with %s", role.Name, awsfacts.SupportAccess)
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
	c.Details = []string{"attach " + arn}
	return c
}

func (a *applier) applySupportRole(ctx context.Context, r *stepRun) error {
	target, _ := r.change.After.(RoleState)
	name := target.Name
	recent := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(name),
			AssumeRolePolicyDocument: aws.String(SupportRoleTrustPolicy(a.plan.Account.Partition, a.plan.Account.ID)),
			Description:              aws.String("Manages incidents with AWS Support (" + awsfacts.SupportAccess + "); made by iam-baseline")})
		if recent, err = r.created(err, "role", name); err != nil {
			return err
		}
	}
	arn := awsfacts.ManagedPolicyARN(a.plan.Account.Partition, awsfacts.SupportAccess)
	if _, err := a.deps.IAM.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}, waitOutConsistency(recent)...); err != nil {
		return fmt.Errorf("attaching %s to role %q: %w", arn, name, err)
	}
	r.did = append(r.did, "attached "+arn+" to role "+name)
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
