package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/store"
	"github.com/spf13/cobra"
)

// ExtractOptions holds the flags and streams of "incidex extract".
type ExtractOptions struct {
	readOptions

	Rules          []string
	NoDefaultRules bool
}

// NewCmdExtract returns the "extract" command. runF replaces runExtract in
// tests that only check flag parsing; nil means runExtract.
func NewCmdExtract(f *Factory, runF func(context.Context, *ExtractOptions, []string) error) *cobra.Command {
	opts := &ExtractOptions{readOptions: defaultReadOptions(f)}
	if runF == nil {
		runF = runExtract
	}
	cmd := &cobra.Command{
		Use:   "extract [flags] <url|file|dir|->...",
		Short: "Extract cyber-incident records from news articles",
		Long: `Read each input like "incidex article" and print the incidents it reports:
victims, actors, tooling, impacts, whether the attack was only attempted, and
the sentences that prove each field (schema incidex/v1, see the README).

An article that reports no specific attack yields "incidents": [].

` + inputsHelp + `

--db FILE also stores every record in an incidex SQLite database (created
when missing), which "incidex incidents" lists as merged incidents: each
article in one transaction, the same article (canonical URL, else URL, else
content) once, a newer version replacing the older. A record that cannot be
stored fails its input like any failure; a full disk or an unwritable
database stops the run (exit 1), keeping every record stored before. A file
that is not an incidex database, or of a newer schema, is refused untouched.
--resume DB (the --db file itself) skips the inputs stored there, and the
records go to stdout as usual; --resume OUT.jsonl with --db skips the inputs
both recorded in OUT.jsonl and stored (a failed input is stored nowhere, so
it is tried again).

Rules: the default rule pack is built in; --rules adds YAML packs (a file or a
folder of .yaml files, repeatable) that extend it or replace its entries by
id; --no-default-rules starts from nothing.

Output formats (-o FILE writes any of them to FILE instead of stdout):
  text        a short summary per incident: status, victims, actors with their
              attribution, tooling, impacts and the strongest evidence sentence
              (default when stdout is a terminal)
  jsonl       one compact record per line (default otherwise)
  json        one indented record per input
  csv, tsv    one row per incident under a header row: input, url, title,
              published, incident, status, victims, sectors, countries, actors,
              attribution, tooling, impacts, indicators, confidence (lists
              joined with "; "; csv quoted as RFC 4180)
  stix        one STIX 2.1 bundle for the whole run (for OpenCTI, MISP)
  stix-jsonl  one STIX 2.1 bundle per input, one a line

` + exitCodesHelp(batchExits...),
		Example: `  incidex extract https://example.com/news/retailer-hack.html
  incidex extract --format jsonl saved/*.html > incidents.jsonl
  incidex extract --format csv -o incidents.csv saved/
  incidex extract --format stix -o bundle.json saved/
  incidex extract -j 16 --urls-from today.txt --resume incidents.jsonl
  incidex extract -q --db incidents.db --resume incidents.db saved/ > /dev/null
  incidex extract --input-format jsonl < pages.jsonl > incidents.jsonl
  incidex extract --rules my-rules/ page.html`,
		Args: requireInputs(&opts.readOptions),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}
	opts.addReadFlags(cmd, cli.FormatText, cli.FormatJSON, cli.FormatJSONL, cli.FormatText,
		cli.FormatCSV, cli.FormatTSV, cli.FormatSTIX, cli.FormatSTIXJSONL)
	cmd.Flags().StringArrayVar(&opts.Rules, "rules", nil, "add a rule pack: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	cmd.Flags().BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack")
	cmd.Flags().StringVar(&opts.DB, "db", "", "also store every record in the incidex SQLite database `FILE` (created when missing); see incidex incidents")
	return cmd
}

func runExtract(ctx context.Context, opts *ExtractOptions, args []string) (err error) {
	if opts.NoDefaultRules && len(opts.Rules) == 0 {
		return usageErrorf("--no-default-rules needs at least one --rules pack")
	}
	set, err := loadRules(opts.Rules, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	if opts.DB != "" {
		// Checked before the database is opened (or created).
		if err := opts.validate(args); err != nil {
			return err
		}
		db, err := store.Open(ctx, opts.DB, store.Options{Rules: set})
		if err != nil {
			return err
		}
		opts.db = db
		defer closeDB(db, &err) // Close merges what the run stored last
	}
	x := extract.New(set)
	if isBatch(&opts.readOptions, args) {
		// Loading prose's model takes a few hundred milliseconds and most
		// articles never need it; over a batch, load it beside the work.
		x.Preload()
	}
	return readPages(ctx, &opts.readOptions, args, func(ctx context.Context, p *source.Page) (any, error) {
		return x.PageContext(ctx, p)
	})
}

// loadRules builds the rule set from the default pack, unless noDefault,
// and the user's packs; a problem in a rule file is a *rulesError.
func loadRules(paths []string, noDefault bool) (*rules.Set, error) {
	packs, err := loadPacks(paths, noDefault)
	if err != nil {
		return nil, err
	}
	return rules.NewSet(packs...), nil
}

// loadPacks is rules.Load with its problems as a *rulesError, one line
// each.
func loadPacks(paths []string, noDefault bool) ([]*rules.Pack, error) {
	packs, err := rules.Load(paths, !noDefault)
	if list, ok := errors.AsType[rules.ErrorList](err); ok {
		return nil, &rulesError{list}
	}
	return packs, err
}

// rulesError prints every rule problem on its own line.
type rulesError struct{ list rules.ErrorList }

func (e *rulesError) Error() string {
	return fmt.Sprintf("%d problem(s) in rule files:\n%v", len(e.list), e.list)
}
