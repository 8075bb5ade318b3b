package iamsim

import (
	"encoding/base64"
	"encoding/xml"
	"strconv"
	"strings"
	"time"
)

// xb writes the XML of a Query protocol answer. Element order follows the
// SDK's response snapshots.
type xb struct{ strings.Builder }

func (b *xb) open(name string)  { b.WriteString("<" + name + ">") }
func (b *xb) close(name string) { b.WriteString("</" + name + ">") }

func (b *xb) text(name, value string) {
	b.open(name)
	_ = xml.EscapeText(&b.Builder, []byte(value))
	b.close(name)
}

// opt writes the element only when value is not empty.
func (b *xb) opt(name, value string) {
	if value != "" {
		b.text(name, value)
	}
}

func (b *xb) boolean(name string, v bool) { b.text(name, strconv.FormatBool(v)) }
func (b *xb) integer(name string, v int)  { b.text(name, strconv.Itoa(v)) }
func (b *xb) time(name string, t time.Time) {
	b.text(name, formatTime(t))
}
func (b *xb) blob(name string, data []byte) {
	b.text(name, base64.StdEncoding.EncodeToString(data))
}

// page writes IsTruncated and, when truncated, Marker.
func (b *xb) page(truncated bool, marker string) {
	b.boolean("IsTruncated", truncated)
	if truncated {
		b.text("Marker", marker)
	}
}

func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
