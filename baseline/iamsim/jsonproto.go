package iamsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The services beside IAM and STS speak JSON: Organizations the AWS JSON 1.1
// protocol (POST /, the operation in X-Amz-Target), Access Analyzer and
// Account REST-JSON (the operation is the method and path). Their errors
// differ from Query's XML: the code travels in the X-Amzn-ErrorType header
// (which the SDK's deserializers read first) and, for JSON 1.1, in the
// body's __type as well.

// jsonService is one JSON-speaking service.
type jsonService struct {
	// policyPrefix names the service in IAM actions ("organizations").
	policyPrefix string
	contentType  string
	// target is the X-Amz-Target prefix (JSON 1.1); routes map
	// "METHOD /path" to operations (REST-JSON).
	target string
	routes map[string]string
	// throttle is the code this service throttles with; the SDK's retryer
	// knows it as a throttling error.
	throttle       string
	throttleStatus int
	// messageKey is the body member that carries the message.
	messageKey string
	// regional services answer only in regions enabled for the account.
	regional bool
	actions  map[string]jhandler
}

// jcall is one JSON request: the Query call's fields (caller, clock,
// flattened parameters for the log and for authorization) plus the decoded
// body and the answer being built.
type jcall struct {
	*call
	region string
	in     map[string]any
	out    map[string]any
}

type jhandler func(*jcall) error

// jsonError is a JSON protocol error answer: its code, message, HTTP status
// and any members the error shape adds (Reason, resourceId, ...).
type jsonError struct {
	Code    string
	Message string
	Status  int
	Fields  map[string]any
}

func (e *jsonError) Error() string { return e.Code + ": " + e.Message }

func jerr(status int, code, format string, args ...any) *jsonError {
	return &jsonError{Code: code, Message: fmt.Sprintf(format, args...), Status: status}
}

func (e *jsonError) with(k string, v any) *jsonError {
	if e.Fields == nil {
		e.Fields = map[string]any{}
	}
	e.Fields[k] = v
	return e
}

// jsonRoute finds the service and operation of a JSON request; a nil
// service means the request is a Query one.
func (s *Sim) jsonRoute(r *http.Request) (*jsonService, string) {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		prefix, op, _ := strings.Cut(t, ".")
		for _, svc := range s.jsonServices {
			if svc.target != "" && svc.target == prefix {
				return svc, op
			}
		}
		return nil, ""
	}
	for _, svc := range s.jsonServices {
		if op, ok := svc.routes[r.Method+" "+r.URL.Path]; ok {
			return svc, op
		}
	}
	return nil, ""
}

// credentialScope is the region and service of the SigV4 credential scope
// (Credential=AKID/date/region/service/aws4_request): with every region's
// endpoint at one server, the scope is how a request names its region.
func credentialScope(r *http.Request) (region, service string) {
	auth := r.Header.Get("Authorization")
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) < 5 {
		return "", ""
	}
	return parts[2], parts[3]
}

// flatten turns the body's scalar members and the query string into the
// parameters that the log records and authorization reads.
func flatten(in map[string]any, query url.Values) url.Values {
	out := url.Values{}
	for k, v := range query {
		out[k] = v
	}
	for k, v := range in {
		switch x := v.(type) {
		case string:
			out.Set(k, x)
		case json.Number:
			out.Set(k, x.String())
		case bool:
			out.Set(k, strconv.FormatBool(x))
		default:
			b, _ := json.Marshal(x)
			out.Set(k, string(b))
		}
	}
	return out
}

func (s *Sim) serveJSON(w http.ResponseWriter, r *http.Request, svc *jsonService, op string) {
	arrived := time.Now()
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	in := map[string]any{}
	var decodeErr error
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		decodeErr = dec.Decode(&in)
	}
	form := flatten(in, r.URL.Query())
	entry := s.arrive(r, arrived, op, form)

	s.mu.Lock()
	defer s.mu.Unlock()
	reqID := newRequestID()
	status, answer, e := s.handleJSON(r, svc, op, in, form, decodeErr, &entry)
	s.record(&entry, status)
	if e != nil {
		w.Header().Set("X-Amzn-ErrorType", e.Code)
		if e.Code == svc.throttle {
			w.Header().Set("Retry-After", "1")
		}
		answer = map[string]any{svc.messageKey: e.Message}
		if svc.target != "" {
			answer["__type"] = e.Code
		}
		for k, v := range e.Fields {
			answer[k] = v
		}
	}
	b, _ := json.Marshal(answer)
	s.setDate(w)
	w.Header().Set("Content-Type", svc.contentType)
	w.Header().Set("x-amzn-RequestId", reqID)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// handleJSON runs one JSON request under s.mu, in the order of the Query
// path: authentication, throttling, injected faults, authorization, handler.
func (s *Sim) handleJSON(r *http.Request, svc *jsonService, op string, in map[string]any, form url.Values, decodeErr error, entry *LogEntry) (int, map[string]any, *jsonError) {
	fail := func(e *jsonError) (int, map[string]any, *jsonError) {
		entry.ErrorCode = e.Code
		return e.Status, nil, e
	}
	h, ok := svc.actions[op]
	if !ok {
		return fail(jerr(400, "UnknownOperationException", "Unknown operation %s", op))
	}
	caller, aerr := s.authenticate(r)
	if aerr != nil {
		return fail(jsonAuthError(aerr))
	}
	entry.AccountID = caller.acct.id
	entry.Principal = caller.arn()
	if s.throttleRate > 0 && s.rng.Float64() < s.throttleRate {
		return fail(jerr(svc.throttleStatus, svc.throttle, "Rate exceeded"))
	}
	fault := s.matchFault(op)
	if fault != nil && !fault.AfterHandling {
		return fail(jsonFault(fault))
	}
	if decodeErr != nil {
		return fail(jerr(400, "SerializationException", "Start of structure or map found where not expected"))
	}
	region, _ := credentialScope(r)
	c := &jcall{
		call:   &call{s: s, acct: caller.acct, caller: caller, form: form, action: op, service: svc.policyPrefix, now: s.now(), sourceIP: remoteIP(r)},
		region: region, in: in, out: map[string]any{},
	}
	if svc.regional && !caller.acct.regionEnabled(region) {
		return fail(jerr(403, "UnrecognizedClientException", "The security token included in the request is invalid."))
	}
	if err := c.sessionAllows(svc.policyPrefix); err != nil {
		return fail(jsonAuthError(err))
	}
	if err := c.authorize(); err != nil {
		return fail(jerr(403, "AccessDeniedException", "%s", err.Message))
	}
	if err := h(c); err != nil {
		if je, ok := err.(*jsonError); ok {
			return fail(je)
		}
		return fail(jerr(500, "InternalFailure", "%v", err))
	}
	if fault != nil {
		return fail(jsonFault(fault))
	}
	return 200, c.out, nil
}

// jsonAuthError words a Query authentication error (or a session's refusal)
// as JSON services do.
func jsonAuthError(e *apiError) *jsonError {
	code := map[string]string{
		"InvalidClientTokenId":       "UnrecognizedClientException",
		"MissingAuthenticationToken": "MissingAuthenticationTokenException",
		"IncompleteSignature":        "IncompleteSignatureException",
		"ExpiredToken":               "ExpiredTokenException",
		"AccessDenied":               "AccessDeniedException",
	}[e.Code]
	if code == "" {
		code = e.Code
	}
	return jerr(e.Status, code, "%s", e.Message)
}

func jsonFault(f *Fault) *jsonError {
	e := faultError(f)
	return jerr(e.Status, e.Code, "%s", e.Message)
}

// str reads a string member; a member of another type reads as absent.
func (c *jcall) str(name string) (string, bool) {
	v, ok := c.in[name].(string)
	return v, ok
}

// query reads a REST query parameter.
func (c *jcall) query(name string) (string, bool) {
	_, ok := c.form[name]
	return c.form.Get(name), ok
}

// stringsMember reads a list of strings.
func (c *jcall) stringsMember(name string) ([]string, bool) {
	raw, ok := c.in[name].([]any)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(raw))
	for _, v := range raw {
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// intMember reads an integer member, or the query parameter of that name.
func (c *jcall) intMember(name string) (int, bool, error) {
	if v, ok := c.in[name]; ok {
		n, isNum := v.(json.Number)
		i, err := strconv.Atoi(n.String())
		if !isNum || err != nil {
			return 0, true, fmt.Errorf("%s is not an integer", name)
		}
		return i, true, nil
	}
	if v, ok := c.query(name); ok {
		i, err := strconv.Atoi(v)
		return i, true, err
	}
	return 0, false, nil
}
