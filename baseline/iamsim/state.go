package iamsim

import (
	"crypto/rand"
	"strings"
	"time"
)

// account is one simulated AWS account's IAM state.
type account struct {
	id        string
	partition string
	created   time.Time
	alias     string

	rootMFA         bool
	rootRemoved     bool
	rootKeys        []*accessKey
	rootSigningKeys []string
	anyKeyIsRoot    bool

	users    map[string]*user  // by lower-case name
	groups   map[string]*group // by lower-case name
	devices  map[string]*mfaDevice
	policies map[string]*managedPolicy // customer managed, by ARN
	roles    map[string]*role          // by lower-case name
	pwPolicy *passwordPolicy
	report   *credentialReport
	// deletedUsers: when each user name was last deleted, for
	// EntityTemporarilyUnmodifiable.
	deletedUsers map[string]time.Time
	ext          accountExt // organizations, regions and the JSON services' state
}

type user struct {
	name, id, path string
	created        time.Time
	visibleAt      time.Time
	groups         map[string]*group
	attached       []string          // managed policy ARNs in attach order
	inline         map[string]string // policy name -> document
	login          *loginProfile
	keys           []*accessKey
	mfa            []*mfaDevice
	// unmodifiableUntil: a name deleted and recreated within the
	// consistency window cannot have its credentials changed until then.
	unmodifiableUntil time.Time
}

type group struct {
	name, id, path string
	created        time.Time
	visibleAt      time.Time
	members        map[string]*user
	attached       []string
	inline         map[string]string
}

type loginProfile struct {
	created       time.Time
	resetRequired bool
	changed       time.Time
	visibleAt     time.Time
	passwordHash  [32]byte // for CheckConsolePassword; the password itself is not kept
}

type accessKey struct {
	id, secret string
	user       *user // nil: the root user
	active     bool
	created    time.Time
	lastUsed   time.Time
}

type mfaDevice struct {
	serial    string
	name      string
	path      string
	seed      string // base32
	created   time.Time
	visibleAt time.Time
	user      *user // nil when unassigned (or root's device when rootDevice)
	root      bool
	enabled   time.Time
	// lastStep is the latest TOTP time step accepted; codes for it or an
	// earlier step are replays.
	lastStep int64
	// outOfSync: enabled with codes too old (AWS associates the device
	// anyway); it accepts no code until ResyncMFADevice.
	outOfSync bool
	tags      []tag
}

type managedPolicy struct {
	arn, name, id, path, description string
	document, version                string
	created, visibleAt               time.Time
	awsManaged                       bool
}

type passwordPolicy struct {
	minLength                                    int
	requireSymbols, requireNumbers, requireUpper bool
	requireLower, allowChange, hardExpiry        bool
	maxAge, reuse                                int
}

func (a *account) arn(resource string) string {
	return "arn:" + a.partition + ":iam::" + a.id + ":" + resource
}

func (a *account) rootARN() string { return a.arn("root") }

func (a *account) userARN(u *user) string { return a.arn("user" + u.path + u.name) }

func (a *account) groupARN(g *group) string { return a.arn("group" + g.path + g.name) }

func key(name string) string { return strings.ToLower(name) }

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// newID returns prefix followed by n random characters, like IAM's unique
// IDs (AIDA..., AGPA...) and access key IDs (AKIA...).
func newID(prefix string, n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return prefix + string(b)
}

func newSecret() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 40)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
