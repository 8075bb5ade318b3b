//go:build !linux

package mfa

import "os"

// LocalProcesses names this process; off Linux it proves no other process
// ended (a process ID alone may have been given to another process), so a
// device another run left waits for its enroll-by time.
type LocalProcesses struct{}

// Self is this process, without a start time.
func (LocalProcesses) Self() Process {
	host, _ := os.Hostname()
	return Process{Host: host, PID: os.Getpid()}
}

// Ended is always false: unknown.
func (LocalProcesses) Ended(Process) bool { return false }
