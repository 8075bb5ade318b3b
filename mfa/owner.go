package mfa

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
)

// IAM has no lock, so two runs enrolling the same user at once meet at the
// device name: the second create gets EntityAlreadyExists. Each run tags the
// device it creates with its own identity and the time by which it will
// have enabled it or given up. A run deletes an unassigned device of its
// name only when it is its own, carries no such tag (made by hand or by an
// older version of this tool), or is provably abandoned: the time its
// creator promised has passed by more than StaleMargin. A device that
// another run may still be enrolling is left alone and this run fails.
const (
	// TagRun holds the identity of the run that created the device.
	TagRun = "iam-baseline:run"
	// TagEnrollBy holds the time (RFC 3339, UTC) after which the run that
	// created the device no longer tries to enable it.
	TagEnrollBy = "iam-baseline:enroll-by"

	// EnrollWindowPerson is how long a run waits for a person to add the
	// device to an app and type two codes.
	EnrollWindowPerson = 15 * time.Minute
	// EnrollWindowUnattended is how long a run with no person in the loop
	// may take from creating the device to enabling it: the user's creation
	// and IAM's eventual consistency, with room to spare.
	EnrollWindowUnattended = 5 * time.Minute
	// StaleMargin is added to a device's enroll-by time before another run
	// treats it as abandoned: for an EnableMFADevice still in flight and
	// for clocks that differ between the machines of two runs.
	StaleMargin = 10 * time.Minute
)

// ErrEnrollWindowPassed ends an enrollment whose codes did not come within
// the time promised in the device's enroll-by tag.
var ErrEnrollWindowPassed = locale.Wrap(locale.M("the MFA device was not enabled in the time this run allows itself"), nil)

// BusyError says another run may be enrolling a device of the same name
// right now, so this run neither deleted it nor created its own.
type BusyError struct {
	SerialNumber string
	// RunID is the other run's identity; Process its process, when tagged.
	RunID   string
	Process Process
	// EnrollBy is when that run gives up; StaleAt when this tool treats
	// the device as abandoned.
	EnrollBy, StaleAt time.Time
}

func (e *BusyError) Error() string {
	run := "run " + e.RunID
	if e.Process.Host != "" {
		run += fmt.Sprintf(", process %d on %s", e.Process.PID, e.Process.Host)
	}
	return fmt.Sprintf("another run of iam-baseline (%s) is enrolling the MFA device %s until %s; this run left it alone and did not enroll one. "+
		"hint: let that run finish and run this one again; if no other run is active (it was killed on another host; on its own host the next run proves it dead at once), this tool treats the device as abandoned after %s, "+
		"or delete it now with `aws iam delete-virtual-mfa-device --serial-number %s`",
		run, e.SerialNumber, e.EnrollBy.UTC().Format(time.RFC3339), e.StaleAt.UTC().Format(time.RFC3339), e.SerialNumber)
}

// NewRunID returns a random identity for one run.
func NewRunID() (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", locale.Wrap(locale.M("making a run identity: %v", err), err)
	}
	return hex.EncodeToString(b), nil
}

// ownerTags are the tags of a device this run creates.
func (e *enrollment) ownerTags() []types.Tag {
	tags := []types.Tag{
		{Key: aws.String(TagRun), Value: aws.String(e.runID)},
		{Key: aws.String(TagEnrollBy), Value: aws.String(e.enrollBy.UTC().Format(time.RFC3339))},
	}
	if e.req.Processes != nil {
		tags = append(tags, processTags(e.req.Processes.Self())...)
	}
	return tags
}

// owner is what a device's tags say about who made it.
type owner struct {
	gone     bool // the device does not exist (any more)
	runID    string
	enrollBy time.Time // zero when not tagged
	process  Process   // zero when not tagged
}

func (e *enrollment) owner(ctx context.Context, serial string, optFns ...func(*iam.Options)) (owner, error) {
	var o owner
	p := iam.NewListMFADeviceTagsPaginator(e.api, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String(serial)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx, optFns...)
		if awsfacts.HasErrorCode(err, "NoSuchEntity") {
			return owner{gone: true}, nil
		}
		if err != nil {
			return o, locale.Wrap(locale.M("reading the tags of MFA device %s: %v", serial, err), err)
		}
		for _, t := range page.Tags {
			switch aws.ToString(t.Key) {
			case TagRun:
				o.runID = aws.ToString(t.Value)
			case TagEnrollBy:
				o.enrollBy, _ = time.Parse(time.RFC3339, aws.ToString(t.Value))
			default:
				o.processTag(aws.ToString(t.Key), aws.ToString(t.Value))
			}
		}
	}
	return o, nil
}

// ours reports whether the device exists and this run created it.
func (e *enrollment) ours(ctx context.Context, serial string) bool {
	o, err := e.owner(ctx, serial)
	return err == nil && !o.gone && o.runID == e.runID
}

// mayDelete decides whether an unassigned device named like ours may be
// deleted: a *BusyError when another run may still be enrolling it.
func (e *enrollment) mayDelete(ctx context.Context, serial string, optFns ...func(*iam.Options)) (bool, error) {
	o, err := e.owner(ctx, serial, optFns...)
	switch {
	case err != nil:
		return false, err
	case o.gone:
		return false, nil
	case o.runID == "" || o.runID == e.runID:
		return true, nil
	case e.provablyEnded(o):
		// Killed, or its machine restarted: nobody will enable it.
		return true, nil
	}
	staleAt := o.enrollBy.Add(StaleMargin)
	if o.enrollBy.IsZero() || e.now().Before(staleAt) {
		// An unreadable enroll-by time proves nothing: leave it.
		return false, &BusyError{SerialNumber: serial, RunID: o.runID, Process: o.process, EnrollBy: o.enrollBy, StaleAt: staleAt}
	}
	return true, nil
}
