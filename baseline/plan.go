// Package baseline turns a desired IAM baseline (Spec) and what an account
// holds now (State) into an ordered list of changes (Plan), then performs them
// (Apply). It never touches a terminal: progress goes to a Reporter, and
// anything that needs a person goes through interfaces that package prompt
// implements.
package baseline

import "github.com/iam-baseline/iam-baseline/baseline/locale"

// PlanFormatVersion is the version of the JSON plan format. Bump it when a
// field changes meaning or is removed; adding a field does not bump it.
const PlanFormatVersion = 1

// Action says what Apply will do for one step.
type Action string

// The actions, each explained on its line.
const (
	ActionCreate Action = "create" // the thing does not exist; Apply creates it
	ActionUpdate Action = "update" // it exists but differs; Apply changes it
	ActionDelete Action = "delete" // Apply removes it (root access keys)
	ActionNone   Action = "none"   // already as desired
	ActionManual Action = "manual" // only a person can do it (console, root)
	ActionSkip   Action = "skip"   // the operator opted out (for example --skip-mfa)
)

// Mutates reports whether Apply makes an AWS change for this action. Only
// these count as pending for --detailed-exitcode.
func (a Action) Mutates() bool {
	return a == ActionCreate || a == ActionUpdate || a == ActionDelete
}

// StepID names a step of the baseline. The order of the constants is the order
// of the plan.
type StepID string

// The steps, in plan order.
const (
	StepRootAccessKeys  StepID = "root-access-keys"
	StepRootMFA         StepID = "root-mfa"
	StepAdminGroup      StepID = "admin-group"
	StepRequireMFA      StepID = "require-mfa"
	StepAdminUser       StepID = "admin-user"
	StepPasswordPolicy  StepID = "password-policy"
	StepUserMFA         StepID = "user-mfa"
	StepAccountAlias    StepID = "account-alias"
	StepSupportRole     StepID = "support-role"
	StepSecurityContact StepID = "security-contact"
	StepAccessAnalyzer  StepID = "access-analyzer"
	StepSignInURL       StepID = "sign-in-url"
	// StepRootAccessKeyInUse deletes the root access key the run signs
	// with: always the very last step (rootkeys.go).
	StepRootAccessKeyInUse StepID = "root-access-key-in-use"
)

// Change is one step of a plan: what is there (Before), what will be there
// (After), and why (Reasons). Before and After hold plain data (no secrets) so that the
// text and JSON views can render them.
type Change struct {
	Step StepID `json:"step"`
	// Subject names what the step works on; views word the step's title
	// from Step and Subject.
	Subject Subject `json:"-"`
	Action  Action  `json:"action"`
	// Reasons say why, as codes with data, in order; views word them.
	Reasons []Reason `json:"reasons"`
	// Before and After are step-specific value types (for example
	// PasswordPolicy, GroupState); nil where nothing exists or nothing changes.
	Before any `json:"before,omitempty"`
	After  any `json:"after,omitempty"`
	// Details are the individual sub-changes of the step, in order, for
	// example "attach arn:aws:iam::aws:policy/AdministratorAccess".
	Details []locale.Msg `json:"details,omitempty"`
	// ManualSteps tell a person what to do where Action is ActionManual.
	ManualSteps []locale.Msg `json:"manual_steps,omitempty"`
}

// Subject is the data of a step's title: the names it is about.
type Subject struct {
	Role   string
	User   string
	Group  string
	Policy string
}

// Account identifies the account and caller a plan was made for.
type Account struct {
	ID        string `json:"id"`
	Partition string `json:"partition"`
	Alias     string `json:"alias,omitempty"`
	CallerARN string `json:"caller_arn"`
	IsRoot    bool   `json:"is_root"`
	// CallerUserName is the IAM user the run signs as, if it is one.
	CallerUserName string `json:"caller_user_name,omitempty"`
	SignInURL      string `json:"sign_in_url"`
}

// Plan is the ordered list of changes. Text and JSON views render this same
// struct.
type Plan struct {
	FormatVersion int      `json:"format_version"`
	Account       Account  `json:"account"`
	Changes       []Change `json:"changes"`
}

// Pending counts the changes that Apply would make to AWS. Manual and skipped
// steps are not pending.
func (p Plan) Pending() int {
	n := 0
	for _, c := range p.Changes {
		if c.Action.Mutates() {
			n++
		}
	}
	return n
}

// The questions every mode asks of a plan, answered here once.

// SetsNewPassword reports whether Apply gives the admin user a new temporary
// console password (a new login profile, or a reset): it then has to be
// delivered, and somewhere to deliver it must exist before any change.
func (p Plan) SetsNewPassword() bool {
	u, ok := p.Change(StepAdminUser).After.(AdminUser)
	return ok && u.NewTemporaryPassword
}

// DeletesKeyInUse reports whether Apply deletes the root access key the
// run signs with: after it, no run with these credentials can set another
// password, so a new one must be delivered first (Deps.DeliverPassword).
func (p Plan) DeletesKeyInUse() bool {
	return p.Change(StepRootAccessKeyInUse).Action.Mutates()
}

// EnrollsMFA reports whether Apply enrolls a virtual MFA device: it then
// needs an mfa.CodeSource.
func (p Plan) EnrollsMFA() bool {
	c := p.Change(StepUserMFA)
	m, ok := c.After.(UserMFA)
	// Finishing a re-enrollment only deletes the old devices.
	return c.Action.Mutates() && (!ok || m.DeviceName != "")
}

// Manual lists the changes only a person can make, in plan order.
func (p Plan) Manual() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == ActionManual {
			out = append(out, c)
		}
	}
	return out
}

// UserName is the admin user the plan sets up.
func (p Plan) UserName() string {
	c := p.Change(StepAdminUser)
	if u, ok := c.After.(AdminUser); ok && u.Name != "" {
		return u.Name
	}
	if u, ok := c.Before.(AdminUser); ok && u.Name != "" {
		return u.Name
	}
	return DefaultUserName
}

// GroupName is the administrators' group the plan finds or creates.
func (p Plan) GroupName() string {
	if g, ok := p.Change(StepAdminGroup).After.(GroupState); ok && g.Name != "" {
		return g.Name
	}
	return DefaultGroupName
}

// Change is the plan's change for step, or a zero Change (Action "") when
// the plan has none.
func (p Plan) Change(step StepID) Change {
	for _, c := range p.Changes {
		if c.Step == step {
			return c
		}
	}
	return Change{}
}
