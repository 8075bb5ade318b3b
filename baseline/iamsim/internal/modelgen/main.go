// Command modelgen turns AWS's published IAM and STS service models into the
// simulator's parameter rules (model_gen.go): for every implemented action,
// each input member's type, required flag, length, range, pattern and enum,
// and the errors the action documents, with their HTTP status.
//
// The models are botocore's service-2.json files, kept trimmed (no
// documentation, only the implemented operations and the shapes they reach)
// under testdata/model. To refresh them from a newer botocore, and to add
// operations as iamsim implements them:
//
//	go run ./internal/modelgen -refresh /usr/lib/python3/dist-packages/botocore/data -add iam:NewAction
//
// then `go generate` (which runs this command without flags) and `go test`:
// TestModelMatchesGeneratedRules fails while model_gen.go is stale, and
// TestModelCoversEveryAction while an action has no model.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/iam-baseline/iam-baseline/baseline/iamsim/internal/model"
)

func main() {
	dir := flag.String("dir", ".", "the iamsim package directory")
	refresh := flag.String("refresh", "", "botocore data directory to re-trim the models from")
	add := flag.String("add", "", "comma-separated service:Operation to add when refreshing")
	flag.Parse()
	if *refresh != "" {
		if err := refreshModels(*dir, *refresh, *add); err != nil {
			log.Fatal(err)
		}
	}
	src, err := model.Generate(filepath.Join(*dir, "testdata", "model"))
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*dir, "model_gen.go"), src, 0o644); err != nil {
		log.Fatal(err)
	}
}

// refreshModels re-trims each service's model from botocore's full one,
// keeping the operations the trimmed copy has plus the added ones.
func refreshModels(dir, botocore, add string) error {
	adds := map[string][]string{}
	for _, a := range strings.Split(add, ",") {
		if svc, op, ok := strings.Cut(strings.TrimSpace(a), ":"); ok {
			adds[svc] = append(adds[svc], op)
		}
	}
	for _, svc := range model.Services {
		trimmedPath := filepath.Join(dir, "testdata", "model", svc.Name+".json")
		ops := adds[svc.Name]
		if old, err := model.Load(trimmedPath); err == nil {
			for name := range old.Operations {
				ops = append(ops, name)
			}
		}
		sort.Strings(ops)
		full, err := model.Load(filepath.Join(botocore, svc.Name, svc.Version, "service-2.json"))
		if err != nil {
			return err
		}
		trimmed, err := full.Trim(ops)
		if err != nil {
			return fmt.Errorf("%s: %w", svc.Name, err)
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", " ")
		if err := enc.Encode(trimmed); err != nil {
			return err
		}
		if err := os.WriteFile(trimmedPath, buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
