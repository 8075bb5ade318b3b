package baseline

// MakePlan compares the spec with the state and lists the changes, in the
// order of steps. It makes no call and has no side effect.
func MakePlan(spec Spec, st State) Plan {
	partition := st.Caller.Partition
	if partition == "" {
		partition = "aws"
	}
	aliasOrID := plannedAlias(spec, st)
	if aliasOrID == "" {
		aliasOrID = st.Caller.AccountID
	}
	in := planInput{Spec: spec, State: st, Partition: partition, SignInURL: SignInURL(partition, aliasOrID)}
	p := Plan{
		FormatVersion: PlanFormatVersion,
		Account: Account{
			ID:             st.Caller.AccountID,
			Partition:      partition,
			Alias:          st.Alias(),
			CallerARN:      st.Caller.ARN,
			IsRoot:         st.Caller.IsRoot,
			CallerUserName: st.Caller.UserName,
			SignInURL:      in.SignInURL,
		},
	}
	for _, s := range steps() {
		if s.plan != nil {
			p.Changes = append(p.Changes, s.plan(in))
		}
	}
	return p
}
