package main

import (
	"runtime/debug"
	"strings"
)

// versionString describes the build from the module's build information:
// the module version (a tag for `go install ...@v1.2.3`, a pseudo-version
// or "(devel)" for a local build), the VCS revision when the build recorded
// one, and the Go toolchain and platform. It is what --version prints.
func versionString(info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		return "unknown (no build information in this binary)"
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
			rev += " with local changes"
		}
		details = append(details, "revision "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		details = append(details, "committed "+t)
	}
	toolchain := info.GoVersion
	if goos, goarch := settings["GOOS"], settings["GOARCH"]; goos != "" && goarch != "" {
		toolchain += " " + goos + "/" + goarch
	}
	if toolchain != "" {
		details = append(details, "built with "+toolchain)
	}
	if len(details) == 0 {
		return version
	}
	return version + " (" + strings.Join(details, ", ") + ")"
}

// buildVersion is versionString for this binary.
func buildVersion() string { return versionString(debug.ReadBuildInfo()) }
