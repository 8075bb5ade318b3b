package iamsim

import (
	"fmt"
	"math/rand"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
)

// An organization in one simulator: the first configured account is its
// management account, every account with a MemberConfig a member. It speaks
// the AWS JSON 1.1 protocol like AWS Organizations.

// AccessRoleName is the role AWS Organizations creates in the accounts it
// creates, trusting the management account.
const AccessRoleName = "OrganizationAccountAccessRole"

// managementOnly names no service: only the management account administers
// it.
const managementOnly = "-"

// managementEmail is the management account's e-mail address.
const managementEmail = "management@example.com"

type organization struct {
	id, rootID string
	mgmt       *account
	accounts   []*account // the management account first, then members
	ous        map[string]*orgUnit
	trusted    map[string]time.Time // service principal -> when trusted access was enabled
	features   map[string]bool      // centralized root access: RootCredentialsManagement, RootSessions
}

type orgUnit struct{ id, name, parent string }

// trustedServices are the service principals EnableAWSServiceAccess knows.
var trustedServices = map[string]bool{
	"iam.amazonaws.com": true, "account.amazonaws.com": true, "access-analyzer.amazonaws.com": true,
	"sso.amazonaws.com": true, "cloudtrail.amazonaws.com": true, "config.amazonaws.com": true,
	"securityhub.amazonaws.com": true, "guardduty.amazonaws.com": true,
}

var (
	parentIDPattern = regexp.MustCompile(`^(r-[0-9a-z]{4,32})$|^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`)
)

// GenerateMembers returns n member accounts in varied states drawn from
// seed. IDs are 2100000000001, 2100000000002, ... (12 digits), names
// member-0001, ...; the first six show one state each so that any n >= 6
// has every state: 1 suspended, 2 without OrganizationAccountAccessRole,
// 3 with a root access key, 4 with root MFA, 5 with a console user without
// MFA, 6 with a root password and a root signing certificate. The others
// draw independently: root access key 25%, root MFA 50%, a user without
// MFA 30%, a user with MFA 50%, root password 20%, root signing
// certificate 5%, role missing 5%, suspended 3%; OU: a quarter each in the
// root, Workloads/Prod, Workloads/Dev and Sandbox.
func GenerateMembers(n int, seed int64) []AccountConfig {
	rng := rand.New(rand.NewSource(seed))
	ous := []string{"", "Workloads/Prod", "Workloads/Dev", "Sandbox"}
	out := make([]AccountConfig, 0, n)
	for i := 1; i <= n; i++ {
		id := fmt.Sprintf("21%010d", i)
		name := fmt.Sprintf("member-%04d", i)
		m := &MemberConfig{
			Name: name, Email: name + "@example.com", OU: ous[rng.Intn(len(ous))],
			Suspended: rng.Float64() < 0.03, AccessRole: rng.Float64() >= 0.05,
			RootPassword: rng.Float64() < 0.2, UsersWithMFA: b2i(rng.Float64() < 0.5),
			UsersWithoutMFA: b2i(rng.Float64() < 0.3),
		}
		if rng.Float64() < 0.05 {
			m.RootSigningCertificates = 1
		}
		c := AccountConfig{ID: id, Partition: "aws", RootMFA: rng.Float64() < 0.5, Member: m}
		if rng.Float64() < 0.25 {
			c.RootAccessKeyIDs = []string{fmt.Sprintf("AKIAROOT%012d", i)}
		}
		forceState(i, &c)
		out = append(out, c)
	}
	return out
}

// forceState gives the first six members one state each (see
// GenerateMembers).
func forceState(i int, c *AccountConfig) {
	m := c.Member
	switch i {
	case 1:
		m.Suspended = true
	case 2:
		m.Suspended, m.AccessRole = false, false
	case 3:
		m.Suspended, m.AccessRole = false, true
		c.RootAccessKeyIDs = []string{fmt.Sprintf("AKIAROOT%012d", i)}
	case 4:
		m.Suspended, m.AccessRole = false, true
		c.RootMFA = true
	case 5:
		m.Suspended, m.AccessRole = false, true
		m.UsersWithoutMFA = 1
	case 6:
		m.Suspended, m.AccessRole = false, true
		m.RootPassword, m.RootSigningCertificates = true, 1
	}
}

// randomLower is n random characters of the lower-case IDs Organizations
// uses.
func randomLower(n int) string { return strings.ToLower(newID("", n)) }

// addOrganizationServices registers the JSON services and the centralized
// root access actions, and puts the member accounts in the organization.
func (s *Sim) addOrganizationServices(cfgs []AccountConfig) {
	s.jsonServices = []*jsonService{organizationsService(), accessAnalyzerService(), accountService()}
	for name, h := range rootAccessActions() {
		s.iamActions[name] = h
	}
	s.stsActions["AssumeRoot"] = (*call).assumeRoot
	for _, c := range cfgs {
		s.join(s.accounts[c.ID])
	}
}

// join puts a member account in the organization, which is created with
// the first configured account as its management account when the first
// member joins.
func (s *Sim) join(a *account) {
	if a == nil || a.ext.member == nil || a == s.order[0] {
		return
	}
	o := s.org
	if o == nil {
		mgmt := s.order[0]
		o = &organization{
			id: "o-" + randomLower(10), rootID: "r-" + randomLower(4), mgmt: mgmt, accounts: []*account{mgmt},
			ous: map[string]*orgUnit{}, trusted: map[string]time.Time{}, features: map[string]bool{},
		}
		s.org = o
	}
	a.ext.member.parent = o.ouFor(a.ext.member.cfg.OU)
	o.accounts = append(o.accounts, a)
	if a.ext.member.cfg.AccessRole {
		if err := a.addRole(OrganizationAccountAccessRole(a.partition, o.mgmt.id), a.created); err != nil {
			panic(fmt.Sprintf("iamsim: account %s: %v", a.id, err))
		}
	}
}

// ouFor returns the ID of the OU at path (names joined by "/"), creating
// the OUs on the way.
func (o *organization) ouFor(path string) string {
	parent := o.rootID
	if path == "" {
		return parent
	}
	for _, name := range strings.Split(path, "/") {
		var found *orgUnit
		for _, u := range o.ous {
			if u.parent == parent && u.name == name {
				found = u
			}
		}
		if found == nil {
			found = &orgUnit{id: "ou-" + o.rootID[2:] + "-" + randomLower(8), name: name, parent: parent}
			o.ous[found.id] = found
		}
		parent = found.id
	}
	return parent
}

func (o *organization) arn(kind, id string) string {
	return "arn:" + o.mgmt.partition + ":organizations::" + o.mgmt.id + ":" + kind + "/" + o.id + "/" + id
}

func (o *organization) hasParent(id string) bool {
	_, ou := o.ous[id]
	return id == o.rootID || ou
}

func organizationsService() *jsonService {
	return &jsonService{
		policyPrefix: "organizations", contentType: "application/x-amz-json-1.1", target: "AWSOrganizationsV20161128",
		throttle: "TooManyRequestsException", throttleStatus: 400, messageKey: "Message",
		actions: map[string]jhandler{
			"DescribeOrganization":                (*jcall).describeOrganization,
			"ListAccounts":                        (*jcall).listAccounts,
			"ListAccountsForParent":               (*jcall).listAccountsForParent,
			"ListOrganizationalUnitsForParent":    (*jcall).listOUsForParent,
			"ListRoots":                           (*jcall).listRoots,
			"EnableAWSServiceAccess":              (*jcall).enableAWSServiceAccess,
			"ListAWSServiceAccessForOrganization": (*jcall).listAWSServiceAccess,
		},
	}
}

func orgInvalid(reason, format string, args ...any) *jsonError {
	return jerr(400, "InvalidInputException", format, args...).with("Reason", reason)
}

// inOrganization is the organization of the caller's account.
func (c *jcall) inOrganization() (*organization, error) {
	o := c.s.org
	if o == nil || (c.acct != o.mgmt && c.acct.ext.member == nil) {
		return nil, jerr(400, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
	}
	return o, nil
}

// administrator is the organization when the caller's account administers
// it for service: the management account, or a delegated administrator for
// that service (for any service when service is empty, as Organizations'
// read operations allow).
func (c *jcall) administrator(service string) (*organization, error) {
	o, err := c.inOrganization()
	if err != nil {
		return nil, err
	}
	if !o.administers(c.acct, service) {
		return nil, jerr(400, "AccessDeniedException", "You don't have permissions to access this resource.")
	}
	return o, nil
}

// administers reports whether a is the management account or a delegated
// administrator for service (for any service when service is empty).
func (o *organization) administers(a *account, service string) bool {
	if a == o.mgmt {
		return true
	}
	if m := a.ext.member; m != nil && !m.cfg.Suspended {
		return (service == "" && len(m.cfg.DelegatedAdministrator) > 0) || slices.Contains(m.cfg.DelegatedAdministrator, service)
	}
	return false
}

// orgPage pages items with MaxResults (1-20) and NextToken, as Organizations'
// list operations do.
func orgPage[T any](c *jcall, items []T, key func(T) string) ([]T, error) {
	max, has, err := c.intMember("MaxResults")
	switch {
	case err != nil:
		return nil, jerr(400, "SerializationException", "MaxResults must be an integer.")
	case has && max < 1:
		return nil, orgInvalid("MIN_VALUE_EXCEEDED", "You provided a value that is less than the minimum allowed: MaxResults 1.")
	case has && max > 20:
		return nil, orgInvalid("MAX_VALUE_EXCEEDED", "You provided a value that exceeds the maximum allowed: MaxResults 20.")
	case !has:
		max = 20
	}
	token, hasToken := c.str("NextToken")
	page, next, ok := sortedPage(items, key, token, hasToken, max)
	if !ok {
		return nil, orgInvalid("INVALID_NEXT_TOKEN", "You specified an invalid value for nextToken.")
	}
	if next != "" {
		c.out["NextToken"] = next
	}
	return page, nil
}

func epoch(t time.Time) float64 { return float64(t.Unix()) }

func (c *jcall) describeOrganization() error {
	o, err := c.inOrganization()
	if err != nil {
		return err
	}
	c.out["Organization"] = map[string]any{
		"Id": o.id, "Arn": "arn:" + o.mgmt.partition + ":organizations::" + o.mgmt.id + ":organization/" + o.id,
		"FeatureSet": "ALL", "MasterAccountId": o.mgmt.id, "MasterAccountArn": o.arn("account", o.mgmt.id),
		"MasterAccountEmail":   managementEmail,
		"AvailablePolicyTypes": []map[string]string{{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}},
	}
	return nil
}

func (o *organization) accountJSON(a *account) map[string]any {
	name, email, state, method := "management", managementEmail, "ACTIVE", "INVITED"
	if m := a.ext.member; m != nil {
		name, email, method = m.cfg.Name, m.cfg.Email, "CREATED"
		if m.cfg.Suspended {
			state = "SUSPENDED"
		}
	}
	return map[string]any{
		"Id": a.id, "Arn": o.arn("account", a.id), "Name": name, "Email": email,
		"Status": state, "State": state, "JoinedMethod": method, "JoinedTimestamp": epoch(a.created),
	}
}

func (c *jcall) writeAccounts(o *organization, accounts []*account) error {
	page, err := orgPage(c, accounts, func(a *account) string { return a.id })
	if err != nil {
		return err
	}
	rows := make([]map[string]any, 0, len(page))
	for _, a := range page {
		rows = append(rows, o.accountJSON(a))
	}
	c.out["Accounts"] = rows
	return nil
}

func (c *jcall) listAccounts() error {
	o, err := c.administrator("")
	if err != nil {
		return err
	}
	return c.writeAccounts(o, append([]*account(nil), o.accounts...))
}

// parentParam is the caller's organization and the ParentId that names its
// root or one of its OUs.
func (c *jcall) parentParam() (*organization, string, error) {
	o, err := c.administrator("")
	if err != nil {
		return nil, "", err
	}
	id, ok := c.str("ParentId")
	switch {
	case !ok:
		return nil, "", orgInvalid("INPUT_REQUIRED", "You must specify a value for ParentId.")
	case !parentIDPattern.MatchString(id):
		return nil, "", orgInvalid("INVALID_PATTERN", "You specified a value that has an invalid pattern: ParentId %s.", id)
	case !o.hasParent(id):
		return nil, "", jerr(400, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.")
	}
	return o, id, nil
}

func (c *jcall) listAccountsForParent() error {
	o, parent, err := c.parentParam()
	if err != nil {
		return err
	}
	var in []*account
	for _, a := range o.accounts {
		p := o.rootID
		if a.ext.member != nil {
			p = a.ext.member.parent
		}
		if p == parent {
			in = append(in, a)
		}
	}
	return c.writeAccounts(o, in)
}

func (c *jcall) listOUsForParent() error {
	o, parent, err := c.parentParam()
	if err != nil {
		return err
	}
	var in []*orgUnit
	for _, u := range o.ous {
		if u.parent == parent {
			in = append(in, u)
		}
	}
	page, err := orgPage(c, in, func(u *orgUnit) string { return u.id })
	if err != nil {
		return err
	}
	rows := make([]map[string]any, 0, len(page))
	for _, u := range page {
		rows = append(rows, map[string]any{"Id": u.id, "Arn": o.arn("ou", u.id), "Name": u.name})
	}
	c.out["OrganizationalUnits"] = rows
	return nil
}

func (c *jcall) listRoots() error {
	o, err := c.administrator("")
	if err != nil {
		return err
	}
	page, err := orgPage(c, []string{o.rootID}, func(id string) string { return id })
	if err != nil {
		return err
	}
	rows := []map[string]any{}
	for _, id := range page {
		rows = append(rows, map[string]any{
			"Id": id, "Arn": o.arn("root", id), "Name": "Root",
			"PolicyTypes": []map[string]string{{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}},
		})
	}
	c.out["Roots"] = rows
	return nil
}

func (c *jcall) enableAWSServiceAccess() error {
	o, err := c.administrator(managementOnly)
	if err != nil {
		return err
	}
	p, ok := c.str("ServicePrincipal")
	switch {
	case !ok:
		return orgInvalid("INPUT_REQUIRED", "You must specify a value for ServicePrincipal.")
	case len(p) < 1 || len(p) > 128:
		return orgInvalid("MAX_LENGTH_EXCEEDED", "You provided a value that exceeds the maximum length: ServicePrincipal 128.")
	case !trustedServices[p]:
		return orgInvalid("UNRECOGNIZED_SERVICE_PRINCIPAL", "You specified a service principal that isn't recognized: %s.", p)
	}
	if _, done := o.trusted[p]; !done {
		o.trusted[p] = c.now
	}
	return nil
}

func (c *jcall) listAWSServiceAccess() error {
	o, err := c.administrator("")
	if err != nil {
		return err
	}
	names := make([]string, 0, len(o.trusted))
	for p := range o.trusted {
		names = append(names, p)
	}
	sort.Strings(names)
	page, err := orgPage(c, names, func(p string) string { return p })
	if err != nil {
		return err
	}
	rows := make([]map[string]any, 0, len(page))
	for _, p := range page {
		rows = append(rows, map[string]any{"ServicePrincipal": p, "DateEnabled": epoch(o.trusted[p])})
	}
	c.out["EnabledServicePrincipals"] = rows
	return nil
}

// suspended says the account is a suspended member: it cannot be entered.
func (a *account) suspended() bool { return a.ext.member != nil && a.ext.member.cfg.Suspended }
