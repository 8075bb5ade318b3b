package iamsim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim"
)

const adminARN = "arn:aws:iam::aws:policy/AdministratorAccess"

func TestGroupsLifecycle(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	g := must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")})).Group
	if *g.Arn != "arn:aws:iam::123456789012:group/admin" || *g.Path != "/" || !strings.HasPrefix(*g.GroupId, "AGPA") || g.CreateDate == nil {
		t.Fatalf("group %+v", g)
	}
	_, err := c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("ADMIN")})
	wantError(t, err, "EntityAlreadyExists", 409, "ADMIN")
	for _, bad := range []string{"bad name", "a/b", "caf\u00e9", strings.Repeat("g", 129), ""} {
		_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(bad)})
		wantError(t, err, "ValidationError", 400)
	}
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String(strings.Repeat("g", 128)), Path: aws.String("/ops/")}))
	_, err = c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("x"), Path: aws.String("ops")})
	wantError(t, err, "ValidationError", 400)

	_, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("nobody")})
	wantError(t, err, "NoSuchEntity", 404, "The group with name nobody cannot be found.")

	// Policies: the AWS-managed AdministratorAccess, wrong ARNs refused.
	pol := must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminARN)})).Policy
	if *pol.PolicyName != "AdministratorAccess" || *pol.AttachmentCount != 0 || !pol.IsAttachable || *pol.DefaultVersionId != "v1" {
		t.Fatalf("policy %+v", pol)
	}
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String("arn:aws-cn:iam::aws:policy/AdministratorAccess")})
	wantError(t, err, "InvalidInput", 400)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("arn:aws:iam::aws:policy/NoSuchPolicyAtAll")})
	wantError(t, err, "NoSuchEntity", 404, "does not exist or is not attachable")
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String("not-an-arn-at-all-really")})
	wantError(t, err, "InvalidInput", 400)
	_, err = c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("nobody"), PolicyArn: aws.String(adminARN)})
	wantError(t, err, "NoSuchEntity", 404)
	for range 2 { // attaching twice is not an error
		must[*iam.AttachGroupPolicyOutput](t)(c.AttachGroupPolicy(ctx, &iam.AttachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(adminARN)}))
	}
	att := must[*iam.ListAttachedGroupPoliciesOutput](t)(c.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: aws.String("Admin")}))
	if len(att.AttachedPolicies) != 1 || *att.AttachedPolicies[0].PolicyArn != adminARN || *att.AttachedPolicies[0].PolicyName != "AdministratorAccess" {
		t.Fatalf("attached %+v", att.AttachedPolicies)
	}
	pol = must[*iam.GetPolicyOutput](t)(c.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: aws.String(adminARN)})).Policy
	if *pol.AttachmentCount != 1 {
		t.Fatalf("attachment count %d", *pol.AttachmentCount)
	}

	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("administrator")}))
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	_, err = c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("ghost")})
	wantError(t, err, "NoSuchEntity", 404, "ghost")

	gg := must[*iam.GetGroupOutput](t)(c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("admin")}))
	if len(gg.Users) != 1 || *gg.Users[0].UserName != "administrator" || gg.IsTruncated {
		t.Fatalf("members %+v", gg.Users)
	}
	groups := must[*iam.ListGroupsForUserOutput](t)(c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("administrator")}))
	if len(groups.Groups) != 1 || *groups.Groups[0].GroupName != "admin" {
		t.Fatalf("groups for user %+v", groups.Groups)
	}

	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admin")})
	wantError(t, err, "DeleteConflict", 409, "must remove users from group first")
	must[*iam.RemoveUserFromGroupOutput](t)(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	_, err = c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admin")})
	wantError(t, err, "DeleteConflict", 409, "must detach all policies first")
	must[*iam.DetachGroupPolicyOutput](t)(c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(adminARN)}))
	_, err = c.DetachGroupPolicy(ctx, &iam.DetachGroupPolicyInput{GroupName: aws.String("admin"), PolicyArn: aws.String(adminARN)})
	wantError(t, err, "NoSuchEntity", 404)
	must[*iam.DeleteGroupOutput](t)(c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admin")}))
	_, err = c.DeleteGroup(ctx, &iam.DeleteGroupInput{GroupName: aws.String("admin")})
	wantError(t, err, "NoSuchEntity", 404)

	list := must[*iam.ListGroupsOutput](t)(c.ListGroups(ctx, &iam.ListGroupsInput{PathPrefix: aws.String("/ops/")}))
	if len(list.Groups) != 1 || *list.Groups[0].Path != "/ops/" {
		t.Fatalf("groups under /ops/ %+v", list.Groups)
	}
}

func TestGroupMembersPaginate(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("team")}))
	for i := range 7 {
		name := aws.String(fmt.Sprintf("user%d", i))
		must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: name}))
		must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("team"), UserName: name}))
	}
	var names []string
	pages := 0
	p := iam.NewGetGroupPaginator(c, &iam.GetGroupInput{GroupName: aws.String("team"), MaxItems: aws.Int32(3)})
	for p.HasMorePages() {
		out := must[*iam.GetGroupOutput](t)(p.NextPage(ctx))
		pages++
		for _, u := range out.Users {
			names = append(names, *u.UserName)
		}
	}
	if pages != 3 || strings.Join(names, ",") != "user0,user1,user2,user3,user4,user5,user6" {
		t.Fatalf("%d pages: %v", pages, names)
	}
	_, err := c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("team"), MaxItems: aws.Int32(0)})
	wantError(t, err, "ValidationError", 400)
	_, err = c.GetGroup(ctx, &iam.GetGroupInput{GroupName: aws.String("team"), Marker: aws.String("garbage!")})
	wantError(t, err, "ValidationError", 400)
}

func TestUsersLifecycle(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	u := must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("administrator")})).User
	if *u.Arn != "arn:aws:iam::123456789012:user/administrator" || !strings.HasPrefix(*u.UserId, "AIDA") {
		t.Fatalf("user %+v", u)
	}
	_, err := c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("Administrator")})
	wantError(t, err, "EntityAlreadyExists", 409)
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(strings.Repeat("u", 65))})
	wantError(t, err, "ValidationError", 400, "less than or equal to 64")
	_, err = c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("a b")})
	wantError(t, err, "ValidationError", 400, "The specified value for userName is invalid")
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(strings.Repeat("u", 64))}))

	got := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ADMINISTRATOR")})).User
	if *got.UserName != "administrator" || *got.UserId != *u.UserId {
		t.Fatalf("get user %+v", got)
	}
	root := must[*iam.GetUserOutput](t)(c.GetUser(ctx, &iam.GetUserInput{})).User
	if *root.Arn != "arn:aws:iam::123456789012:root" || *root.UserId != "123456789012" || root.UserName != nil {
		t.Fatalf("root user %+v", root)
	}
	_, err = c.GetUser(ctx, &iam.GetUserInput{UserName: aws.String("ghost")})
	wantError(t, err, "NoSuchEntity", 404, "The user with name ghost cannot be found.")

	pols := must[*iam.ListAttachedUserPoliciesOutput](t)(c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("administrator")}))
	inline := must[*iam.ListUserPoliciesOutput](t)(c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("administrator")}))
	if len(pols.AttachedPolicies) != 0 || len(inline.PolicyNames) != 0 {
		t.Fatalf("fresh user has policies")
	}
	_, err = c.ListUserPolicies(ctx, &iam.ListUserPoliciesInput{UserName: aws.String("ghost")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.ListAttachedUserPolicies(ctx, &iam.ListAttachedUserPoliciesInput{UserName: aws.String("ghost")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.ListGroupsForUser(ctx, &iam.ListGroupsForUserInput{UserName: aws.String("ghost")})
	wantError(t, err, "NoSuchEntity", 404)

	// DeleteUser refuses while the user has a login profile or groups.
	must[*iam.CreateGroupOutput](t)(c.CreateGroup(ctx, &iam.CreateGroupInput{GroupName: aws.String("admin")}))
	must[*iam.AddUserToGroupOutput](t)(c.AddUserToGroup(ctx, &iam.AddUserToGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	must[*iam.CreateLoginProfileOutput](t)(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("administrator"), Password: aws.String("Correct-Horse-9")}))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("administrator")})
	wantError(t, err, "DeleteConflict", 409, "login profile")
	must[*iam.DeleteLoginProfileOutput](t)(c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("administrator")}))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("administrator")})
	wantError(t, err, "DeleteConflict", 409, "groups")
	must[*iam.RemoveUserFromGroupOutput](t)(c.RemoveUserFromGroup(ctx, &iam.RemoveUserFromGroupInput{GroupName: aws.String("admin"), UserName: aws.String("administrator")}))
	must[*iam.DeleteUserOutput](t)(c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("administrator")}))
	_, err = c.DeleteUser(ctx, &iam.DeleteUserInput{UserName: aws.String("administrator")})
	wantError(t, err, "NoSuchEntity", 404)
}

func TestListUsersPaginates(t *testing.T) {
	f := start(t, iamsim.Options{})
	for i := range 12 {
		path := "/"
		if i%2 == 0 {
			path = "/even/"
		}
		must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String(fmt.Sprintf("u%02d", i)), Path: aws.String(path)}))
	}
	var names []string
	pages := 0
	p := iam.NewListUsersPaginator(f.iam, &iam.ListUsersInput{MaxItems: aws.Int32(5)})
	for p.HasMorePages() {
		out := must[*iam.ListUsersOutput](t)(p.NextPage(ctx))
		pages++
		for _, u := range out.Users {
			names = append(names, *u.UserName)
		}
	}
	if pages != 3 || len(names) != 12 || names[0] != "u00" || names[11] != "u11" {
		t.Fatalf("%d pages %v", pages, names)
	}
	even := must[*iam.ListUsersOutput](t)(f.iam.ListUsers(ctx, &iam.ListUsersInput{PathPrefix: aws.String("/even/")}))
	if len(even.Users) != 6 {
		t.Fatalf("even users %d", len(even.Users))
	}
	_, err := f.iam.ListUsers(ctx, &iam.ListUsersInput{MaxItems: aws.Int32(1001)})
	wantError(t, err, "ValidationError", 400)
}

func TestLoginProfilePasswordPolicy(t *testing.T) {
	f := start(t, iamsim.Options{})
	c := f.iam
	must[*iam.CreateUserOutput](t)(c.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	_, err := c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})
	wantError(t, err, "NoSuchEntity", 404, "Login Profile for User bob cannot be found.")

	// AWS's default policy: 8+ characters, 3 of 4 classes.
	for _, weak := range []string{"Ab1!", "qwertyuiop", "PASSWORD1", "abcdefgh!", "12345678"} {
		_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String(weak)})
		wantError(t, err, "PasswordPolicyViolation", 400)
		if strings.Contains(err.Error(), weak) {
			t.Fatalf("error echoes the password: %v", err)
		}
	}
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("ghost"), Password: aws.String("Abcdefg1")})
	wantError(t, err, "NoSuchEntity", 404)
	lp := must[*iam.CreateLoginProfileOutput](t)(c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1"), PasswordResetRequired: true})).LoginProfile
	if *lp.UserName != "bob" || !lp.PasswordResetRequired {
		t.Fatalf("login profile %+v", lp)
	}
	_, err = c.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1")})
	wantError(t, err, "EntityAlreadyExists", 409)
	got := must[*iam.GetLoginProfileOutput](t)(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})).LoginProfile
	if !got.PasswordResetRequired {
		t.Fatal("reset flag lost")
	}

	// A custom policy is enforced on updates.
	must[*iam.UpdateAccountPasswordPolicyOutput](t)(c.UpdateAccountPasswordPolicy(ctx, &iam.UpdateAccountPasswordPolicyInput{
		MinimumPasswordLength: aws.Int32(14), RequireSymbols: true, RequireNumbers: true,
		RequireUppercaseCharacters: true, RequireLowercaseCharacters: true,
	}))
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefg1")})
	wantError(t, err, "PasswordPolicyViolation", 400, "minimum length of 14", "at least one symbol")
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("abcdefghijklmn1!")})
	wantError(t, err, "PasswordPolicyViolation", 400, "uppercase")
	// A symbol outside IAM's symbol set does not count as one.
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefghijklm1~")})
	wantError(t, err, "PasswordPolicyViolation", 400, "symbol")
	must[*iam.UpdateLoginProfileOutput](t)(c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefghijklm1!"), PasswordResetRequired: aws.Bool(false)}))
	got = must[*iam.GetLoginProfileOutput](t)(c.GetLoginProfile(ctx, &iam.GetLoginProfileInput{UserName: aws.String("bob")})).LoginProfile
	if got.PasswordResetRequired {
		t.Fatal("reset flag not cleared")
	}
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String(strings.Repeat("Aa1!", 33))})
	wantError(t, err, "ValidationError", 400)
	must[*iam.DeleteLoginProfileOutput](t)(c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("bob")}))
	_, err = c.DeleteLoginProfile(ctx, &iam.DeleteLoginProfileInput{UserName: aws.String("bob")})
	wantError(t, err, "NoSuchEntity", 404)
	_, err = c.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("Abcdefghijklm1!")})
	wantError(t, err, "NoSuchEntity", 404)
}

func TestLogRedactsSecretsAndMarksMutations(t *testing.T) {
	f := start(t, iamsim.Options{})
	const pw = "Sup3r-Secret-Pw!"
	must[*iam.CreateUserOutput](t)(f.iam.CreateUser(ctx, &iam.CreateUserInput{UserName: aws.String("bob")}))
	must[*iam.CreateLoginProfileOutput](t)(f.iam.CreateLoginProfile(ctx, &iam.CreateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String(pw)}))
	_, _ = f.iam.UpdateLoginProfile(ctx, &iam.UpdateLoginProfileInput{UserName: aws.String("bob"), Password: aws.String("weak")})
	must[*iam.ListUsersOutput](t)(f.iam.ListUsers(ctx, &iam.ListUsersInput{}))
	log := f.sim.Log()
	if len(log) != 4 {
		t.Fatalf("%d log entries", len(log))
	}
	want := []struct {
		action   string
		mutating bool
		code     string
	}{{"CreateUser", true, ""}, {"CreateLoginProfile", true, ""}, {"UpdateLoginProfile", true, "PasswordPolicyViolation"}, {"ListUsers", false, ""}}
	for i, e := range log {
		if e.Seq != i+1 || e.Action != want[i].action || e.Mutating != want[i].mutating || e.ErrorCode != want[i].code ||
			e.AccountID != iamsim.DefaultAccountID || e.Principal != "arn:aws:iam::123456789012:root" || e.End.Before(e.Start) {
			t.Errorf("entry %d: %+v", i, e)
		}
		for k, v := range e.Params {
			if strings.Contains(v, pw) || strings.Contains(v, "weak") {
				t.Errorf("entry %d param %s leaks a password", i, k)
			}
		}
	}
	if log[1].Params["Password"] != "[redacted]" || log[1].Params["UserName"] != "bob" {
		t.Errorf("params %v", log[1].Params)
	}
	if n := len(f.sim.MutatingRequests()); n != 3 {
		t.Errorf("%d mutating requests", n)
	}
	f.sim.ResetLog()
	if len(f.sim.Log()) != 0 || f.sim.MaxDepth() != 0 {
		t.Error("ResetLog kept entries")
	}
}
