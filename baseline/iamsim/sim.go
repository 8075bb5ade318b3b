package iamsim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	iamVersion   = "2010-05-08"
	stsVersion   = "2011-06-15"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	stsNamespace = "https://sts.amazonaws.com/doc/2011-06-15/"
)

// Sim is the simulator: an http.Handler answering IAM and STS Query requests.
// It is safe for concurrent use; requests are applied one at a time.
type Sim struct {
	mu       sync.Mutex
	now      func() time.Time
	accounts map[string]*account
	order    []*account // configuration order, for the AnyKeyIsRoot fallback
	keys     map[string]*keyBinding
	// expiredKeys answer ExpiredToken (ExpireCredentials).
	expiredKeys map[string]bool
	// deletedKeys are access keys DeleteAccessKey removed: AWS refuses them
	// (InvalidClientTokenId) instead of treating them as never seen.
	deletedKeys map[string]bool

	latency          time.Duration
	throttleRate     float64
	rng              *mrand.Rand
	consistencyDelay time.Duration
	reportDelay      time.Duration
	deviceQuota      int

	faults []*faultRule
	log    []LogEntry
	seq    int
	// finishedDepth is the largest Depth among requests that have finished.
	finishedDepth int
	maxDepth      int

	iamActions map[string]handler
	stsActions map[string]handler

	org          *organization // nil: no account is in an organization
	jsonServices []*jsonService
}

type keyBinding struct {
	acct *account
	key  *accessKey // nil for root signing keys that are not access keys
	// session and sessionUser (nil: root) are set for temporary
	// credentials; role as well for an assumed role's.
	session     *authSession
	sessionUser *user
	role        *roleSession
}

type faultRule struct {
	Fault
	calls int
}

// New builds a simulator from opts (see Options for the zero value).
func New(opts Options) *Sim {
	s := &Sim{
		now:              opts.Now,
		accounts:         map[string]*account{},
		keys:             map[string]*keyBinding{},
		deletedKeys:      map[string]bool{},
		latency:          opts.Latency,
		throttleRate:     opts.ThrottleRate,
		rng:              mrand.New(mrand.NewSource(opts.Seed)),
		consistencyDelay: opts.ConsistencyDelay,
		deviceQuota:      opts.VirtualMFADeviceQuota,
	}
	if s.deviceQuota == 0 {
		s.deviceQuota = usersQuota
	}
	if s.now == nil {
		s.now = time.Now
	}
	cfgs := opts.Accounts
	if len(cfgs) == 0 {
		cfgs = []AccountConfig{DefaultAccount()}
	}
	if opts.MemberAccounts > 0 {
		cfgs = append(cfgs, GenerateMembers(opts.MemberAccounts, opts.Seed)...)
	}
	for _, c := range cfgs {
		s.addAccount(c)
	}
	s.iamActions = iamActions()
	for _, more := range []map[string]handler{auditActions(), roleActions(),
		holderActions("User", (*call).userHolder), holderActions("Group", (*call).groupHolder), holderActions("Role", (*call).roleHolder)} {
		for name, h := range more {
			s.iamActions[name] = h
		}
	}
	s.stsActions = map[string]handler{"GetCallerIdentity": (*call).getCallerIdentity, "AssumeRole": (*call).assumeRole,
		"GetSessionToken": (*call).getSessionToken}
	s.addOrganizationServices(cfgs)
	return s
}

func errUnknownAccount(id string) error { return fmt.Errorf("iamsim: no account %s", id) }

func (s *Sim) addAccount(c AccountConfig) {
	if c.Partition == "" {
		c.Partition = "aws"
	}
	a := &account{
		id:           c.ID,
		partition:    c.Partition,
		created:      s.now().Add(-24 * time.Hour),
		alias:        c.Alias,
		rootMFA:      c.RootMFA && !c.RootCredentialsRemoved,
		rootRemoved:  c.RootCredentialsRemoved,
		anyKeyIsRoot: c.AnyKeyIsRoot,
		users:        map[string]*user{},
		groups:       map[string]*group{},
		devices:      map[string]*mfaDevice{},
		policies:     map[string]*managedPolicy{},
		roles:        map[string]*role{},
		deletedUsers: map[string]time.Time{},
	}
	s.accounts[a.id] = a
	s.order = append(s.order, a)
	if !c.RootCredentialsRemoved {
		s.setRootKeys(a, c.RootAccessKeyIDs)
	}
	for _, id := range c.RootSigningKeyIDs {
		a.rootSigningKeys = append(a.rootSigningKeys, id)
		s.keys[id] = &keyBinding{acct: a}
	}
	for _, rc := range c.Roles {
		if err := a.addRole(rc, a.created); err != nil {
			panic(fmt.Sprintf("iamsim: account %s role %s: %v", c.ID, rc.Name, err))
		}
	}
	s.extendAccount(a, c)
}

func (s *Sim) setRootKeys(a *account, ids []string) {
	for _, k := range a.rootKeys {
		delete(s.keys, k.id)
	}
	a.rootKeys = nil
	for _, id := range ids {
		k := &accessKey{id: id, secret: newSecret(), active: true, created: a.created}
		a.rootKeys = append(a.rootKeys, k)
		s.keys[id] = &keyBinding{acct: a, key: k}
	}
}

// Now is the simulator's clock.
func (s *Sim) Now() time.Time { return s.now() }

// SetRoot replaces root's access keys and MFA state in an account. Each key
// also signs requests as root.
func (s *Sim) SetRoot(accountID string, accessKeyIDs []string, mfa bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.accounts[accountID]
	if a == nil {
		return
	}
	s.setRootKeys(a, accessKeyIDs)
	a.rootMFA = mfa
}

// AddAccount adds an account to a running simulator.
func (s *Sim) AddAccount(c AccountConfig) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.accounts[c.ID]; dup {
		return fmt.Errorf("iamsim: account %s already exists", c.ID)
	}
	s.addAccount(c)
	s.join(s.accounts[c.ID])
	return nil
}

// Log returns a copy of the request log in arrival order.
func (s *Sim) Log() []LogEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]LogEntry, len(s.log))
	copy(out, s.log)
	sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
	return out
}

// ResetLog forgets the logged requests and the round-trip depth.
func (s *Sim) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
	s.finishedDepth = 0
	s.maxDepth = 0
}

// MutatingRequests are the logged requests of actions that change state,
// whether or not they succeeded.
func (s *Sim) MutatingRequests() []LogEntry {
	var out []LogEntry
	for _, e := range s.Log() {
		if e.Mutating {
			out = append(out, e)
		}
	}
	return out
}

// MaxDepth is the longest chain of logged requests in which each one started
// after the previous one had finished: the round trips a client waited for.
func (s *Sim) MaxDepth() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxDepth
}

// AddFault adds a fault rule; its call count starts now.
func (s *Sim) AddFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultRule{Fault: f})
}

// ClearFaults removes every fault rule.
func (s *Sim) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// SetLatency sets the delay added before each request is handled.
func (s *Sim) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetThrottleRate sets the fraction of requests answered with Throttling.
func (s *Sim) SetThrottleRate(rate float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttleRate = rate
}

// SetConsistencyDelay sets how long new entities stay invisible.
func (s *Sim) SetConsistencyDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.consistencyDelay = d
}

// call is one request being handled.
type call struct {
	s       *Sim
	acct    *account
	caller  principal
	form    url.Values
	action  string
	service string // the prefix policies give the action: "iam", "sts", "organizations", ...
	now     time.Time
	out     xb
	// sourceIP is the client's address, for aws:SourceIp.
	sourceIP string
}

type handler func(*call) error

// secretParams are request parameters that never reach the log.
var secretParams = map[string]bool{
	"Password": true, "NewPassword": true, "OldPassword": true,
	"AuthenticationCode1": true, "AuthenticationCode2": true,
	"Base32StringSeed": true, "SecretAccessKey": true, "TokenCode": true,
}

// IsMutating reports whether an action changes IAM state.
func IsMutating(action string) bool {
	for _, p := range []string{"Create", "Update", "Delete", "Put", "Attach", "Detach", "Add",
		"Remove", "Enable", "Deactivate", "Resync", "Set", "Tag", "Untag", "Change", "Upload"} {
		if strings.HasPrefix(action, p) {
			return true
		}
	}
	return false
}

// setDate dates the answer by the simulator's clock, as AWS dates its
// answers by its own: clients measure their clock skew from it.
func (s *Sim) setDate(w http.ResponseWriter) {
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
}

func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if svc, op := s.jsonRoute(r); svc != nil {
		s.serveJSON(w, r, svc, op)
		return
	}
	arrived := time.Now()
	_ = r.ParseForm()
	form := r.Form
	action := form.Get("Action")
	version := form.Get("Version")

	entry := s.arrive(r, arrived, action, form)
	s.mu.Lock()
	defer s.mu.Unlock()
	status, body := s.handle(r, form, action, version, &entry)
	s.record(&entry, status)
	s.setDate(w)
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("x-amzn-RequestId", body.requestID)
	w.Header().Set("Content-Length", strconv.Itoa(len(body.xml)))
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body.xml))
}

// arrive logs the request's arrival and waits the configured latency; the
// caller then handles it under s.mu and calls record.
func (s *Sim) arrive(r *http.Request, arrived time.Time, action string, params url.Values) LogEntry {
	s.mu.Lock()
	s.seq++
	entry := LogEntry{
		Seq:      s.seq,
		Start:    arrived,
		Action:   action,
		Params:   redact(params),
		Mutating: IsMutating(action),
		Depth:    s.finishedDepth + 1,
	}
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 {
		sleep(r.Context(), latency)
	}
	return entry
}

// record finishes a log entry; s.mu is held.
func (s *Sim) record(entry *LogEntry, status int) {
	entry.Status = status
	entry.End = time.Now()
	s.log = append(s.log, *entry)
	if entry.Depth > s.finishedDepth {
		s.finishedDepth = entry.Depth
	}
	if entry.Depth > s.maxDepth {
		s.maxDepth = entry.Depth
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

type answer struct{ xml, requestID string }

func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

func redact(form url.Values) map[string]string {
	out := make(map[string]string, len(form))
	for k, v := range form {
		if secretParams[k] {
			out[k] = "[redacted]"
			continue
		}
		out[k] = strings.Join(v, ",")
	}
	return out
}

// handle runs one request under s.mu and returns the status and body.
func (s *Sim) handle(r *http.Request, form url.Values, action, version string, entry *LogEntry) (int, answer) {
	reqID := newRequestID()
	namespace := iamNamespace
	fail := func(e *apiError) (int, answer) {
		entry.ErrorCode = e.Code
		return e.Status, answer{errorXML(e, reqID, namespace), reqID}
	}

	var actions map[string]handler
	switch version {
	case iamVersion:
		actions = s.iamActions
	case stsVersion:
		actions, namespace = s.stsActions, stsNamespace
	case "":
		return fail(errf("MissingParameter", "The request must contain the parameter Version"))
	default:
		return fail(errf("InvalidAction", "Could not find operation %s for version %s", action, version))
	}
	if action == "" {
		return fail(errf("MissingAction", "Missing Action"))
	}

	caller, err := s.authenticate(r)
	if err != nil {
		return fail(err)
	}
	entry.AccountID = caller.acct.id
	entry.Principal = caller.arn()
	entry.MFA = caller.hasMFA()

	h, ok := actions[action]
	if !ok {
		return fail(errf("InvalidAction", "Could not find operation %s for version %s", action, version))
	}

	if s.throttleRate > 0 && s.rng.Float64() < s.throttleRate {
		return fail(&apiError{Code: "Throttling", Message: "Rate exceeded", Status: 400})
	}
	fault := s.matchFault(action)
	if fault != nil && !fault.AfterHandling {
		return fail(faultError(fault))
	}

	c := &call{s: s, acct: caller.acct, caller: caller, form: form, action: action, service: serviceOf[version], now: s.now(), sourceIP: remoteIP(r)}
	if err := c.admit(); err != nil {
		return fail(err)
	}
	if err := h(c); err != nil {
		if ae, ok := err.(*apiError); ok {
			return fail(ae)
		}
		return fail(errf("ServiceFailure", "%v", err))
	}
	if fault != nil {
		return fail(faultError(fault))
	}
	return 200, answer{successXML(action, namespace, c.out.String(), reqID), reqID}
}

// admit applies what the caller's session allows, checks the request
// against the service's model, then, for IAM, the caller's permissions (STS
// actions need none or, as AssumeRole, decide for themselves).
func (c *call) admit() *apiError {
	if err := c.sessionAllows(c.service); err != nil {
		return err
	}
	if err := c.validateInput(c.service); err != nil {
		return err
	}
	if c.service == "iam" {
		return c.authorize()
	}
	return nil
}

func faultError(f *Fault) *apiError {
	status := f.Status
	if status == 0 {
		status = statusForCode(f.Code)
	}
	msg := f.Message
	if msg == "" {
		msg = "injected fault: " + f.Code
	}
	return &apiError{Code: f.Code, Message: msg, Status: status}
}

// matchFault counts this call against every rule for the action and returns
// the first rule that fires.
func (s *Sim) matchFault(action string) *Fault {
	var hit *Fault
	for _, r := range s.faults {
		if r.Action != action {
			continue
		}
		r.calls++
		if hit == nil && (r.Nth == 0 || r.Nth == r.calls) {
			f := r.Fault
			hit = &f
		}
	}
	return hit
}

func successXML(action, namespace, result, reqID string) string {
	var b xb
	b.WriteString("<" + action + "Response xmlns=\"" + namespace + "\">")
	if result != "" {
		b.WriteString("<" + action + "Result>" + result + "</" + action + "Result>")
	}
	b.WriteString("<ResponseMetadata><RequestId>" + reqID + "</RequestId></ResponseMetadata>")
	b.close(action + "Response")
	return b.String()
}

func errorXML(e *apiError, reqID, namespace string) string {
	var b xb
	b.WriteString("<ErrorResponse xmlns=\"" + namespace + "\"><Error>")
	b.text("Type", errorType(e.Status))
	b.text("Code", e.Code)
	b.text("Message", e.Message)
	b.WriteString("</Error>")
	b.text("RequestId", reqID)
	b.close("ErrorResponse")
	return b.String()
}

// authenticate maps the SigV4 Authorization header's access key to a
// principal. Signatures are not verified.
func (s *Sim) authenticate(r *http.Request) (principal, *apiError) {
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return principal{}, errf("MissingAuthenticationToken", "Request is missing Authentication Token")
	}
	const marker = "Credential="
	i := strings.Index(auth, marker)
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") || i < 0 {
		return principal{}, errf("IncompleteSignature", "Authorization header requires 'Credential' parameter. Authorization=%s", strings.Fields(auth)[0])
	}
	cred := auth[i+len(marker):]
	keyID, _, _ := strings.Cut(cred, "/")
	if err := s.checkExpired(keyID); err != nil {
		return principal{}, err
	}
	if b, ok := s.keys[keyID]; ok {
		if b.session != nil {
			if !s.now().Before(b.session.expires) {
				return principal{}, errExpiredToken()
			}
			return principal{acct: b.acct, user: b.sessionUser, role: b.role, session: b.session}, nil
		}
		if b.key == nil {
			return principal{acct: b.acct}, nil
		}
		if !b.key.active {
			return principal{}, errf("InvalidClientTokenId", "The security token included in the request is invalid.")
		}
		b.key.lastUsed = s.now()
		return principal{acct: b.acct, user: b.key.user}, nil
	}
	if s.deletedKeys[keyID] {
		return principal{}, errf("InvalidClientTokenId", "The security token included in the request is invalid.")
	}
	for _, a := range s.order {
		if a.anyKeyIsRoot {
			return principal{acct: a}, nil
		}
	}
	return principal{}, errf("InvalidClientTokenId", "The security token included in the request is invalid.")
}

// serviceOf names the service of each API version, as actions are prefixed
// in policies.
var serviceOf = map[string]string{iamVersion: "iam", stsVersion: "sts"}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// visible reports whether an entity created with this visibility time can be
// seen yet (IAM's eventual consistency).
func (c *call) visible(at time.Time) bool { return !c.now.Before(at) }

func (c *call) visibleAt() time.Time { return c.now.Add(c.s.consistencyDelay) }
