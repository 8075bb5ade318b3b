package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	"github.com/aws/aws-sdk-go-v2/service/account"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/urfave/cli/v2"

	"github.com/iam-baseline/iam-baseline/baseline"
	"github.com/iam-baseline/iam-baseline/baseline/audit"
	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
	"github.com/iam-baseline/iam-baseline/baseline/locale"
	"github.com/iam-baseline/iam-baseline/baseline/org"
)

// The organization flags, shared by status and apply.
const (
	flagOrganization    = "organization"
	flagRoleName        = "role-name"
	flagAccounts        = "accounts"
	flagExcludeAccounts = "exclude-accounts"
	flagOU              = "ou"
	flagConcurrency     = "concurrency"
)

// catOrganization groups the organization flags in --help.
func catOrganization(tr locale.Printer) string { return tr.T("Organization") }

// DefaultMemberRole is the role AWS Organizations creates in the accounts it
// creates, trusting the management account.
const DefaultMemberRole = "OrganizationAccountAccessRole"

// orgMaxAttempts is how many times a request across the organization is
// tried: at 30% throttling, 15 attempts leave one lost request in about
// 70 million, where MaxAttempts would lose about one of 15,000.
const orgMaxAttempts = 15

// orgDefaultTimeout bounds each request of an organization run unless
// --timeout says otherwise: 15 attempts with the standard retryer's backoff
// (up to 20 s apart) need more than DefaultTimeout under heavy throttling,
// which lost an account at 30% throttling in the benchmark.
const orgDefaultTimeout = 5 * time.Minute

func organizationFlags(tr locale.Printer) []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: flagOrganization, Category: catOrganization(tr), Usage: tr.T("act on every member account of the AWS Organization (run from the management account or a delegated administrator)")},
		&cli.StringFlag{Name: flagRoleName, Category: catOrganization(tr), Value: DefaultMemberRole, Usage: tr.T("`ROLE` to assume in each member account")},
		&cli.StringSliceFlag{Name: flagAccounts, Category: catOrganization(tr), Usage: tr.T("only these member account `IDS` (comma-separated)")},
		&cli.StringSliceFlag{Name: flagExcludeAccounts, Category: catOrganization(tr), Usage: tr.T("skip these member account `IDS` (comma-separated)")},
		&cli.StringFlag{Name: flagOU, Category: catOrganization(tr), Usage: tr.T("only accounts under organizational unit `ID` (ou-... or r-..., nested units included)")},
		&cli.IntFlag{Name: flagConcurrency, Category: catOrganization(tr), Value: org.DefaultConcurrency, Usage: tr.T("audit at most `N` accounts at once (1-200)")},
	}
}

// orgOptions are the organization flags, checked.
type orgOptions struct {
	role        string
	sel         org.Selection
	concurrency int
}

var (
	accountIDPattern = regexp.MustCompile(`^\d{12}$`)
	ouPattern        = regexp.MustCompile(`^(r-[0-9a-z]{4,32}|ou-[0-9a-z]{4,32}-[a-z0-9]{8,32})$`)
	// roleNamePattern is IAM's role name rule (1-64 of [\w+=,.@-]).
	roleNamePattern = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
)

// parseOrgOptions checks the organization flags before any request.
func parseOrgOptions(c *cli.Context) (orgOptions, error) {
	f := flags{c}
	o := orgOptions{role: f.String(flagRoleName), concurrency: f.Int(flagConcurrency), sel: org.Selection{OU: f.String(flagOU)}}
	if err := checkRoleName(o.role); err != nil {
		return o, err
	}
	if o.concurrency < 1 || o.concurrency > 200 {
		return o, newUsageError([]string{flagConcurrency}, locale.M("invalid value %d for --%s: want 1-200", o.concurrency, flagConcurrency))
	}
	if o.sel.OU != "" && !ouPattern.MatchString(o.sel.OU) {
		return o, newUsageError([]string{flagOU}, locale.M("invalid value %q for --%s: want an organizational unit ID (ou-...) or the root ID (r-...)", o.sel.OU, flagOU))
	}
	var err error
	if o.sel.Accounts, err = accountIDs(c, flagAccounts); err != nil {
		return o, err
	}
	o.sel.Exclude, err = accountIDs(c, flagExcludeAccounts)
	return o, err
}

func checkRoleName(role string) error {
	if roleNamePattern.MatchString(role) {
		return nil
	}
	return newUsageError([]string{flagRoleName}, locale.M("invalid value %q for --%s: a role name is 1-64 letters, digits or +=,.@_-", role, flagRoleName))
}

func accountIDs(c *cli.Context, flag string) ([]string, error) {
	var ids []string
	for _, v := range (flags{c}).at(flag).StringSlice(flag) {
		for id := range strings.SplitSeq(v, ",") {
			id = strings.TrimSpace(id)
			if !accountIDPattern.MatchString(id) {
				return nil, newUsageError([]string{flag}, locale.M("invalid account ID %q in --%s: want 12 digits", id, flag))
			}
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// orgSession is the management account's side of an organization run: its
// configuration, clients and identity, and how it enters members.
type orgSession struct {
	cfg    aws.Config
	sts    *sts.Client
	iam    *iam.Client
	org    *organizations.Client
	caller baseline.Caller
	role   string
}

// newOrgSession loads the configuration with more attempts per request, so
// that throttling by STS or IAM delays accounts (the standard retryer's
// exponential backoff with jitter, up to 20 s between attempts) instead of
// losing them, and finds out who is calling. Not the SDK's adaptive mode:
// its client-side rate limiter, shared by the run's clients, made the
// 60-account throttling test take 447 s instead of 1.5 s.
func newOrgSession(ctx context.Context, env *Env, awsOpts AWSOptions, role string) (*orgSession, error) {
	cfg, err := loadRunConfig(ctx, env.LoadAWSConfig, awsOpts, env.Stderr)
	if err != nil {
		return nil, err
	}
	cfg.Retryer = newRetryer(awsOpts.Backoff, orgMaxAttempts)
	s := &orgSession{cfg: cfg, sts: sts.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg), org: organizations.NewFromConfig(cfg), role: role}
	out, err := s.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err == nil {
		s.caller, err = baseline.ParseCallerARN(aws.ToString(out.Arn))
	}
	if err != nil {
		return nil, locale.Wrap(locale.M("finding out who is calling (sts GetCallerIdentity): %v", err), err)
	}
	if s.caller.IsRoot {
		return nil, locale.Wrap(locale.M("the root user cannot assume roles in member accounts; hint: run as an IAM user or role of the management account (iam-baseline policy --organization prints what it needs)"), nil)
	}
	return s, nil
}

// members lists the selected member accounts.
func (s *orgSession) members(ctx context.Context, sel org.Selection) ([]org.Member, error) {
	sel.Self = s.caller.AccountID
	return org.ListMembers(ctx, s.org, sel)
}

// sessionConfig is the run's configuration signed with a session's
// temporary credentials (never printed).
func (s *orgSession) sessionConfig(c *ststypes.Credentials) aws.Config {
	cfg := s.cfg.Copy()
	cfg.Credentials = aws.NewCredentialsCache(credentials.NewStaticCredentialsProvider(
		aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken)))
	return cfg
}

// enter assumes the member role in the account.
func (s *orgSession) enter(ctx context.Context, m org.Member) (audit.Deps, error) {
	arn := fmt.Sprintf("arn:%s:iam::%s:role/%s", s.caller.Partition, m.ID, s.role)
	out, err := s.sts.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(arn), RoleSessionName: aws.String("iam-baseline")})
	if err != nil {
		return audit.Deps{}, locale.Wrap(locale.M("assuming %s: %v", arn, err), err)
	}
	cfg := s.sessionConfig(out.Credentials)
	return audit.Deps{IAM: iam.NewFromConfig(cfg), STS: sts.NewFromConfig(cfg), Account: account.NewFromConfig(cfg),
		AccessAnalyzer: accessanalyzer.NewFromConfig(cfg)}, nil
}

// enterRoot opens a root session in the member, held to the task policy.
// It needs no role in the member: centralized root access is enough.
func (s *orgSession) enterRoot(ctx context.Context, m org.Member, task string) (org.RootAPI, error) {
	out, err := s.sts.AssumeRoot(ctx, &sts.AssumeRootInput{TargetPrincipal: aws.String(m.ID),
		TaskPolicyArn: &ststypes.PolicyDescriptorType{Arn: aws.String(awsfacts.RootTaskPolicyARN(s.caller.Partition, task))}})
	if err != nil {
		return nil, locale.Wrap(locale.M("sts AssumeRoot with %s: %v", task, err), err)
	}
	return iam.NewFromConfig(s.sessionConfig(out.Credentials)), nil
}

// progressBar draws "[#####.....] 12/200 accounts" on one terminal line.
func progressBar(w io.Writer, tr locale.Printer) func(done, total int) {
	const width = 30
	return func(done, total int) {
		filled := width * done / max(total, 1)
		report(w, "\r[%s%s] %s", strings.Repeat("#", filled), strings.Repeat(".", width-filled), tr.T("%d/%d accounts", done, total))
		if done == total {
			reportln(w)
		}
	}
}

// openOrganization checks the organization flags, then opens the
// management account's session and lists the selected members.
func openOrganization(c *cli.Context, env *Env, awsOpts AWSOptions) (orgOptions, *orgSession, []org.Member, error) {
	o, err := parseOrgOptions(c)
	if err != nil {
		return o, nil, nil, err
	}
	if !(flags{c}).IsSet(flagTimeout) {
		awsOpts.Timeout = orgDefaultTimeout
	}
	s, err := newOrgSession(c.Context, env, awsOpts, o.role)
	if err != nil {
		return o, nil, nil, err
	}
	members, err := s.members(c.Context, o.sel)
	return o, s, members, err
}

// runOrgStatus audits every selected member account and prints the table,
// JSON or CSV. Any account failing a check, or not audited, is exit 3.
func runOrgStatus(c *cli.Context, env *Env, tr locale.Printer, awsOpts AWSOptions, target audit.Target, output string) error {
	o, s, members, err := openOrganization(c, env, awsOpts)
	if err != nil {
		return err
	}
	opts := org.StatusOptions{Concurrency: o.concurrency, Target: target, ReportWait: c.Duration(flagReportWait), Clock: envClock{env.Now}}
	missing, err := org.ReadRootAccessForAudit(c.Context, s.iam)
	if err != nil {
		return locale.Wrap(locale.M("%v; hint: iam-baseline policy --%s prints what the management account needs", err, flagOrganization), err)
	}
	if missing.Enabled() {
		opts.EnterRoot = s.enterRoot
	}
	if env.IsTerminal(env.Stderr) {
		opts.Progress = progressBar(env.Stderr, tr)
	}
	results := org.Status(c.Context, members, s.enter, opts)
	if err := c.Err(); err != nil {
		return err
	}
	switch output {
	case "json":
		err = org.WriteJSON(env.Stdout, results)
	case "csv":
		err = org.WriteCSV(env.Stdout, results)
	default:
		err = org.WriteText(env.Stdout, tr, results)
	}
	if err != nil {
		return err
	}
	if org.AnyFailing(results) {
		return exitStatus{code: ExitFindings}
	}
	return nil
}
