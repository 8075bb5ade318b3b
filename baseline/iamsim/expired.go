package iamsim

// ExpireCredentials makes every request signed with accessKeyID fail with
// ExpiredToken, as AWS answers for temporary credentials (SSO, assumed
// roles, CloudShell) used past their expiry.
func (s *Sim) ExpireCredentials(accessKeyID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.expiredKeys == nil {
		s.expiredKeys = map[string]bool{}
	}
	s.expiredKeys[accessKeyID] = true
}

func (s *Sim) checkExpired(accessKeyID string) *apiError {
	if s.expiredKeys[accessKeyID] {
		return errExpiredToken()
	}
	return nil
}

func errExpiredToken() *apiError {
	return errf("ExpiredToken", "The security token included in the request is expired")
}
