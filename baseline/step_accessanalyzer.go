package baseline

import (
	"context"
	"errors"
	"sort"
	"strings"
	"sync"

	"github.com/iam-baseline/iam-baseline/baseline/locale"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/accessanalyzer"
	accessanalyzertypes "github.com/aws/aws-sdk-go-v2/service/accessanalyzer/types"

	"github.com/iam-baseline/iam-baseline/baseline/awsfacts"
)

// The account's IAM Access Analyzer (CIS, Security Hub IAM.28), made only
// when asked: the free external-access analyzer of the account, in every
// enabled region that has no active one, all regions at once.
func accessAnalyzerStep() step {
	return step{id: StepAccessAnalyzer, plan: planAccessAnalyzer, apply: func(ctx context.Context, a *applier, r *stepRun) error {
		return a.applyAccessAnalyzer(ctx, r)
	}}
}

// AnalyzerName is the name iam-baseline gives the analyzers it creates.
const AnalyzerName = "iam-baseline"

// AnalyzerCoverage is the access-analyzer step's view: the enabled regions
// with and without an active external-access analyzer.
type AnalyzerCoverage struct {
	Covered []string `json:"covered"`
	Missing []string `json:"missing"`
}

func planAccessAnalyzer(in planInput) Change {
	c := Change{Step: StepAccessAnalyzer}
	if !in.Spec.AccessAnalyzer {
		c.Action = ActionNone
		c.Reasons = []Reason{{Code: ReasonAnalyzerNotAsked}}
		return c
	}
	var before AnalyzerCoverage
	for _, ra := range in.State.Analyzers {
		if len(ra.Active) > 0 {
			before.Covered = append(before.Covered, ra.Region)
		} else {
			before.Missing = append(before.Missing, ra.Region)
		}
	}
	c.Before = before
	if len(before.Missing) == 0 {
		c.Action, c.After = ActionNone, before
		c.Reasons = []Reason{{Code: ReasonAnalyzerEverywhere, Regions: len(before.Covered)}}
		return c
	}
	after := AnalyzerCoverage{Covered: append(append([]string{}, before.Covered...), before.Missing...)}
	sort.Strings(after.Covered)
	c.Action, c.After = ActionCreate, after
	c.Reasons = []Reason{{Code: ReasonAnalyzerMissing, Regions: len(before.Missing), Keys: before.Missing}}
	c.Details = []locale.Msg{locale.M("create account analyzer %s (external access, free) in %s", AnalyzerName, strings.Join(before.Missing, ", "))}
	return c
}

func (a *applier) applyAccessAnalyzer(ctx context.Context, r *stepRun) error {
	if a.deps.AccessAnalyzer == nil {
		return errors.New("creating access analyzers: no Access Analyzer client")
	}
	before, _ := r.change.Before.(AnalyzerCoverage)
	var mu sync.Mutex
	var done []string
	reads := make([]Read, 0, len(before.Missing))
	for _, region := range before.Missing {
		reads = append(reads, Read{Fn: func(ctx context.Context) error {
			_, err := a.deps.AccessAnalyzer.CreateAnalyzer(ctx, &accessanalyzer.CreateAnalyzerInput{
				AnalyzerName: aws.String(AnalyzerName), Type: accessanalyzertypes.TypeAccount},
				func(o *accessanalyzer.Options) { o.Region = region })
			// One of that name exists: an earlier, interrupted run made it.
			if err != nil && !awsfacts.HasErrorCode(err, "ConflictException") {
				return locale.Wrap(locale.M("creating access analyzer %s in %s: %v", AnalyzerName, region, err), err)
			}
			mu.Lock()
			done = append(done, region)
			mu.Unlock()
			return nil
		}})
	}
	err := ReadConcurrently(ctx, len(reads), reads)
	sort.Strings(done)
	if len(done) > 0 {
		r.did = append(r.did, locale.M("created access analyzer %s in %s", AnalyzerName, strings.Join(done, ", ")))
	}
	return err
}
