package mfa

import (
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
)

// A run killed with SIGKILL (or lost with its machine) leaves its tagged,
// unassigned device behind. Its enroll-by time alone would make the next run
// wait up to EnrollWindowPerson + StaleMargin. The device also names the
// process that made it, so a run on the same host can prove that process
// is gone and take the device over at once; a run on another host cannot,
// and waits.
const (
	// TagHost holds the host name of the run that created the device.
	TagHost = "iam-baseline:host"
	// TagPID holds that run's process ID.
	TagPID = "iam-baseline:pid"
	// TagStarted holds when that process started, as its host tells it
	// (on Linux: the boot ID and the start time in clock ticks), so that a
	// process ID used again by a later process is not mistaken for it.
	TagStarted = "iam-baseline:started"
)

// Process identifies the process of one run. It holds nothing secret.
type Process struct {
	Host string
	PID  int
	// Started is empty when the operating system does not tell.
	Started string
}

// Processes tells about the processes of this host.
type Processes interface {
	// Self is this process.
	Self() Process
	// Ended reports whether p certainly no longer runs: p ran on this host
	// and its process ID is free, or taken by a process that started at
	// another time. false means alive or unknown.
	Ended(p Process) bool
}

// processTags are the tags naming p, or none when p has no host.
func processTags(p Process) []types.Tag {
	if p.Host == "" || p.PID <= 0 {
		return nil
	}
	tags := []types.Tag{{Key: aws.String(TagHost), Value: aws.String(p.Host)}, {Key: aws.String(TagPID), Value: aws.String(strconv.Itoa(p.PID))}}
	if p.Started != "" {
		tags = append(tags, types.Tag{Key: aws.String(TagStarted), Value: aws.String(p.Started)})
	}
	return tags
}

// provablyEnded reports whether the run that made a device tagged o is
// gone, as this host's process table proves.
func (e *enrollment) provablyEnded(o owner) bool {
	ps := e.req.Processes
	if ps == nil || o.process.Host == "" {
		return false
	}
	self := ps.Self()
	return self.Host == o.process.Host && ps.Ended(o.process)
}

// processTag reads one of a device's process tags into o.
func (o *owner) processTag(key, value string) {
	switch key {
	case TagHost:
		o.process.Host = value
	case TagPID:
		o.process.PID, _ = strconv.Atoi(value)
	case TagStarted:
		o.process.Started = value
	}
}
