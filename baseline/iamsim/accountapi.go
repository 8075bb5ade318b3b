package iamsim

import (
	"regexp"
	"slices"
	"sort"
)

// The Account Management API (REST-JSON): alternate contacts and the
// account's regions. A management account may act on a member account by
// AccountId once it trusts account.amazonaws.com.

type alternateContact struct{ kind, name, title, email, phone string }

var (
	contactTypes        = map[string]bool{"BILLING": true, "OPERATIONS": true, "SECURITY": true}
	contactEmailPattern = regexp.MustCompile(`^[\s]*[\w+=.#|!&-]+@[\w.-]+\.[\w]+[\s]*$`)
	contactPhonePattern = regexp.MustCompile(`^[\s0-9()+-]+$`)
	accountIDPattern    = regexp.MustCompile(`^\d{12}$`)
	regionOptStatuses   = map[string]bool{"ENABLED": true, "ENABLING": true, "DISABLING": true, "DISABLED": true, "ENABLED_BY_DEFAULT": true}
)

func accountService() *jsonService {
	return &jsonService{
		policyPrefix: "account", contentType: "application/json",
		routes: map[string]string{
			"POST /getAlternateContact": "GetAlternateContact", "POST /putAlternateContact": "PutAlternateContact",
			"POST /listRegions": "ListRegions",
		},
		throttle: "TooManyRequestsException", throttleStatus: 429, messageKey: "message",
		actions: map[string]jhandler{
			"GetAlternateContact": (*jcall).getAlternateContact,
			"PutAlternateContact": (*jcall).putAlternateContact,
			"ListRegions":         (*jcall).listRegions,
		},
	}
}

const accountServicePrincipal = "account.amazonaws.com"

// targetAccount is the account named by AccountId, or the caller's: the
// management account or a delegated administrator for Account may name a
// member.
func (c *jcall) targetAccount() (*account, error) {
	id, ok := c.str("AccountId")
	if !ok {
		return c.acct, nil
	}
	if !accountIDPattern.MatchString(id) {
		return nil, validation("AccountId", "AccountId must satisfy regular expression pattern: ^\\d{12}$")
	}
	o := c.s.org
	denied := jerr(403, "AccessDeniedException", "User: %s is not authorized to perform: %s on account %s", c.caller.arn(), c.policyAction(), id)
	switch {
	case o == nil || !o.administers(c.acct, accountServicePrincipal):
		return nil, denied
	case id == c.acct.id:
		return nil, validation("AccountId", "An account can't specify its own AccountId; call the operation without AccountId.")
	}
	target := c.s.accounts[id]
	if target == nil || target.ext.member == nil {
		return nil, denied
	}
	if _, trusted := o.trusted[accountServicePrincipal]; !trusted {
		return nil, jerr(403, "AccessDeniedException", "Trusted access is not enabled for account.amazonaws.com in AWS Organizations.")
	}
	return target, nil
}

// contactTarget is the account and the AlternateContactType of a contact
// request.
func (c *jcall) contactTarget() (*account, string, error) {
	a, err := c.targetAccount()
	if err != nil {
		return nil, "", err
	}
	t, ok := c.str("AlternateContactType")
	if !ok || !contactTypes[t] {
		return nil, "", validation("AlternateContactType", "AlternateContactType must be one of BILLING, OPERATIONS, SECURITY")
	}
	return a, t, nil
}

func (c *jcall) getAlternateContact() error {
	a, t, err := c.contactTarget()
	if err != nil {
		return err
	}
	ct := a.ext.contacts[t]
	if ct == nil {
		return jerr(404, "ResourceNotFoundException", "No contact of the inputted alternate contact type found.")
	}
	c.out["AlternateContact"] = map[string]string{
		"AlternateContactType": ct.kind, "Name": ct.name, "Title": ct.title, "EmailAddress": ct.email, "PhoneNumber": ct.phone,
	}
	return nil
}

// contactField reads a required contact member of length 1..max that
// matches pattern (nil: any).
func (c *jcall) contactField(name string, max int, pattern *regexp.Regexp) (string, error) {
	v, ok := c.str(name)
	switch {
	case !ok:
		return "", validation(name, "%s must not be null", name)
	case len(v) < 1 || len(v) > max:
		return "", validation(name, "%s must have length between 1 and %d", name, max)
	case pattern != nil && !pattern.MatchString(v):
		return "", validation(name, "%s must satisfy regular expression pattern: %s", name, pattern.String())
	}
	return v, nil
}

func (c *jcall) putAlternateContact() error {
	a, t, err := c.contactTarget()
	if err != nil {
		return err
	}
	ct := &alternateContact{kind: t}
	for _, f := range []struct {
		name    string
		max     int
		pattern *regexp.Regexp
		into    *string
	}{
		{"Name", 64, nil, &ct.name}, {"Title", 50, nil, &ct.title},
		{"EmailAddress", 254, contactEmailPattern, &ct.email}, {"PhoneNumber", 25, contactPhonePattern, &ct.phone},
	} {
		if *f.into, err = c.contactField(f.name, f.max, f.pattern); err != nil {
			return err
		}
	}
	if a.ext.contacts == nil {
		a.ext.contacts = map[string]*alternateContact{}
	}
	a.ext.contacts[t] = ct
	return nil
}

type regionRow struct{ name, status string }

func (a *account) regions() []regionRow {
	var rows []regionRow
	for _, r := range defaultRegions[a.partition] {
		rows = append(rows, regionRow{r, "ENABLED_BY_DEFAULT"})
	}
	for _, r := range optInRegions[a.partition] {
		status := "DISABLED"
		if a.ext.optIn[r] {
			status = "ENABLED"
		}
		rows = append(rows, regionRow{r, status})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].name < rows[j].name })
	return rows
}

// regionFilter reads RegionOptStatusContains.
func (c *jcall) regionFilter() ([]string, bool, error) {
	statuses, ok := c.stringsMember("RegionOptStatusContains")
	if _, present := c.in["RegionOptStatusContains"]; present && !ok {
		return nil, false, validation("RegionOptStatusContains", "RegionOptStatusContains must be a list of strings")
	}
	for _, s := range statuses {
		if !regionOptStatuses[s] {
			return nil, false, validation("RegionOptStatusContains", "RegionOptStatusContains members must be one of ENABLED, ENABLING, DISABLING, DISABLED, ENABLED_BY_DEFAULT")
		}
	}
	return statuses, ok, nil
}

func (c *jcall) listRegions() error {
	a, err := c.targetAccount()
	if err != nil {
		return err
	}
	max, has, err := c.intMember("MaxResults")
	switch {
	case err != nil || (has && (max < 1 || max > 50)):
		return validation("MaxResults", "MaxResults must be between 1 and 50")
	case !has:
		max = 20
	}
	statuses, hasFilter, err := c.regionFilter()
	if err != nil {
		return err
	}
	var rows []regionRow
	for _, r := range a.regions() {
		if !hasFilter || slices.Contains(statuses, r.status) {
			rows = append(rows, r)
		}
	}
	token, hasToken := c.str("NextToken")
	if len(token) > 1000 {
		return validation("NextToken", "NextToken must have length less than or equal to 1000")
	}
	page, next, ok := sortedPage(rows, func(r regionRow) string { return r.name }, token, hasToken, max)
	if !ok {
		return validation("NextToken", "Invalid NextToken")
	}
	out := make([]map[string]string, 0, len(page))
	for _, r := range page {
		out = append(out, map[string]string{"RegionName": r.name, "RegionOptStatus": r.status})
	}
	c.out["Regions"] = out
	if next != "" {
		c.out["NextToken"] = next
	}
	return nil
}
