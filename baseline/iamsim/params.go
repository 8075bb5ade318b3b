package iamsim

import (
	"encoding/base64"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// lowerFirst turns a parameter name into the member name AWS's validation
// messages use ("UserName" -> "userName").
func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func (c *call) str(name string) string { return c.form.Get(name) }

func (c *call) has(name string) bool { _, ok := c.form[name]; return ok }

// required returns a parameter that must be present.
func (c *call) required(name string) (string, error) {
	if !c.has(name) {
		return "", validationError("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(name))
	}
	return c.str(name), nil
}

// entityName reads a user, group, role, device or policy name parameter;
// its length and characters were checked against the model (model.go).
func (c *call) entityName(param string) (string, error) { return c.required(param) }

// path reads an optional Path parameter ("/" by default).
func (c *call) path(param string) string {
	if !c.has(param) {
		return "/"
	}
	return c.str(param)
}

// intParam reads an optional integer parameter; the model checked its
// range.
func (c *call) intParam(name string, def int) int {
	if !c.has(name) {
		return def
	}
	v, _ := strconv.Atoi(c.str(name))
	return v
}

// boolParam reads an optional boolean parameter.
func (c *call) boolParam(name string) bool { return strings.EqualFold(c.str(name), "true") }

// pageOf cuts one page out of items, which are sorted by sortKey. The marker
// is opaque to clients; here it encodes the last sort key returned.
// writeMembers pages items by sortKey and writes them as a <name> list of
// <member> elements followed by IsTruncated and Marker, the shape of IAM's
// List* answers.
func writeMembers[T any](c *call, name string, items []T, sortKey func(T) string, write func(T)) error {
	page, truncated, next, err := pageOf(c, items, sortKey)
	if err != nil {
		return err
	}
	c.out.open(name)
	for _, item := range page {
		c.out.open("member")
		write(item)
		c.out.close("member")
	}
	c.out.close(name)
	c.out.page(truncated, next)
	return nil
}

func pageOf[T any](c *call, items []T, sortKey func(T) string) (page []T, truncated bool, next string, err error) {
	maxItems := c.intParam("MaxItems", 100)
	sort.SliceStable(items, func(i, j int) bool { return sortKey(items[i]) < sortKey(items[j]) })
	start := 0
	if c.has("Marker") {
		raw, derr := base64.RawURLEncoding.DecodeString(c.str("Marker"))
		after, ok := strings.CutPrefix(string(raw), "iamsim:")
		if derr != nil || !ok {
			return nil, false, "", validationError("Invalid Marker.")
		}
		start = sort.Search(len(items), func(i int) bool { return sortKey(items[i]) > after })
	}
	end := start + maxItems
	if end >= len(items) {
		return items[start:], false, "", nil
	}
	page = items[start:end]
	next = base64.RawURLEncoding.EncodeToString([]byte("iamsim:" + sortKey(page[len(page)-1])))
	return page, true, next, nil
}

func quotaExceeded(quota string, n int) error {
	return errf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, n)
}

func itoa(n int) string { return fmt.Sprint(n) }
