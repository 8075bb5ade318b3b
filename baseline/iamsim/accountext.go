package iamsim

import (
	"slices"
	"strconv"
	"time"
)

// accountExt is an account's state beyond IAM's own: membership in the
// organization, root's password and signing certificates (which centralized
// root access manages), the regions it has enabled, and the state of the
// regional and account-level JSON services.
type accountExt struct {
	member       *memberState // nil: not in the organization (or its management account)
	rootPassword bool
	rootCerts    []*rootCert
	reportDelay  time.Duration
	optIn        map[string]bool
	analyzers    map[string]map[string]*analyzer // region -> lower-case name -> analyzer
	contacts     map[string]*alternateContact    // by type
}

type memberState struct {
	cfg    MemberConfig
	parent string // the ID of the root or OU that holds the account
	joined time.Time
}

type rootCert struct {
	id       string
	active   bool
	uploaded time.Time
}

// defaultRegions are enabled in every account of the partition; optInRegions
// must be enabled by the account (AWS's lists as of 2025).
var (
	defaultRegions = map[string][]string{
		"aws": {"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
			"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
			"us-east-1", "us-east-2", "us-west-1", "us-west-2"},
		"aws-cn":     {"cn-north-1", "cn-northwest-1"},
		"aws-us-gov": {"us-gov-east-1", "us-gov-west-1"},
	}
	optInRegions = map[string][]string{
		"aws": {"af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
			"ap-southeast-7", "ca-west-1", "eu-central-2", "eu-south-1", "eu-south-2", "il-central-1",
			"me-central-1", "me-south-1", "mx-central-1"},
	}
)

func (s *Sim) extendAccount(a *account, c AccountConfig) {
	x := &a.ext
	x.rootPassword = !c.RootCredentialsRemoved
	x.reportDelay = c.CredentialReportDelay
	x.optIn = map[string]bool{}
	for _, r := range c.OptInRegions {
		x.optIn[r] = true
	}
	m := c.Member
	if m == nil {
		return
	}
	x.member = &memberState{cfg: *m, joined: a.created}
	x.rootPassword = m.RootPassword && !c.RootCredentialsRemoved
	if !c.RootCredentialsRemoved {
		for range m.RootSigningCertificates {
			x.rootCerts = append(x.rootCerts, &rootCert{id: newID("", 32), active: true, uploaded: a.created})
		}
	}
	for i := 1; i <= m.UsersWithoutMFA; i++ {
		u := a.newUser("user-nomfa-"+strconv.Itoa(i), "/", a.created, a.created)
		u.login = &loginProfile{created: a.created, changed: a.created, visibleAt: a.created}
	}
	for i := 1; i <= m.UsersWithMFA; i++ {
		name := "user-mfa-" + strconv.Itoa(i)
		u := a.newUser(name, "/", a.created, a.created)
		u.login = &loginProfile{created: a.created, changed: a.created, visibleAt: a.created}
		d := &mfaDevice{serial: a.arn("mfa/" + name), name: name, path: "/", seed: "JBSWY3DPEHPK3PXP",
			created: a.created, visibleAt: a.created, user: u, enabled: a.created, lastStep: -1}
		a.devices[key(d.serial)] = d
		u.mfa = append(u.mfa, d)
	}
}

// regionEnabled reports whether the account can use a regional service in
// region.
func (a *account) regionEnabled(region string) bool {
	return slices.Contains(defaultRegions[a.partition], region) || a.ext.optIn[region]
}

func (x *accountExt) rootCertColumns() []string {
	var cols []string
	for i := range 2 {
		if i >= len(x.rootCerts) {
			cols = append(cols, "false", "N/A")
			continue
		}
		cols = append(cols, strconv.FormatBool(x.rootCerts[i].active), reportTime(x.rootCerts[i].uploaded))
	}
	return cols
}

// reportDelay is how long the account's credential report takes to build.
func (c *call) reportDelay() time.Duration {
	if d := c.acct.ext.reportDelay; d > 0 {
		return d
	}
	return c.s.reportDelay
}
