package mfa

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// LocalProcesses reads this host's processes from /proc.
type LocalProcesses struct{}

// Self is this process, its start time read from /proc/self/stat.
func (LocalProcesses) Self() Process {
	host, _ := os.Hostname()
	p := Process{Host: host, PID: os.Getpid()}
	if boot, err := bootID(); err == nil {
		if start, err := startTicks("self"); err == nil {
			p.Started = boot + "/" + start
		}
	}
	return p
}

// Ended reports whether the machine restarted since p started (another boot
// ID), or p's process ID is free, or held by a process that started at
// another time.
func (LocalProcesses) Ended(p Process) bool {
	if p.PID <= 0 {
		return false
	}
	start, err := startTicks(strconv.Itoa(p.PID))
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if err != nil || p.Started == "" {
		return false
	}
	boot, err := bootID()
	if err != nil {
		return false
	}
	return p.Started != boot+"/"+start
}

func bootID() (string, error) {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	return strings.TrimSpace(string(b)), err
}

// startTicks is field 22 of /proc/<pid>/stat: when the process started, in
// clock ticks after boot. The command name (field 2) may hold spaces and
// parentheses, so the fields are counted after its last ')'.
func startTicks(pid string) (string, error) {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return "", err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return "", errors.New("/proc/" + pid + "/stat: no command name")
	}
	f := strings.Fields(s[i+1:])
	const startField = 22 - 3 // fields after the name start at field 3
	if len(f) <= startField {
		return "", errors.New("/proc/" + pid + "/stat: too few fields")
	}
	return f[startField], nil
}
