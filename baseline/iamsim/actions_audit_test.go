package iamsim_test

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

func TestAuthorizationDetailsPagesUsersAndGroups(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(adminARN)}))
	for i := range 5 {
		must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%d", i))}))
	}
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("u1")}))
	must[*iam.AttachUserPolicyOutput](t)(c.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("u2"), PolicyArn: aws.String(adminARN)}))
	doc := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`
	must[*iam.PutUserPolicyOutput](t)(c.PutUserPolicy(ctx, &iam.PutUserPolicyInput{UserName: aws.String("u3"), PolicyName: aws.String("s3"), PolicyDocument: aws.String(doc)}))

	// Two entities a page: six entities, three pages, users before groups.
	var users []types.UserDetail
	var groups []types.GroupDetail
	pages := 0
	p := iam.NewGetAccountAuthorizationDetailsPaginator(c, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeUser, types.EntityTypeGroup}, MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page := must[*iam.GetAccountAuthorizationDetailsOutput](t)(p.NextPage(ctx))
		pages++
		users = append(users, page.UserDetailList...)
		groups = append(groups, page.GroupDetailList...)
	}
	if pages != 3 || len(users) != 5 || len(groups) != 1 {
		t.Fatalf("%d pages, %d users, %d groups", pages, len(users), len(groups))
	}
	if g := users[1]; aws.ToString(g.UserName) != "u1" || len(g.GroupList) != 1 || g.GroupList[0] != "admin" {
		t.Errorf("u1 = %+v", g)
	}
	if u := users[2]; len(u.AttachedManagedPolicies) != 1 || aws.ToString(u.AttachedManagedPolicies[0].PolicyArn) != adminARN {
		t.Errorf("u2 attached %+v", u.AttachedManagedPolicies)
	}
	u3 := users[3]
	if len(u3.UserPolicyList) != 1 || aws.ToString(u3.UserPolicyList[0].PolicyName) != "s3" {
		t.Fatalf("u3 inline %+v", u3.UserPolicyList)
	}
	if got, _ := url.QueryUnescape(aws.ToString(u3.UserPolicyList[0].PolicyDocument)); got != doc {
		t.Errorf("inline document %q, want URL-encoded %q", aws.ToString(u3.UserPolicyList[0].PolicyDocument), doc)
	}
	if g := groups[0]; aws.ToString(g.GroupName) != "admin" || len(g.AttachedManagedPolicies) != 1 {
		t.Errorf("group %+v", g)
	}

	// A filter for users only leaves groups out; a bad filter is refused.
	only := must[*iam.GetAccountAuthorizationDetailsOutput](t)(c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{types.EntityTypeUser}}))
	if len(only.UserDetailList) != 5 || len(only.GroupDetailList) != 0 {
		t.Errorf("users only: %d users, %d groups", len(only.UserDetailList), len(only.GroupDetailList))
	}
	_, err := c.GetAccountAuthorizationDetails(ctx, &iam.GetAccountAuthorizationDetailsInput{Filter: []types.EntityType{"Nobody"}})
	wantError(t, err, "ValidationError", 400, "enum value set")

}
