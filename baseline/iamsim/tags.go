package iamsim

import (
	"regexp"
	"strings"
)

// IAM's tag rules (Tagging IAM resources, IAM User Guide).
const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

var tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

type tag struct{ key, value string }

// tagsParam reads Tags.member.N.Key/Value as IAM checks them: at most 50,
// keys 1-128 and values 0-256 characters of letters, digits, spaces and
// _.:/=+-@, keys unique ignoring case, no key in the reserved aws: prefix.
// Creating with tags also needs the tagging permission (tagAction).
func (c *call) tagsParam(tagAction string) ([]tag, error) {
	var tags []tag
	seen := map[string]bool{}
	for i := 1; c.has("Tags.member." + itoa(i) + ".Key"); i++ {
		p := "Tags.member." + itoa(i)
		t := tag{key: c.str(p + ".Key"), value: c.str(p + ".Value")}
		if !c.has(p + ".Value") {
			return nil, validationError("1 validation error detected: Value null at 'tags.%d.member.value' failed to satisfy constraint: Member must not be null", i)
		}
		if n := len([]rune(t.key)); n < 1 || n > maxTagKeyLen || !tagPattern.MatchString(t.key) {
			return nil, validationError("1 validation error detected: Value '%s' at 'tags.%d.member.key' failed to satisfy constraint: Member must have length between 1 and %d and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+", t.key, i, maxTagKeyLen)
		}
		if len([]rune(t.value)) > maxTagValueLen || !tagPattern.MatchString(t.value) {
			return nil, validationError("1 validation error detected: Value '%s' at 'tags.%d.member.value' failed to satisfy constraint: Member must have length less than or equal to %d and satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*", t.value, i, maxTagValueLen)
		}
		if strings.HasPrefix(strings.ToLower(t.key), "aws:") {
			return nil, invalidInput("User requests must not use tag keys with the prefix 'aws:'.")
		}
		if seen[strings.ToLower(t.key)] {
			return nil, invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.")
		}
		seen[strings.ToLower(t.key)] = true
		tags = append(tags, t)
	}
	if len(tags) > maxTags {
		return nil, errf("LimitExceeded", "The number of tags has reached the maximum limit.")
	}
	if len(tags) > 0 {
		if err := c.authorizeAlso(tagAction); err != nil {
			return nil, err
		}
	}
	return tags, nil
}

// authorizeAlso checks a second action the request needs, against the same
// resource (a create with tags needs the Tag* action too).
func (c *call) authorizeAlso(action string) error {
	saved := c.action
	c.action = action
	defer func() { c.action = saved }()
	if err := c.authorize(); err != nil {
		return err
	}
	return nil
}

// writeTags writes a Tags element.
func (c *call) writeTags(tags []tag) {
	c.out.open("Tags")
	for _, t := range tags {
		c.out.open("member")
		c.out.text("Key", t.key)
		c.out.text("Value", t.value)
		c.out.close("member")
	}
	c.out.close("Tags")
}

// listMFADeviceTags lists a virtual MFA device's tags, sorted by key.
func (c *call) listMFADeviceTags() error {
	serial, d, err := c.serialParam()
	if err != nil {
		return err
	}
	if d == nil || d.root {
		return noSuchEntity("VirtualMFADevice with serial number %s doesn't exist.", serial)
	}
	page, truncated, next, err := pageOf(c, append([]tag(nil), d.tags...), func(t tag) string { return t.key })
	if err != nil {
		return err
	}
	c.out.page(truncated, next)
	c.writeTags(page)
	return nil
}
