package baseline

import (
	"context"
	"slices"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

// The admin group, with the AWS-managed AdministratorAccess policy
// attached. Its entity exists as soon as it is created, before the policy
// is attached: the user step waits only for that.
func adminGroupStep() step {
	return step{id: StepAdminGroup, plan: planGroup, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyGroup(ctx, r)
	}}
}

func planGroup(in planInput) Change {
	spec, st := in.Spec, in.State
	arn := AdminPolicyARN(in.Partition)
	c := Change{
		Step:    StepAdminGroup,
		Subject: Subject{Group: spec.GroupName, Policy: AdminPolicyName},
		After:   GroupState{Name: spec.GroupName, AttachedPolicies: []string{arn}},
	}
	if st.Group == nil {
		c.Action = ActionCreate
		c.Reasons = []Reason{{Code: ReasonGroupMissing, Group: spec.GroupName}}
		c.Details = []locale.Msg{locale.M("create group %s", spec.GroupName), locale.M("attach %s", arn)}
		return c
	}
	c.Before = *st.Group
	after := *st.Group
	if st.Group.HasPolicy(arn) {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonGroupReady, Group: st.Group.Name, Policy: AdminPolicyName}}
		c.After = after
		return c
	}
	after.AttachedPolicies = append(slices.Clone(st.Group.AttachedPolicies), arn)
	c.After = after
	c.Action = ActionUpdate
	c.Reasons = []Reason{{Code: ReasonGroupNoPolicy, Group: st.Group.Name, Policy: AdminPolicyName}}
	c.Details = []locale.Msg{locale.M("attach %s", arn)}
	return c
}

func (a *applier) applyGroup(ctx context.Context, r *stepRun) error {
	name := a.groupName
	recent := false
	if r.change.Action == ActionCreate {
		_, err := a.deps.IAM.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(name)})
		if recent, err = r.created(err, locale.M("group %q", name), locale.M("created group %s", name)); err != nil {
			return err
		}
	}
	r.markExists(recent, nil)
	arn := AdminPolicyARN(a.plan.Account.Partition)
	if _, err := a.deps.IAM.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String(name), PolicyArn: aws.String(arn)}, waitOutConsistency(recent)...); err != nil {
		return locale.Wrap(locale.M("attaching %s to group %q: %v", arn, name, err), err)
	}
	r.did = append(r.did, locale.M("attached %s to group %s", arn, name))
	return nil
}
