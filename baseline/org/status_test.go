package org

import (
	"context"
	"testing"
	"time"
)

// probeClock checks, while an account sleeps, that another account could
// take the slot.
type probeClock struct {
	slots       chan struct{}
	freeInSleep bool
}

func (c *probeClock) Now() time.Time { return time.Time{} }

func (c *probeClock) Sleep(context.Context, time.Duration) error {
	select {
	case c.slots <- struct{}{}:
		c.freeInSleep = true
		<-c.slots
	default:
	}
	return nil
}

// Waiting for a credential report gives the slot back, and the account has
// it again after the wait.
func TestReportWaitDoesNotHoldASlot(t *testing.T) {
	slots := make(chan struct{}, 1)
	probe := &probeClock{slots: slots}
	if err := acquire(context.Background(), slots); err != nil {
		t.Fatal(err)
	}
	c := &slotClock{inner: probe, slots: slots, held: true}
	if err := c.Sleep(context.Background(), time.Second); err != nil {
		t.Fatal(err)
	}
	if !probe.freeInSleep {
		t.Fatal("the slot stayed taken while the account waited")
	}
	if len(slots) != 1 {
		t.Fatalf("after the wait %d slots are taken, want the account's 1", len(slots))
	}
	c.release()
	c.release()
	if len(slots) != 0 {
		t.Fatalf("release left %d slots taken", len(slots))
	}
}
