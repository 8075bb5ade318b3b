package iamsim

import (
	"regexp"
	"time"
)

// IAM Access Analyzer (REST-JSON), regional: each region of each account
// has its own analyzers, and the region is the request's credential scope.

type analyzer struct {
	name, kind string
	created    time.Time
}

var (
	analyzerNamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)
	analyzerTypes       = map[string]bool{
		"ACCOUNT": true, "ORGANIZATION": true, "ACCOUNT_UNUSED_ACCESS": true, "ORGANIZATION_UNUSED_ACCESS": true,
		"ACCOUNT_INTERNAL_ACCESS": true, "ORGANIZATION_INTERNAL_ACCESS": true,
	}
)

func accessAnalyzerService() *jsonService {
	return &jsonService{
		policyPrefix: "access-analyzer", contentType: "application/json",
		routes:   map[string]string{"GET /analyzer": "ListAnalyzers", "PUT /analyzer": "CreateAnalyzer"},
		throttle: "ThrottlingException", throttleStatus: 429, messageKey: "message", regional: true,
		actions: map[string]jhandler{
			"ListAnalyzers":  (*jcall).listAnalyzers,
			"CreateAnalyzer": (*jcall).createAnalyzer,
		},
	}
}

// validation is the ValidationException of the REST-JSON services, naming
// the field at fault.
func validation(field, format string, args ...any) *jsonError {
	e := jerr(400, "ValidationException", format, args...).with("reason", "fieldValidationFailed")
	return e.with("fieldList", []map[string]string{{"name": field, "message": e.Message}})
}

func (c *jcall) analyzers() map[string]*analyzer {
	x := &c.acct.ext
	if x.analyzers == nil {
		x.analyzers = map[string]map[string]*analyzer{}
	}
	if x.analyzers[c.region] == nil {
		x.analyzers[c.region] = map[string]*analyzer{}
	}
	return x.analyzers[c.region]
}

func (c *jcall) analyzerARN(name string) string {
	return "arn:" + c.acct.partition + ":access-analyzer:" + c.region + ":" + c.acct.id + ":analyzer/" + name
}

func (c *jcall) createAnalyzer() error {
	name, ok := c.str("analyzerName")
	switch {
	case !ok:
		return validation("analyzerName", "analyzerName must not be null")
	case len(name) < 1 || len(name) > 255:
		return validation("analyzerName", "analyzerName must have length between 1 and 255")
	case !analyzerNamePattern.MatchString(name):
		return validation("analyzerName", "analyzerName must satisfy regular expression pattern: [A-Za-z][A-Za-z0-9_.-]*")
	}
	kind, ok := c.str("type")
	switch {
	case !ok:
		return validation("type", "type must not be null")
	case !analyzerTypes[kind]:
		return validation("type", "type must be one of ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS, ACCOUNT_INTERNAL_ACCESS, ORGANIZATION_INTERNAL_ACCESS")
	case kind[:3] == "ORG" && (c.s.org == nil || !c.s.org.administers(c.acct, "access-analyzer.amazonaws.com")):
		return validation("type", "an organization analyzer can be created only by the organization's management account or a delegated administrator for Access Analyzer")
	}
	all := c.analyzers()
	if _, dup := all[name]; dup {
		return jerr(409, "ConflictException", "Analyzer %s already exists", name).
			with("resourceId", name).with("resourceType", "AWS::AccessAnalyzer::Analyzer")
	}
	all[name] = &analyzer{name: name, kind: kind, created: c.now}
	c.out["arn"] = c.analyzerARN(name)
	return nil
}

func (c *jcall) listAnalyzers() error {
	kind, hasKind := c.query("type")
	if hasKind && !analyzerTypes[kind] {
		return validation("type", "type must be one of ACCOUNT, ORGANIZATION, ACCOUNT_UNUSED_ACCESS, ORGANIZATION_UNUSED_ACCESS, ACCOUNT_INTERNAL_ACCESS, ORGANIZATION_INTERNAL_ACCESS")
	}
	max, has, err := c.intMember("maxResults")
	switch {
	case err != nil || (has && max < 1):
		return validation("maxResults", "maxResults must be a positive integer")
	case !has:
		max = 100
	}
	var list []*analyzer
	for _, a := range c.analyzers() {
		if !hasKind || a.kind == kind {
			list = append(list, a)
		}
	}
	token, hasToken := c.query("nextToken")
	page, next, ok := sortedPage(list, func(a *analyzer) string { return a.name }, token, hasToken, max)
	if !ok {
		return validation("nextToken", "Invalid pagination token")
	}
	rows := make([]map[string]any, 0, len(page))
	for _, a := range page {
		rows = append(rows, map[string]any{
			"arn": c.analyzerARN(a.name), "name": a.name, "type": a.kind, "status": "ACTIVE",
			"createdAt": a.created.UTC().Format(time.RFC3339), "tags": map[string]string{},
		})
	}
	c.out["analyzers"] = rows
	if next != "" {
		c.out["nextToken"] = next
	}
	return nil
}
