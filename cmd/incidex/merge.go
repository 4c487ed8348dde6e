package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/export/stix"
	"github.com/incidex/incidex/export/summary"
	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/merge"
	"github.com/spf13/cobra"
)

// formatUnits is merge's --format units: the units to merge, with their
// block keys, unmerged (the first step of a partitioned merge).
const formatUnits cli.Format = "units"

// mergeExits are the statuses of "incidex merge".
var mergeExits = []exitLine{
	{exitOK, "every input was read (also when it held no incident)"},
	{exitError, "error: bad rules, an unwritable output or temporary folder, or no input could be read"},
	{exitUsage, "usage error: unknown flag, bad flag value"},
	{exitPartial, "some inputs could not be read (missing, unreadable, not JSONL); the others were merged"},
	{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); the output may be incomplete"},
}

// MergeOptions holds the flags and streams of "incidex merge".
type MergeOptions struct {
	IO *cli.IOStreams

	Format         cli.Format
	Output         string
	Window         windowFlag
	Rules          []string
	NoDefaultRules bool
	TmpDir         string
	Quiet          bool

	now func() time.Time // the clock of STIX objects without a date
}

// NewCmdMerge returns the "merge" command. runF replaces runMerge in tests
// that only check flag parsing; nil means runMerge.
func NewCmdMerge(f *Factory, runF func(context.Context, *MergeOptions, []string) error) *cobra.Command {
	opts := &MergeOptions{IO: f.IOStreams, Window: windowFlag(merge.DefaultWindow), now: f.Now}
	if opts.now == nil {
		opts.now = time.Now
	}
	if runF == nil {
		runF = runMerge
	}
	formats := []cli.Format{cli.FormatJSONL, cli.FormatJSON, cli.FormatCSV, cli.FormatTSV, cli.FormatText, cli.FormatSTIX, formatUnits}
	cmd := &cobra.Command{
		Use:   "merge [flags] [file|dir|-]...",
		Short: "Merge the incidents several articles report about one attack",
		Long: `Read the JSONL records of "incidex extract" (files, folders of .jsonl files,
gzipped or not, or - for stdin, the default) and print merged incidents
(schema incidex-merged/v1, see the README): the reports of one attack on one
victim become one incident with all its sources, the union of their
victims' names, actors (with the strongest attribution and its source),
tooling, impacts (the largest quantities and their source), indicators and
responders, and every evidence sentence with its source.

Two reports are one attack when their victims' names match (aliases,
acronyms such as M&S and Marks & Spencer, short forms such as the Co-op and
the Co-operative Group, legal forms, possessives), they are at most
--window apart (chained: each report within the window of the one before),
and they do not name different gangs as attributed or claiming it. The
victims of one wave (one actor exploiting one flaw) stay one incident each,
sharing a campaign key. Ids are deterministic: the same inputs in any
order give the same output.

Memory stays bounded: units are spilled to temporary files (in --tmpdir)
by block key, and each block is merged alone. For a cluster of machines,
--format units prints the units with their block_key; partition them by
block_key, run incidex merge on each partition and sort the results by
first_reported, then id: the same as merging the whole.

Lines that are not records (error records of failed inputs, other JSON,
lines longer than 64 MiB) are skipped and counted on stderr.

Output formats (-o FILE writes any of them to FILE instead of stdout):
  text        a summary per incident: victim, status, when and by how many
              sources it was reported, actors, tooling, impacts, evidence,
              sources (default when stdout is a terminal)
  jsonl       one merged incident per line (default otherwise)
  json        one indented merged incident after another
  csv, tsv    one row per incident under a header row:
` + wrapList(table.MergedColumns, "              ", 78) + `
  stix        one STIX 2.1 bundle: an incident per merged incident, and a
              report per source article that refers to it
  units       the units to merge, one per line, unmerged, with block_key

` + exitCodesHelp(mergeExits...),
		Example: `  incidex extract --format jsonl saved/ > incidents.jsonl
  incidex merge incidents.jsonl
  incidex merge --format csv -o merged.csv monday.jsonl tuesday.jsonl.gz
  incidex merge --window 30d --format stix -o bundle.json records/
  incidex extract -j 16 --urls-from today.txt | incidex merge -`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}
	fl := cmd.Flags()
	fl.Var(cli.FormatFlag{Value: &opts.Format, Allowed: formats}, "format",
		"output `format`: "+cli.FormatList(formats)+" (default text on a terminal, jsonl otherwise and with -o)")
	fl.StringVarP(&opts.Output, "output", "o", "", "write to `FILE` instead of stdout (created or truncated)")
	fl.Var(&opts.Window, "window", "longest gap between two reports of one incident, e.g. 60d, 8w, 720h")
	fl.StringArrayVar(&opts.Rules, "rules", nil, "add a rule pack for the name lexicon: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	fl.BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack")
	fl.StringVar(&opts.TmpDir, "tmpdir", "", "folder for the temporary files (`DIR`; default: the system's)")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "no summary line on stderr (problems are still reported)")
	return cmd
}

func runMerge(ctx context.Context, opts *MergeOptions, args []string) (err error) {
	if opts.NoDefaultRules && len(opts.Rules) == 0 {
		return usageErrorf("--no-default-rules needs at least one --rules pack")
	}
	if len(args) == 0 {
		args = []string{"-"}
	}
	if _, err := stdinArgs(args); err != nil {
		return err
	}
	set, err := loadRules(opts.Rules, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	m := merge.New(set, merge.Options{Window: time.Duration(opts.Window)})

	format := opts.Format
	if format == cli.FormatAuto {
		format = cli.FormatJSONL
		if opts.IO.IsStdoutTTY() && opts.Output == "" {
			format = cli.FormatText
		}
	}
	out := opts.IO.Out
	if opts.Output != "" {
		f, err := createOutput(opts.Output)
		if err != nil {
			return err
		}
		defer closeOutput(f, &err)
		out = f
	}
	w, err := newMergedWriter(out, format, opts)
	if err != nil {
		return err
	}

	inputs, walkErrs := merge.Inputs(args, opts.IO.In)
	failed := len(walkErrs)
	for _, e := range walkErrs {
		fmt.Fprintf(opts.IO.ErrOut, "incidex: %v\n", e)
	}
	var total merge.Stats
	// read hands one input to fn and reports its problems on stderr; it
	// returns an error only when the merge must stop (an interruption, an
	// unwritable output).
	read := func(in merge.Input, fn func(io.Reader) (merge.Stats, error)) error {
		name := cli.DisplayName(in.Name)
		rc, err := in.Open()
		if err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: %v\n", name, unwrapPath(err))
			failed++
			return nil
		}
		st, err := fn(rc)
		rc.Close()
		total.Lines += st.Lines
		total.ErrorRecords += st.ErrorRecords
		total.Records += st.Records
		total.UnitLines += st.UnitLines
		switch {
		case ctx.Err() != nil:
			return errInterrupted
		case errors.Is(err, errWrite):
			return err
		case err != nil:
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: %v\n", name, unwrapPath(err))
			failed++
		case st.NotRecords > 0 && st.Records+st.UnitLines+st.ErrorRecords == 0:
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: not incidex JSONL records (%s)\n", name, st.FirstProblem)
			failed++
		case st.NotRecords > 0:
			verb := "are"
			if st.NotRecords == 1 {
				verb = "is"
			}
			fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: skipped %s that %s not incidex records (first: %s)\n",
				name, plural(st.NotRecords, "line"), verb, st.FirstProblem)
		}
		return nil
	}

	if format == formatUnits {
		for _, in := range inputs {
			err := read(in, func(r io.Reader) (merge.Stats, error) {
				return m.Split(ctx, r, func(u *merge.Unit) error { return w.unit(u) })
			})
			if err != nil {
				return err
			}
		}
	} else {
		spill, err := m.NewSpill(opts.TmpDir)
		if err != nil {
			return fmt.Errorf("--tmpdir: %w", err)
		}
		defer spill.Close()
		for _, in := range inputs {
			if err := read(in, func(r io.Reader) (merge.Stats, error) { return spill.Read(ctx, r) }); err != nil {
				return err
			}
		}
		if failed == 0 || failed < len(inputs)+len(walkErrs) {
			var st merge.Stats
			if format == cli.FormatJSONL {
				// The merged incidents' lines are written as the merge
				// encodes them, which is how EncodeJSON would.
				st, err = spill.EmitJSON(ctx, func(line []byte) error { return w.write(append(line[:len(line):len(line)], '\n')) })
			} else {
				st, err = spill.Emit(ctx, w.merged)
			}
			if ctx.Err() != nil {
				return errors.Join(errInterrupted, w.finish())
			}
			if err != nil {
				return err
			}
			total.Units, total.Duplicates, total.Incidents = st.Units, st.Duplicates, st.Incidents
		}
	}
	if err := w.finish(); err != nil {
		return err
	}
	if total.ErrorRecords > 0 {
		fmt.Fprintf(opts.IO.ErrOut, "incidex: skipped %s of inputs that extract could not read\n", plural(total.ErrorRecords, "error record"))
	}
	if opts.IO.IsStderrTTY() && !opts.Quiet && format != formatUnits {
		fmt.Fprintf(opts.IO.ErrOut, "incidex: merged %s (%s, %d copies) into %s\n",
			plural(total.Records+total.UnitLines, "record"), plural(total.Units, "unit"), total.Duplicates, plural(total.Incidents, "incident"))
	}
	switch {
	case failed == 0:
		return nil
	case failed >= len(inputs)+len(walkErrs):
		return &silentExitError{code: exitError}
	default:
		return &silentExitError{code: exitPartial}
	}
}

// wrapList joins items with ", " in lines of at most width characters,
// each starting with indent.
func wrapList(items []string, indent string, width int) string {
	var lines []string
	line := indent
	for i, it := range items {
		if i < len(items)-1 {
			it += ","
		}
		if line != indent && len(line)+1+len(it) > width {
			lines = append(lines, line)
			line = indent
		}
		if line != indent {
			line += " "
		}
		line += it
	}
	return strings.Join(append(lines, line), "\n")
}

// plural writes "1 line", "2 lines".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// unwrapPath drops the "open NAME:" an *os.PathError adds, since the
// message names the input already.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*os.PathError](err); ok {
		return pe.Err
	}
	return err
}

// errWrite marks a failure to write the output, which stops the merge.
var errWrite = errors.New("write output")

// mergedWriter writes merged incidents (or units) in one format.
type mergedWriter struct {
	w      *cli.Writer
	format cli.Format
	bundle *stix.Bundle
	indent string // of the STIX bundle
}

func newMergedWriter(out io.Writer, format cli.Format, opts *MergeOptions) (*mergedWriter, error) {
	mw := &mergedWriter{w: cli.NewWriter(out, format), format: format}
	switch format {
	case cli.FormatCSV, cli.FormatTSV:
		if err := mw.rows(table.MergedColumns); err != nil {
			return nil, err
		}
	case cli.FormatSTIX:
		mw.bundle = stix.NewBundle(stix.Options{Fallback: stixTime(opts.now)})
		if opts.IO.IsStdoutTTY() && opts.Output == "" {
			mw.indent = "  "
		}
	}
	return mw, nil
}

// merged writes one merged incident.
func (mw *mergedWriter) merged(m record.Merged) error {
	var b []byte
	var err error
	switch mw.format {
	case cli.FormatJSONL:
		b, err = cli.EncodeJSON(m, "")
	case cli.FormatJSON:
		b, err = cli.EncodeJSON(m, "  ")
	case cli.FormatCSV, cli.FormatTSV:
		return mw.rows(table.MergedRow(&m))
	case cli.FormatText:
		b = summary.Merged(&m)
	case cli.FormatSTIX:
		mw.bundle.AddMerged(&m)
		return nil
	}
	if err != nil {
		return fmt.Errorf("encode merged incident %s: %w", m.ID, err)
	}
	return mw.write(b)
}

// unit writes one unit (--format units).
func (mw *mergedWriter) unit(u *merge.Unit) error {
	b, err := cli.EncodeJSON(u, "")
	if err != nil {
		return fmt.Errorf("encode unit: %w", err)
	}
	return mw.write(b)
}

// rows writes a table row as CSV (RFC 4180 quoting) or TSV.
func (mw *mergedWriter) rows(row []string) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if mw.format == cli.FormatTSV {
		cw.Comma = '\t'
	}
	if err := cw.Write(row); err != nil {
		return err
	}
	cw.Flush()
	return mw.write(buf.Bytes())
}

func (mw *mergedWriter) write(b []byte) error {
	if err := mw.w.Write(b); err != nil {
		return fmt.Errorf("%w: %w", errWrite, err)
	}
	return nil
}

// finish writes what is written at the end: the STIX bundle.
func (mw *mergedWriter) finish() error {
	if mw.bundle == nil {
		return nil
	}
	b, err := mw.bundle.Encode(mw.indent)
	if err != nil {
		return err
	}
	mw.bundle = nil
	return mw.write(b)
}

// windowFlag is --window: a duration, in Go's form (720h) or in days and
// weeks (60d, 8w, 1.5d).
type windowFlag time.Duration

func (w *windowFlag) Type() string { return "duration" }

func (w *windowFlag) String() string {
	d := time.Duration(*w)
	if d > 0 && d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
	}
	return d.String()
}

func (w *windowFlag) Set(s string) error {
	d, ok := parseDays(s)
	switch {
	case !ok:
		return fmt.Errorf("%q is not a duration (examples: 60d, 8w, 720h)", s)
	case d <= 0:
		return fmt.Errorf("%q: the window must be positive", s)
	}
	*w = windowFlag(d)
	return nil
}

// parseDays reads a duration of Go's syntax ("720h") or a number of days
// ("60d", "1.5d") or weeks ("8w"); ok is false for anything else, NaN, or
// a duration too long to hold.
func parseDays(s string) (d time.Duration, ok bool) {
	s = strings.TrimSpace(s)
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if n := len(s); n > 1 && unit[s[n-1]] != 0 {
		f, err := strconv.ParseFloat(s[:n-1], 64)
		if err != nil || math.IsNaN(f) || math.Abs(f*float64(unit[s[n-1]])) >= math.MaxInt64 {
			return 0, false
		}
		return time.Duration(f * float64(unit[s[n-1]])), true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}
