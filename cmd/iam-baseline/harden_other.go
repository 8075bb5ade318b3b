//go:build !unix

package main

// disableCoreDumps has nothing to do where the system writes no core files
// of a process on its own (Windows writes crash dumps only when configured
// to, system-wide).
func disableCoreDumps() error { return nil }
