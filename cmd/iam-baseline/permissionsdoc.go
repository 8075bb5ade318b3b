package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/permissions"
)

// permissionsDocCommand regenerates docs/permissions.md; usage_doc_test.go
// fails, naming it, when the file differs from what it prints.
const permissionsDocCommand = "go run ./cmd/iam-baseline docs permissions > docs/permissions.md"

// writePermissionsDoc writes docs/permissions.md from package permissions,
// the same list `iam-baseline policy` prints and the least-privilege tests
// hold to the code.
func writePermissionsDoc(w io.Writer) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Permissions\n\n")
	p("<!-- Generated from package baseline/permissions by `%s`. Do not edit. -->\n\n", permissionsDocCommand)
	p("Run as the **root user** (for example from AWS CloudShell signed in as root), `iam-baseline` needs no policy: no policy restricts root.\n")
	p("Run as an **IAM user or role**, it needs the policy below, which `iam-baseline policy` prints:\n\n")
	p("```sh\niam-baseline policy > iam-baseline-policy.json\n")
	p("aws iam create-policy --policy-name iam-baseline --policy-document file://iam-baseline-policy.json\n```\n\n")
	p("The policy lets its holder create an administrator, so treat it as administrator access: attach it only to the identity that runs the tool, and remove it afterwards.\n")
	p("The tests run every end-to-end scenario as an IAM user holding exactly this policy, and remove each action in turn to show that some scenario then fails with AccessDenied.\n\n")

	p("## Actions, by purpose\n\n| Statement | Needed by | Actions |\n|---|---|---|\n")
	for _, g := range permissions.Groups() {
		actions := make([]string, len(g.Actions))
		for i, a := range g.Actions {
			actions[i] = "`" + g.Prefixed(a) + "`"
		}
		p("| `%s` | %s | %s |\n", g.Sid, cell(g.Purpose.String()), strings.Join(actions, ", "))
	}
	p("\nNot in the policy:\n\n")
	p("- %s: every principal may call it; it tells the tool who is calling.\n", codeList(permissions.NoPermissionNeeded(), ""))
	p("- %s: used only to delete root's access keys (`--delete-root-access-keys`), which works only when signed by root.\n", codeList(permissions.RootOnly(), "iam:"))
	p("- Root MFA: AWS has no API to enable it; the plan shows the console steps.\n\n")

	p("## The policy\n\n```json\n%s```\n", permissions.Document().JSON())
	p("\nWhen an action is denied, the error names it and points here, for example:\n\n")
	p("```\niam-baseline: ... AccessDenied ...\nhint: %s\n```\n", deniedAdvice("iam:CreateUser").String())
	_, err := io.WriteString(w, b.String())
	return err
}

func codeList(items []string, prefix string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "`" + prefix + s + "`"
	}
	return strings.Join(out, ", ")
}
