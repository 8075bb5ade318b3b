package baseline

import "github.com/iam-baseline/iam-baseline/baseline/locale"

// RootMFA is the root-mfa step's view.
type RootMFA struct {
	Enabled bool `json:"enabled"`
}

func planRootMFA(in planInput) Change {
	st, partition := in.State, in.Partition
	c := Change{
		Step:   StepRootMFA,
		Before: RootMFA{Enabled: st.Summary.RootMFAEnabled},
	}
	if st.Summary.RootMFAEnabled {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonRootMFAEnabled}}
		return c
	}
	c.Action = ActionManual
	c.After = RootMFA{Enabled: true}
	c.Reasons = []Reason{{Code: ReasonRootMFAMissing}}
	if partition == "aws-us-gov" {
		c.ManualSteps = []locale.Msg{
			locale.M("the root user of an AWS GovCloud (US) account cannot sign in to the console"),
			locale.M("enable MFA on the root user of the standard AWS account this GovCloud account is associated with"),
		}
		return c
	}
	c.ManualSteps = []locale.Msg{
		locale.M("sign in to %s as the root user", consoleURL(partition)),
		locale.M("open the account menu > Security credentials > Multi-factor authentication (MFA)"),
		locale.M("choose Assign MFA device and follow the steps (a security key or passkey is strongest)"),
	}
	return c
}

// rootMFAStep is only ever manual or done: AWS has no API to enable root
// MFA.
func rootMFAStep() step { return step{id: StepRootMFA, plan: planRootMFA} }
