package iamsim

import (
	"crypto/sha256"
	"crypto/subtle"
)

func hashPassword(pw string) [32]byte { return sha256.Sum256([]byte(pw)) }

// CheckConsolePassword reports whether password is the console password of
// userName in the account, as a console sign-in would: tests use it to prove
// that the password an operator was handed is the one IAM holds.
// resetRequired says the password must be changed at that sign-in.
func (s *Sim) CheckConsolePassword(accountID, userName, password string) (ok, resetRequired bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		return false, false
	}
	u := a.users[key(userName)]
	if u == nil || u.login == nil {
		return false, false
	}
	h := hashPassword(password)
	if subtle.ConstantTimeCompare(h[:], u.login.passwordHash[:]) != 1 {
		return false, false
	}
	return true, u.login.resetRequired
}
