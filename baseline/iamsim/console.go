package iamsim

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"time"
)

func hashPassword(pw string) [32]byte { return sha256.Sum256([]byte(pw)) }

func (l *loginProfile) matches(pw string) bool {
	h := hashPassword(pw)
	return subtle.ConstantTimeCompare(h[:], l.passwordHash[:]) == 1
}

// passwordExpiry is when the password must next be changed, if the policy
// makes passwords expire.
func (a *account) passwordExpiry(l *loginProfile) (time.Time, bool) {
	if a.pwPolicy == nil || a.pwPolicy.maxAge == 0 {
		return time.Time{}, false
	}
	return l.changed.AddDate(0, 0, a.pwPolicy.maxAge), true
}

// consoleUser finds the user whose console password this is.
func (s *Sim) consoleUser(accountID, userName, password string) (*account, *user) {
	a := s.accounts[accountID]
	if a == nil {
		return nil, nil
	}
	u := a.users[key(userName)]
	if u == nil || u.login == nil || !u.login.matches(password) {
		return nil, nil
	}
	return a, u
}

// CheckConsolePassword reports whether password is the console password of
// userName in the account, as a console sign-in would: tests use it to prove
// that the password an operator was handed is the one IAM holds.
// resetRequired says the password must be changed at that sign-in.
func (s *Sim) CheckConsolePassword(accountID, userName, password string) (ok, resetRequired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, u := s.consoleUser(accountID, userName, password)
	if u == nil {
		return false, false
	}
	return true, u.login.resetRequired
}

// ConsoleSession is the temporary credential of a console sign-in: sign
// requests with AccessKeyID (ClientConfig) to act as the signed-in user.
type ConsoleSession struct {
	AccessKeyID string
	// MFA says the sign-in used an MFA code: the session's requests carry
	// aws:MultiFactorAuthPresent=true, otherwise false (never absent).
	MFA bool
	// PasswordResetRequired: until ChangePassword succeeds in this session,
	// it may do nothing else.
	PasswordResetRequired bool
}

// Console sign-in failures, in the order the console checks.
var (
	ErrSignInFailed    = errors.New("iamsim: your authentication information is incorrect")
	ErrMFACodeRequired = errors.New("iamsim: the user has an MFA device: an MFA code is required")
	ErrMFACodeInvalid  = errors.New("iamsim: the MFA code is not valid")
	ErrNoMFADevice     = errors.New("iamsim: an MFA code was given but the user has no MFA device, so the console would not ask for one")
	// ErrPasswordExpired: the password is past the policy's MaxPasswordAge
	// and HardExpiry keeps the user from choosing a new one.
	ErrPasswordExpired = errors.New("iamsim: the password has expired and only an administrator can reset it")
)

// ConsoleSignIn signs in to the console the way AWS orders it for an IAM
// user: account, user name and password first; then, if the user has an MFA
// device, its current code; then, if the password must be reset (the
// operator asked for it, or it is older than the policy's MaxPasswordAge),
// a session
// that can only call ChangePassword until it does. mfaCode is "" when the
// user has no device. A code is accepted once.
func (s *Sim) ConsoleSignIn(accountID, userName, password, mfaCode string) (ConsoleSession, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, u := s.consoleUser(accountID, userName, password)
	if u == nil {
		return ConsoleSession{}, ErrSignInFailed
	}
	now := s.now()
	mfa, err := consoleMFA(u, mfaCode, now)
	if err != nil {
		return ConsoleSession{}, err
	}
	reset := u.login.resetRequired
	if expiry, ok := a.passwordExpiry(u.login); ok && now.After(expiry) {
		if a.pwPolicy.hardExpiry {
			return ConsoleSession{}, ErrPasswordExpired
		}
		reset = true
	}
	sess := &authSession{kind: consoleSignIn, mfa: mfa, authTime: now, issued: now,
		expires: now.Add(consoleSessionSecs * time.Second), resetPending: reset}
	return ConsoleSession{AccessKeyID: s.issueSession(a, u, sess), MFA: mfa, PasswordResetRequired: sess.resetPending}, nil
}

func consoleMFA(u *user, code string, now time.Time) (bool, error) {
	switch {
	case len(u.mfa) == 0 && code == "":
		return false, nil
	case len(u.mfa) == 0:
		return false, ErrNoMFADevice
	case code == "":
		return false, ErrMFACodeRequired
	}
	for _, d := range u.mfa {
		if d.acceptsCode(code, now) {
			return true, nil
		}
	}
	return false, ErrMFACodeInvalid
}
