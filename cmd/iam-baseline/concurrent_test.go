package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

// concurrentPairs is how many pairs of applies each variant of
// TestConcurrentApplies runs.
const concurrentPairs = 200

// pairWorkers is how many pairs run at once.
const pairWorkers = 25

// TestConcurrentApplies starts two identical unattended applies at once
// against one fresh simulated account, concurrentPairs times, with and
// without IAM's eventual consistency in the way. A run that exits 0 must
// have delivered what works: its MFA secret file's codes are accepted by
// the user's enabled device (ResyncMFADevice, a harmless probe) and its
// password file's password signs in. At least one run of a pair delivers a
// working password when any run delivered one; no run leaves an unassigned
// device behind.
func TestConcurrentApplies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs 400 pairs of applies")
	}
	for _, delay := range []time.Duration{0, 40 * time.Millisecond} {
		t.Run(fmt.Sprintf("consistency delay %s", delay), func(t *testing.T) {
			var mu sync.Mutex
			tally := map[string]int{}
			start := time.Now()
			// The pairs are independent (an account each) and spend most of
			// their time waiting out the consistency delay: run several at
			// once.
			pairs := make(chan struct{})
			var wg sync.WaitGroup
			for w := 0; w < pairWorkers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range pairs {
						outcome := concurrentPair(t, delay)
						mu.Lock()
						tally[outcome]++
						mu.Unlock()
					}
				}()
			}
			for i := 0; i < concurrentPairs; i++ {
				pairs <- struct{}{}
			}
			close(pairs)
			wg.Wait()
			var parts []string
			for k, v := range tally {
				parts = append(parts, fmt.Sprintf("%s: %d", k, v))
			}
			sort.Strings(parts)
			t.Logf("%d pairs in %s; exit codes %s", concurrentPairs, time.Since(start).Round(time.Millisecond), strings.Join(parts, ", "))
		})
	}
}

// concurrentPair runs one pair and checks it; it returns the pair's exit
// codes ("0+1" and so on, sorted) for the tally.
func concurrentPair(t *testing.T, delay time.Duration) string {
	t.Helper()
	r := newRig(t, iamsim.Options{ConsistencyDelay: delay})
	r.retryDelay = delay / 4
	var wg sync.WaitGroup
	res := make([]runResult, 2)
	files := [][2]string{{r.path("pwA"), r.path("mfaA")}, {r.path("pwB"), r.path("mfaB")}}
	for i := range res {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = r.run("apply", "--yes", "--password-file", files[i][0], "--mfa-secret-file", files[i][1])
		}()
	}
	wg.Wait()
	time.Sleep(delay) // let the checks see what the runs made

	ctx := context.Background()
	devs, err := r.admin.ListMFADevices(ctx, &iam.ListMFADevicesInput{UserName: aws.String("administrator")})
	if err != nil {
		t.Fatalf("listing the user's devices: %v", err)
	}
	anyPassword, workingPassword := false, false
	for i, rr := range res {
		pw, hasPW := passwordIfAny(t, files[i][0])
		if hasPW {
			anyPassword = true
			if ok, _ := r.sim.CheckConsolePassword(r.acct, "administrator", pw); ok {
				workingPassword = true
			} else if rr.code == 0 {
				t.Errorf("false success: run %c exited 0 with a password that does not work\n%s", 'A'+i, rr.output())
			}
		}
		seed, hasSeed := fileSeed(t, files[i][1])
		if rr.code != 0 {
			continue
		}
		if !hasSeed {
			if !strings.Contains(rr.output(), "already") {
				t.Errorf("run %c exited 0 without an MFA secret file and without saying the user had a device\n%s", 'A'+i, rr.output())
			}
			continue
		}
		if !seedAccepted(r, devs.MFADevices, seed) {
			t.Errorf("false success: run %c exited 0 with a secret file the enabled device refuses\n%s", 'A'+i, rr.output())
		}
	}
	if anyPassword && !workingPassword {
		t.Errorf("neither delivered password works\nA: %s\nB: %s", res[0].output(), res[1].output())
	}
	left, err := r.admin.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{AssignmentStatus: types.AssignmentStatusTypeUnassigned})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(left.VirtualMFADevices); n != 0 {
		t.Errorf("%d unassigned devices left behind\nA: %s\nB: %s", n, res[0].output(), res[1].output())
	}
	a, b := res[0].code, res[1].code
	if a > b {
		a, b = b, a
	}
	return fmt.Sprintf("%d+%d", a, b)
}

// seedAccepted probes the user's enabled devices with two codes of seed:
// ResyncMFADevice accepts them only from the device that holds the seed.
func seedAccepted(r *rig, devices []types.MFADevice, seed string) bool {
	now := r.sim.Now()
	c1, err1 := iamsim.TOTP(seed, now.Add(30*time.Second))
	c2, err2 := iamsim.TOTP(seed, now.Add(60*time.Second))
	if err1 != nil || err2 != nil {
		return false
	}
	for _, d := range devices {
		_, err := r.admin.ResyncMFADevice(context.Background(), &iam.ResyncMFADeviceInput{
			UserName: aws.String("administrator"), SerialNumber: d.SerialNumber,
			AuthenticationCode1: aws.String(c1), AuthenticationCode2: aws.String(c2),
		})
		if err == nil {
			return true
		}
	}
	return false
}

// passwordIfAny is readPassword for a file that may not exist.
func passwordIfAny(t *testing.T, path string) (string, bool) {
	t.Helper()
	if _, err := os.Stat(path); os.IsNotExist(err) {
		return "", false
	}
	pw := readPassword(t, path)
	return pw, pw != ""
}
