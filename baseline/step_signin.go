package baseline

// SignIn is the sign-in-url step's view.
type SignIn struct {
	URL string `json:"url"`
}

func signInURLStep() step {
	return step{id: StepSignInURL, plan: func(in planInput) Change {
		return Change{
			Step:    StepSignInURL,
			Action:  ActionNone,
			Reasons: []Reason{{Code: ReasonSignInURL, URL: in.SignInURL}},
			After:   SignIn{URL: in.SignInURL},
		}
	}}
}
