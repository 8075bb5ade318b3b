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
	page, next, ok := sortedPage(items, sortKey, c.str("Marker"), c.has("Marker"), maxItems)
	if !ok {
		return nil, false, "", validationError("Invalid Marker.")
	}
	return page, next != "", next, nil
}

// sortedPage sorts items by key and returns the page after marker, at most
// max long, and the marker of the next page (empty on the last). Markers
// (NextToken in the JSON services) are opaque to clients: the page's last
// key, encoded. ok is false for a marker the simulator did not issue.
func sortedPage[T any](items []T, sortKey func(T) string, marker string, hasMarker bool, max int) (page []T, next string, ok bool) {
	sort.SliceStable(items, func(i, j int) bool { return sortKey(items[i]) < sortKey(items[j]) })
	start := 0
	if hasMarker {
		raw, derr := base64.RawURLEncoding.DecodeString(marker)
		after, found := strings.CutPrefix(string(raw), "iamsim:")
		if derr != nil || !found {
			return nil, "", false
		}
		start = sort.Search(len(items), func(i int) bool { return sortKey(items[i]) > after })
	}
	end := start + max
	if end >= len(items) {
		return items[start:], "", true
	}
	page = items[start:end]
	return page, base64.RawURLEncoding.EncodeToString([]byte("iamsim:" + sortKey(page[len(page)-1]))), true
}

func quotaExceeded(quota string, n int) error {
	return errf("LimitExceeded", "Cannot exceed quota for %s: %d", quota, n)
}

func itoa(n int) string { return fmt.Sprint(n) }
