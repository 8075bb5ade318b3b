package main

import (
	"runtime/debug"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// versionString describes the build from the module's build information:
// the module version (a tag for `go install ...@v1.2.3`, a pseudo-version
// or "(devel)" for a local build), the VCS revision when the build recorded
// one, and the Go toolchain and platform, worded by tr. It is what
// --version prints after urfave/cli's "iam-baseline version".
func versionString(tr locale.Printer, info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return tr.T("unknown (no build information in this binary)")
	}
	version := info.Main.Version
	if version == "" || version == "(devel)" {
		version = "devel"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	var details []string
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			details = append(details, tr.T("revision %s with local changes", rev))
		} else {
			details = append(details, tr.T("revision %s", rev))
		}
	}
	if t := settings["vcs.time"]; t != "" {
		details = append(details, tr.T("committed %s", t))
	}
	toolchain := info.GoVersion
	if goos, goarch := settings["GOOS"], settings["GOARCH"]; goos != "" && goarch != "" {
		toolchain += " " + goos + "/" + goarch
	}
	if toolchain != "" {
		details = append(details, tr.T("built with %s", toolchain))
	}
	if len(details) == 0 {
		return version
	}
	return version + " (" + strings.Join(details, ", ") + ")"
}

// buildVersion is versionString for this binary.
func buildVersion(tr locale.Printer) string {
	info, ok := debug.ReadBuildInfo()
	return versionString(tr, info, ok)
}
