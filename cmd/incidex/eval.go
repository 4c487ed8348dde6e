package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/internal/score"
	"github.com/incidex/incidex/internal/sizecap"
	"github.com/spf13/cobra"
)

// EvalOptions holds the flags and streams of "incidex eval".
type EvalOptions struct {
	IO *cli.IOStreams

	Gold           string
	Pages          string
	Predictions    string
	Rules          []string
	NoDefaultRules bool
	Format         string
	Jobs           int
	// RecallOnly scores every page for recall alone, as if each gold line
	// said "exhaustive": false.
	RecallOnly bool
}

// NewCmdEval returns the "eval" command. runF replaces runEval in tests that
// only check flag parsing; nil means runEval.
func NewCmdEval(f *Factory, runF func(context.Context, *EvalOptions) error) *cobra.Command {
	opts := &EvalOptions{IO: f.IOStreams, Format: "text", Jobs: runtime.NumCPU()}
	if runF == nil {
		runF = runEval
	}
	cmd := &cobra.Command{
		Use:   "eval --gold GOLD.jsonl (--pages DIR | --predictions FILE.jsonl) [flags]",
		Short: "Score incident extraction against labelled pages",
		Long: `Extract the incidents of every page named in a gold file, reading each page
from DIR exactly as "incidex extract" reads a saved page, and score them
against the labels: precision, recall and F1 for victims, actors, tooling and impact kinds, the
share of gold actors linked to their victim, of statuses right, and of pages
without an incident that yield none ("nonincident_clean"), then one line per
miss ("missed"), false hit ("extra"), unlinked actor, and page that could not
be read ("no output"), sorted by page.

The gold file has one JSON object per line, for example:
{"page": "x.html", "incidents": [{"victims": ["Acme Water|Acme"], "actors":
[...], "tooling": [...], "impacts": [...], "status": "confirmed"}],
"optional": {"actors": [...], "tooling": [...], "victims": [...]}}.
Names match through the aliases incidex reports and the "|" alternatives
of the gold file; names in "optional" are neither missed nor false hits.

Gold that is not exhaustive: a line with "exhaustive": false (without the
key a line is exhaustive) labels only some of the page's victims, actors,
tooling and impacts, so a correct find it leaves out would count as a
false hit and precision means nothing. Such pages are scored for recall
alone, in a block of their own after the others, headed "recall-only (N
pages, gold not exhaustive)": per field, recall ("n/a" without labels)
and the labels found (tp) and missed (fn). They count in missing_pages but in no other figure of
the main report, which is then headed "exhaustive gold (N pages)", or, if
no page is left, replaced by a line that says so. Their detail lines are
misses only: no "extra", no unlinked actor. --recall-only treats every
page of the run as not exhaustive, whatever its gold line says, as gold
that labels only some names (such as the CASIE corpus's annotations) needs.

--predictions scores records already extracted instead of extracting: a
JSON Lines file of incidex/v1 records ("incidex extract --format jsonl"
output, or any tool's in that shape), each matched to a gold page by the
base name of its "input"; lines that are not JSON count as bad_lines.

A page missing from DIR (or without a record in the predictions) counts as
a page without output (missing_pages) and its labels as misses; the others
are still scored. Low scores are not an
error: the exit status is 0 whenever the report is written, unless not one
page could be read.

Rules: as for "incidex extract": --rules adds packs, --no-default-rules
starts from them alone.

A gold file larger than ` + sizecap.Format(maxGoldBytes) + `, or a --predictions file larger than
` + sizecap.Format(maxPredictionsBytes) + `, is an error.

Output formats:
  text   the scorer's report, then the detail lines (default)
  json   one object: the scorer's --json figures plus "pages" (gold pages)
         and "details" (the detail lines); with pages whose gold is not
         exhaustive, also "exhaustive_pages" and "recall_only": {"pages",
         and "victims", "actors", "tooling", "impacts" each with "r" (null
         without labels), "tp", "fn"}, and with no exhaustive page, null
         for every figure from "victims" to "macro_f1"

` + exitCodesHelp(evalExits...),
		Example: `  incidex eval --gold corpus/gold.jsonl --pages corpus/pages
  incidex eval --gold gold.jsonl --pages saved/ --rules my-rules/ --format json | jq .victims
  incidex extract saved/ > run.jsonl; incidex eval --gold gold.jsonl --predictions run.jsonl
  incidex eval --gold casie-dev/gold.jsonl --pages casie-dev/pages --recall-only`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unexpected argument %q: eval reads the pages named in --gold from --pages", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Gold, "gold", "", "gold labels: a JSONL `file`, one page a line (required)")
	fl.StringVar(&opts.Pages, "pages", "", "`folder` holding the pages the gold file names")
	fl.StringVar(&opts.Predictions, "predictions", "", "score the records of this JSONL `file` instead of extracting the pages")
	fl.StringArrayVar(&opts.Rules, "rules", nil, "add a rule pack: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	fl.BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack")
	fl.StringVar(&opts.Format, "format", opts.Format, "output `format`: text or json")
	fl.IntVarP(&opts.Jobs, "jobs", "j", opts.Jobs, "pages read and extracted at once")
	fl.BoolVar(&opts.RecallOnly, "recall-only", false, `score every page for recall alone, as if its gold line said "exhaustive": false`)
	return cmd
}

// validate checks what flag types cannot check alone.
func (o *EvalOptions) validate() error {
	switch {
	case o.Gold == "":
		return usageErrorf("--gold is required: the gold labels, one JSON object a line")
	case o.Pages == "" && o.Predictions == "":
		return usageErrorf("--pages or --predictions is required: the folder holding the labelled pages, or records extracted from them")
	case o.Pages != "" && o.Predictions != "":
		return usageErrorf("--pages and --predictions exclude each other: extract the pages, or score records already extracted")
	case o.Predictions != "" && (len(o.Rules) > 0 || o.NoDefaultRules):
		return usageErrorf("--rules and --no-default-rules are for extracting --pages; --predictions are scored as they are")
	case o.Format != "text" && o.Format != "json":
		return usageErrorf("--format must be text or json, got %q", o.Format)
	case o.Jobs < 1:
		return usageErrorf("-j must be at least 1, got %d", o.Jobs)
	case o.NoDefaultRules && len(o.Rules) == 0:
		return usageErrorf("--no-default-rules needs at least one --rules pack")
	}
	return nil
}

func runEval(ctx context.Context, opts *EvalOptions) error {
	if err := opts.validate(); err != nil {
		return err
	}
	gold, err := readGoldFile(opts.Gold, maxGoldBytes)
	if err != nil {
		return err
	}
	if opts.RecallOnly {
		for i := range gold {
			gold[i].NotExhaustive = true
		}
	}
	if opts.Predictions != "" {
		byBase, bad, err := readPredictionsFile(opts.Predictions, maxPredictionsBytes)
		if err != nil {
			return err
		}
		// Records are named by the base name of their input, as the
		// script keys them; the gold may name a page in a subfolder.
		preds := map[string]score.Record{}
		unread := map[string]error{}
		for _, g := range gold {
			if rec, ok := byBase[path.Base(g.Page)]; ok {
				preds[g.Page] = rec
			} else {
				unread[g.Page] = fmt.Errorf("no record in %s", opts.Predictions)
			}
		}
		res := score.Score(gold, preds)
		res.BadLines = bad
		if err := writeEval(opts, gold, res, evalDetails(gold, preds, unread)); err != nil {
			return err
		}
		if len(preds) == 0 {
			return fmt.Errorf("none of the pages of %s has a record in %s", opts.Gold, opts.Predictions)
		}
		return nil
	}
	if fi, err := os.Stat(opts.Pages); err != nil {
		return fmt.Errorf("--pages: %w", err)
	} else if !fi.IsDir() {
		return fmt.Errorf("--pages: %s is not a folder", opts.Pages)
	}
	set, err := loadRules(opts.Rules, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	x := extract.New(set)

	var names []string // each page once, in gold order
	seen := map[string]bool{}
	for _, g := range gold {
		if !seen[g.Page] {
			seen[g.Page] = true
			names = append(names, g.Page)
		}
	}
	if len(names) > 1 {
		// As in extract batches: prose's model loads beside the first pages.
		x.Preload()
	}
	outcomes, err := evalPages(ctx, x, opts.Pages, names, opts.Jobs)
	if err != nil {
		return err
	}

	// Predictions are keyed by the gold page itself (the script keys them by
	// base name, which is the same for the flat folders it is used with) so
	// that a gold page in a subfolder of DIR is found too.
	preds := make(map[string]score.Record, len(names))
	unread := map[string]error{}
	for i, name := range names {
		if o := outcomes[i]; o.err != nil {
			unread[name] = o.err
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: %v\n", cli.DisplayName(name), o.err)
		} else {
			preds[name] = o.rec
		}
	}
	res := score.Score(gold, preds)
	if err := writeEval(opts, gold, res, evalDetails(gold, preds, unread)); err != nil {
		return err
	}
	if len(unread) == len(names) {
		return fmt.Errorf("none of the %d pages of %s could be read from %s", len(names), opts.Gold, opts.Pages)
	}
	return nil
}

// writeEval prints the report: the scorer's figures, then the detail
// lines, as text or as one JSON object.
func writeEval(opts *EvalOptions, gold []score.Gold, res score.Result, details []string) error {
	if opts.Format == "json" {
		m := res.JSON()
		m["pages"] = len(gold)
		m["details"] = details
		indent := ""
		if opts.IO.IsStdoutTTY() {
			indent = "  "
		}
		b, err := cli.EncodeJSON(m, indent)
		if err != nil {
			return err
		}
		_, err = opts.IO.Out.Write(b)
		return err
	}
	var b strings.Builder
	if err := res.WriteText(&b); err != nil {
		return err
	}
	for _, d := range details {
		b.WriteString("  " + d + "\n")
	}
	_, err := fmt.Fprint(opts.IO.Out, b.String())
	return err
}

// readPredictionsFile reads a JSONL file of records for --predictions,
// failing on a file of more than limit bytes. Errors name the file, and
// the line when one is at fault.
func readPredictionsFile(name string, limit int64) (map[string]score.Record, int, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, 0, fmt.Errorf("--predictions: %w", err)
	}
	defer f.Close()
	// The cap applies while reading: a FIFO or a device has no size.
	preds, bad, err := score.ReadPredictions(sizecap.NewReader(f, name, limit, "predictions file"))
	var lineErr *score.LineError
	var tooLarge *sizecap.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return nil, 0, fmt.Errorf("--predictions: %w; score it in parts", tooLarge)
	case errors.As(err, &lineErr):
		return nil, 0, fmt.Errorf("%s:%d: %w", name, lineErr.Line, lineErr.Err)
	case err != nil:
		return nil, 0, fmt.Errorf("predictions %s: %w", name, err)
	}
	return preds, bad, nil
}

// maxPredictionsBytes bounds what --predictions reads into memory: the
// records of "incidex extract" average about 3 KB, so this is some 80,000
// pages, far more than a gold file labels. The file is read whole and
// copied once more as text: 1 GiB, the cap before, cost 2 GB to reach.
const maxPredictionsBytes = 256 << 20

// maxGoldBytes bounds a gold file: a labelled page takes a line of about
// a kilobyte (no line of the corpus or of testdata/train passes 1.6 KB),
// so this is some 30,000 pages.
const maxGoldBytes = 32 << 20

// readGoldFile reads the gold labels, failing on a file of more than limit
// bytes. Errors name the file, and the line when one is at fault
// ("gold.jsonl:3: ...").
func readGoldFile(path string, limit int64) ([]score.Gold, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("gold file: %w", err)
	}
	defer f.Close()
	gold, err := score.ReadGold(sizecap.NewReader(f, path, limit, "gold file"))
	var lineErr *score.LineError
	var tooLarge *sizecap.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return nil, tooLarge
	case errors.As(err, &lineErr):
		return nil, fmt.Errorf("%s:%d: %w", path, lineErr.Line, lineErr.Err)
	case err != nil:
		return nil, fmt.Errorf("gold file %s: %w", path, err)
	case len(gold) == 0:
		return nil, fmt.Errorf("gold file %s: no labelled pages", path)
	}
	for _, g := range gold {
		if g.Page == "" {
			// Python's scorer would look it up and find nothing; here it
			// would name the folder itself.
			return nil, fmt.Errorf("gold file %s: a line has an empty page name", path)
		}
	}
	return gold, nil
}

// pageOutcome is what came of one page: its record, or why it has none.
type pageOutcome struct {
	rec score.Record
	err error
}

// evalPages extracts the named pages of dir with jobs workers, reading each
// as "incidex extract" reads a saved page. The outcomes are in the order of
// names, whatever order the workers finish in.
func evalPages(ctx context.Context, x *extract.Extractor, dir string, names []string, jobs int) ([]pageOutcome, error) {
	results, errs, err := readLabelledPages(ctx, dir, names, jobs, x.Page)
	if err != nil {
		return nil, err
	}
	outcomes := make([]pageOutcome, len(names))
	for i := range names {
		if errs[i] != nil {
			outcomes[i].err = errs[i]
		} else {
			outcomes[i].rec = score.RecordOf(names[i], results[i])
		}
	}
	return outcomes, nil
}

// readLabelledPages reads the named pages of dir with jobs workers, as
// "incidex extract" reads a saved page, and gives each to process. The
// results and the errors of the pages are in the order of names, whatever
// order the workers finish in; a page missing from dir is "not found in
// DIR". The error is for the run: interrupted, or the pool failed.
func readLabelledPages[T any](ctx context.Context, dir string, names []string, jobs int, process func(*source.Page) (T, error)) ([]T, []error, error) {
	results := make([]T, len(names))
	errs := make([]error, len(names))
	loader := &batch.Loader{}
	_, err := batch.Run(ctx, batch.Config[T]{
		Inputs: func(ctx context.Context, emit func(batch.Input) bool) bool {
			for _, name := range names {
				if ctx.Err() != nil || !emit(batch.File(filepath.Join(dir, name))) {
					return false
				}
			}
			return true
		},
		Process: func(ctx context.Context, in batch.Input) (T, error) {
			page, err := loader.Load(ctx, in)
			if err != nil {
				var zero T
				return zero, err
			}
			return process(page)
		},
		Deliver: func(o batch.Outcome[T]) error {
			switch {
			case errors.Is(o.Err, fs.ErrNotExist):
				errs[o.Seq] = fmt.Errorf("not found in %s", dir)
			case o.Err != nil:
				errs[o.Seq] = o.Err
			default:
				results[o.Seq] = o.Value
			}
			return nil
		},
		Jobs:    jobs,
		Ordered: true,
	})
	if ctx.Err() != nil {
		return nil, nil, errInterrupted
	}
	if err != nil {
		return nil, nil, err
	}
	return results, errs, nil
}

// evalDetails returns the scorer's detail lines sorted by page, each page's
// lines in the scorer's order, with "PAGE: no output: CAUSE" first for a
// page that could not be read. Each gold line is scored alone to learn which
// lines are its own: the scorer keeps no state from one gold page to the
// next, so together they are exactly the details of the whole run, and no
// page name has to be parsed back out of a line.
func evalDetails(gold []score.Gold, preds map[string]score.Record, unread map[string]error) []string {
	type pageLines struct {
		page  string
		lines []string
	}
	groups := make([]pageLines, 0, len(gold))
	said := map[string]bool{} // a page listed twice says "no output" once
	for _, g := range gold {
		var lines []string
		if err, ok := unread[g.Page]; ok && !said[g.Page] {
			lines = append(lines, g.Page+": no output: "+err.Error())
			said[g.Page] = true
		}
		lines = append(lines, score.Score([]score.Gold{g}, preds).Details...)
		groups = append(groups, pageLines{g.Page, lines})
	}
	slices.SortStableFunc(groups, func(a, b pageLines) int { return strings.Compare(a.page, b.page) })
	details := []string{} // "details": [] rather than null in JSON
	for _, g := range groups {
		details = append(details, g.lines...)
	}
	return details
}
