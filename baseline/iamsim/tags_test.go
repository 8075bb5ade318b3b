package iamsim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func tags(kv ...string) []types.Tag {
	var out []types.Tag
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return out
}

// TestMFADeviceTags: CreateVirtualMFADevice keeps its Tags, answers them,
// and ListMFADeviceTags lists them by key, a page at a time; IAM's tag rules
// are enforced and nothing is created when they are broken.
func TestMFADeviceTags(t *testing.T) {
	f := start(t, iamsim.Options{})
	out := must[*iam.CreateVirtualMFADeviceOutput](t)(f.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{
		VirtualMFADeviceName: aws.String("d"), Tags: tags("run", "r1", "created", "2026-12-03T07:00:00Z"),
	}))
	if n := len(out.VirtualMFADevice.Tags); n != 2 {
		t.Errorf("create answered %d tags, want 2", n)
	}
	serial := out.VirtualMFADevice.SerialNumber
	got := must[*iam.ListMFADeviceTagsOutput](t)(f.iam.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: serial}))
	if len(got.Tags) != 2 || *got.Tags[0].Key != "created" || *got.Tags[1].Key != "run" || *got.Tags[1].Value != "r1" || got.IsTruncated {
		t.Errorf("tags %+v, want created then run=r1 on one page", got.Tags)
	}
	page := must[*iam.ListMFADeviceTagsOutput](t)(f.iam.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: serial, MaxItems: aws.Int32(1)}))
	if len(page.Tags) != 1 || !page.IsTruncated {
		t.Fatalf("MaxItems 1: %d tags, truncated %v", len(page.Tags), page.IsTruncated)
	}
	page = must[*iam.ListMFADeviceTagsOutput](t)(f.iam.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: serial, Marker: page.Marker}))
	if len(page.Tags) != 1 || *page.Tags[0].Key != "run" || page.IsTruncated {
		t.Errorf("second page %+v", page.Tags)
	}
	_, err := f.iam.ListMFADeviceTags(ctx, &iam.ListMFADeviceTagsInput{SerialNumber: aws.String("arn:aws:iam::123456789012:mfa/none")})
	wantError(t, err, "NoSuchEntity", 404)

	var many []string
	for i := 0; i < 51; i++ {
		many = append(many, fmt.Sprint("k", i), "v")
	}
	for _, tc := range []struct {
		tags []types.Tag
		code string
		msg  string
	}{
		{tags("Run", "a", "run", "b"), "InvalidInput", "Duplicate tag keys"},
		{tags("aws:x", "a"), "InvalidInput", "aws:"},
		{tags("bad*key", "a"), "ValidationError", "tags.1.member.key"},
		{tags("k", strings.Repeat("v", 257)), "ValidationError", "tags.1.member.value"},
		{tags("", "v"), "ValidationError", "tags.1.member.key"},
		{tags(many...), "LimitExceeded", "tags"},
	} {
		_, err := f.iam.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("bad"), Tags: tc.tags})
		status := 400
		if tc.code == "LimitExceeded" {
			status = 409
		}
		wantError(t, err, tc.code, status, tc.msg)
	}
	list := must[*iam.ListVirtualMFADevicesOutput](t)(f.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{}))
	if len(list.VirtualMFADevices) != 1 {
		t.Errorf("%d devices after the refused creates, want 1", len(list.VirtualMFADevices))
	}

	// Creating with tags needs iam:TagMFADevice as well.
	bob, _ := userClient(t, f, "bob")
	must[*iam.PutUserPolicyOutput](t)(f.iam.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("bob"), PolicyName: aws.String("p"),
		PolicyDocument: doc(`{"Effect":"Allow","Action":"iam:CreateVirtualMFADevice","Resource":"*"}`)}))
	_, err = bob.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("b1"), Tags: tags("run", "x")})
	wantError(t, err, "AccessDenied", 403, "iam:TagMFADevice")
	must[*iam.CreateVirtualMFADeviceOutput](t)(bob.CreateVirtualMFADevice(ctx, &iam.CreateVirtualMFADeviceInput{VirtualMFADeviceName: aws.String("b2")}))
}
