package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/incidex/incidex/export/stix"
	"github.com/incidex/incidex/export/summary"
	"github.com/incidex/incidex/export/table"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/store"
	"github.com/spf13/cobra"
)

// IncidentsOptions holds the flags and streams of "incidex incidents".
type IncidentsOptions struct {
	IO *cli.IOStreams

	DB     string
	Format cli.Format
	Limit  int

	Since, Until            string // a date, an RFC 3339 time or a duration back from now
	Victim, Actor, Tool     string
	Sector, Country, Status string

	now     func() time.Time
	formats []cli.Format
}

// defaultIncidentsLimit is how many incidents are listed without --limit.
const defaultIncidentsLimit = 100

// incidentsExits are the statuses of "incidents" and "incidents show".
var incidentsExits = []exitLine{
	{exitOK, "the incidents were listed (also when none matched)"},
	{exitError, "error: no such database, not an incidex database, no such incident"},
	usageExit,
	{exitInterrupted, "interrupted (Ctrl-C or SIGTERM)"},
}

// NewCmdIncidents returns the "incidents" command and its "show"
// subcommand. runF replaces runIncidents in tests that only check flag
// parsing; nil means runIncidents.
func NewCmdIncidents(f *Factory, runF func(context.Context, *IncidentsOptions) error) *cobra.Command {
	now := f.Now
	if now == nil {
		now = time.Now
	}
	opts := &IncidentsOptions{IO: f.IOStreams, Limit: defaultIncidentsLimit, now: now,
		formats: []cli.Format{cli.FormatText, cli.FormatJSONL, cli.FormatJSON, cli.FormatCSV, cli.FormatTSV, cli.FormatSTIX}}
	if runF == nil {
		runF = runIncidents
	}
	cmd := &cobra.Command{
		Use:   "incidents --db FILE [flags]",
		Short: "List the merged incidents of a database that extract --db filled",
		Long: `List the incidents stored by "incidex extract --db FILE", merged across
articles as "incidex merge" merges them (contract incidex-merged/v1), newest
first: by last report, then id. The database keeps them merged as articles
arrive, so listing is one indexed query however large it is. The newest
--limit (default 100; 0: all) are listed, and a note on stderr says how many
match when there are more.

Filters combine (all must hold):
  --since, --until   a date (2025-01-31), an RFC 3339 time, or a duration
                     back from now (72h, 30d, 2w): incidents last reported on
                     or after --since and first reported on or before --until
                     (a date includes its whole day, in UTC); incidents that
                     no source dates are left out by either
  --victim, --actor, --tool
                     part of a name or alias, in any case: "health" finds
                     Change Healthcare
  --sector, --country
                     a victim's sector (healthcare) or country (ISO code, GB),
                     whole, in any case
  --status           confirmed or attempted

Output formats, as "incidex merge" writes them:
  text        a short summary per incident: victims, status, when and by how
              many sources it was reported, actors, tooling, impacts, the
              strongest evidence and the sources (default on a terminal)
  jsonl       one incidex-merged/v1 record per line (default otherwise)
  json        one indented record per incident
  csv, tsv    one row per incident under a header row (the columns of
              incidex merge --format csv)
  stix        one STIX 2.1 bundle of all of them

While a batch stores articles, the incidents of its last few are merged a
moment later (the README explains why); a note on stderr says so.

` + exitCodesHelp(incidentsExits...),
		Example: `  incidex incidents --db incidents.db
  incidex incidents --db incidents.db --since 30d --sector healthcare
  incidex incidents --db incidents.db --actor lockbit --format csv --limit 0 > lockbit.csv
  incidex incidents --db incidents.db show 3f2a9c1e7b4d`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmd.PersistentFlags().StringVar(&opts.DB, "db", "", "the incidex database `FILE` (required)")
	fl.Var(cli.FormatFlag{Value: &opts.Format, Allowed: opts.formats}, "format",
		"output `format`: "+cli.FormatList(opts.formats)+" (default text on a terminal, jsonl otherwise)")
	fl.IntVar(&opts.Limit, "limit", opts.Limit, "list at most `N` incidents, the newest (0: all)")
	fl.StringVar(&opts.Since, "since", "", "incidents last reported since `DATE|DURATION` (2025-01-31, 30d, 72h)")
	fl.StringVar(&opts.Until, "until", "", "incidents first reported until `DATE|DURATION` (inclusive)")
	fl.StringVar(&opts.Victim, "victim", "", "a victim's name or alias contains `NAME`")
	fl.StringVar(&opts.Actor, "actor", "", "an actor's name or alias contains `NAME`")
	fl.StringVar(&opts.Tool, "tool", "", "a tool's name contains `NAME` (ransomware, malware, CVE...)")
	fl.StringVar(&opts.Sector, "sector", "", "a victim's sector is `S`")
	fl.StringVar(&opts.Country, "country", "", "a victim's country is `C` (ISO code)")
	fl.StringVar(&opts.Status, "status", "", "`S`: confirmed or attempted")
	cmd.AddCommand(newCmdIncidentsShow(f, opts))
	return cmd
}

// filter turns the flags into the store's filter.
func (o *IncidentsOptions) filter() (store.Filter, error) {
	f := store.Filter{
		Victim: o.Victim, Actor: o.Actor, Tool: o.Tool,
		Sector: o.Sector, Country: o.Country, Limit: o.Limit,
	}
	switch s := strings.ToLower(strings.TrimSpace(o.Status)); s {
	case "", "confirmed", "attempted":
		f.Status = s
	default:
		return f, usageErrorf("--status must be confirmed or attempted, got %q", o.Status)
	}
	if o.Limit < 0 {
		return f, usageErrorf("--limit must be 0 or more, got %d", o.Limit)
	}
	now := o.now()
	var err error
	if o.Since != "" {
		if f.Since, err = parseWhen(o.Since, now, false); err != nil {
			return f, usageErrorf("--since: %v", err)
		}
	}
	if o.Until != "" {
		if f.Until, err = parseWhen(o.Until, now, true); err != nil {
			return f, usageErrorf("--until: %v", err)
		}
	}
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		return f, usageErrorf("--since %s is not before --until %s", o.Since, o.Until)
	}
	return f, nil
}

// parseWhen reads a --since or --until value: a date, an RFC 3339 time,
// or a duration back from now ("72h", "30d", "2w"). For --until (end) a
// date means the end of that day in UTC and a time its whole second: the
// bound is exclusive.
func parseWhen(s string, now time.Time, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			t = t.AddDate(0, 0, 1)
		}
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if end {
			t = t.Truncate(time.Second).Add(time.Second)
		}
		return t, nil
	}
	if d, ok := parseAgo(s); ok {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date (2025-01-31), a time (2025-01-31T08:00:00Z) or a duration (72h, 30d, 2w)", s)
}

// parseAgo reads a duration (parseDays) that is not negative.
func parseAgo(s string) (time.Duration, bool) {
	d, ok := parseDays(s)
	return d, ok && d >= 0
}

// openForReading opens --db for queries and notes on stderr the blocks
// whose incidents are still to be merged.
func openForReading(ctx context.Context, ios *cli.IOStreams, path string) (*store.DB, error) {
	if path == "" {
		return nil, usageErrorf("--db is required: the database incidex extract --db filled")
	}
	db, err := store.Open(ctx, path, store.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	if n, err := db.Pending(ctx); err == nil && n > 0 {
		fmt.Fprintf(ios.ErrOut, "incidex: note: the latest articles of %d block(s) of victims are not merged yet (a batch is storing them, or stopped before it could; the next incidex extract --db merges them)\n", n)
	}
	return db, nil
}

// closeDB closes db and, when the command has no error yet, makes a failed
// close its error.
func closeDB(db *store.DB, err *error) {
	if cerr := db.Close(); cerr != nil && *err == nil {
		*err = cerr
	}
}

func runIncidents(ctx context.Context, opts *IncidentsOptions) (err error) {
	filter, err := opts.filter()
	if err != nil {
		return err
	}
	db, err := openForReading(ctx, opts.IO, opts.DB)
	if err != nil {
		return err
	}
	defer closeDB(db, &err)
	format := resolveFormat(opts.Format, cli.FormatJSONL, opts.IO.IsStdoutTTY())
	out := bufio.NewWriterSize(opts.IO.Out, 64<<10)
	l, err := newIncidentLister(out, format, opts.now, opts.IO.IsStdoutTTY())
	if err != nil {
		return err
	}
	listed := 0
	err = db.Incidents(ctx, filter, func(data []byte) error {
		listed++
		return l.add(data)
	})
	if err == nil {
		err = l.close()
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return err
	}
	if listed == 0 && format == cli.FormatText {
		fmt.Fprintln(opts.IO.ErrOut, "incidex: no incident matches")
	}
	if filter.Limit > 0 && listed == filter.Limit {
		// There may be more: say how many, on stderr.
		filter.Limit = 0
		if n, err := db.CountIncidents(ctx, filter); err == nil && n > listed {
			fmt.Fprintf(opts.IO.ErrOut, "incidex: the newest %d of %d incidents; --limit 0 lists all\n", listed, n)
		}
	}
	return nil
}

// resolveFormat is format, or when it is auto, text on a terminal and
// otherwise the command's default.
func resolveFormat(format, otherwise cli.Format, tty bool) cli.Format {
	switch {
	case format != cli.FormatAuto:
		return format
	case tty:
		return cli.FormatText
	}
	return otherwise
}

// incidentLister writes merged incidents in one format as they come, as
// "incidex merge" writes them (the export packages' rows, text and STIX);
// jsonl is the stored JSON itself.
type incidentLister struct {
	format cli.Format
	w      *cli.Writer
	bundle *stix.Bundle // stix
	indent string       // of the bundle
}

// newIncidentLister returns the lister of format to out, having written
// the header row of a table.
func newIncidentLister(out io.Writer, format cli.Format, now func() time.Time, tty bool) (*incidentLister, error) {
	l := &incidentLister{format: format, w: cli.NewWriter(out, format)}
	switch format {
	case cli.FormatSTIX:
		l.bundle = stix.NewBundle(stix.Options{Fallback: stixTime(now)})
		if tty {
			l.indent = "  "
		}
	case cli.FormatCSV, cli.FormatTSV:
		if err := l.rows(table.MergedColumns); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// add writes one merged incident, given as its stored JSON.
func (l *incidentLister) add(data []byte) error {
	switch l.format {
	case cli.FormatJSONL:
		return l.write(append(data, '\n'))
	case cli.FormatJSON:
		b, err := indentJSON(data)
		if err != nil {
			return fmt.Errorf("decode a stored incident: %w", err)
		}
		return l.write(b)
	}
	var m record.Merged
	if err := json.Unmarshal(data, &m); err != nil {
		return fmt.Errorf("decode a stored incident: %w", err)
	}
	switch l.format {
	case cli.FormatText:
		return l.write(summary.Merged(&m))
	case cli.FormatSTIX:
		l.bundle.AddMerged(&m)
		return nil
	}
	return l.rows(table.MergedRow(&m))
}

// close writes what comes at the end: the STIX bundle.
func (l *incidentLister) close() error {
	if l.bundle == nil {
		return nil
	}
	b, err := l.bundle.Encode(l.indent)
	if err != nil {
		return fmt.Errorf("encode the STIX bundle: %w", err)
	}
	return l.write(b)
}

// rows writes table rows as CSV (RFC 4180 quoting) or TSV.
func (l *incidentLister) rows(rows ...[]string) error {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	if l.format == cli.FormatTSV {
		cw.Comma = '\t'
	}
	if err := cw.WriteAll(rows); err != nil {
		return err
	}
	return l.write(buf.Bytes())
}

func (l *incidentLister) write(b []byte) error {
	if err := l.w.Write(b); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// indentJSON is stored JSON indented, on lines of its own.
func indentJSON(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// IncidentsShowOptions holds the flags of "incidex incidents show".
type IncidentsShowOptions struct {
	*IncidentsOptions // --db, the streams and the clock
	Format            cli.Format
	ID                string
}

func newCmdIncidentsShow(f *Factory, parent *IncidentsOptions) *cobra.Command {
	opts := &IncidentsShowOptions{IncidentsOptions: parent}
	formats := []cli.Format{cli.FormatText, cli.FormatJSON, cli.FormatJSONL}
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show one merged incident with all its sources and evidence",
		Long: `Show one merged incident of the database: every victim, actor, tool,
impact, responder and indicator with the evidence sentences of each source,
and the sources themselves. ID is the incident's id as "incidex incidents"
lists it, or its start when no other id starts the same way (at least 4
characters). An id changes when a new report joins the incident.

Output formats: json, one indented incidex-merged/v1 record (default unless
stdout is a terminal); jsonl, the same on one line; text (default on a
terminal).

` + exitCodesHelp(incidentsExits...),
		Example: `  incidex incidents --db incidents.db show 3f2a9c1e7b4d
  incidex incidents show 3f2a --db incidents.db --format text`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("show takes one incident id, got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			return runIncidentsShow(cmd.Context(), opts)
		},
	}
	cmd.Flags().Var(cli.FormatFlag{Value: &opts.Format, Allowed: formats}, "format",
		"output `format`: "+cli.FormatList(formats)+" (default text on a terminal, json otherwise)")
	return cmd
}

func runIncidentsShow(ctx context.Context, opts *IncidentsShowOptions) (err error) {
	db, err := openForReading(ctx, opts.IO, opts.DB)
	if err != nil {
		return err
	}
	defer closeDB(db, &err)
	data, err := db.Incident(ctx, opts.ID)
	if err != nil {
		return err
	}
	var out []byte
	switch resolveFormat(opts.Format, cli.FormatJSON, opts.IO.IsStdoutTTY()) {
	case cli.FormatJSONL:
		out = append(data, '\n')
	case cli.FormatJSON:
		if out, err = indentJSON(data); err != nil {
			return fmt.Errorf("decode the stored incident: %w", err)
		}
	default:
		var m record.Merged
		if err := json.Unmarshal(data, &m); err != nil {
			return fmt.Errorf("decode the stored incident: %w", err)
		}
		out = mergedText(&m)
	}
	if _, err := opts.IO.Out.Write(out); err != nil {
		return fmt.Errorf("write output: %w", err)
	}
	return nil
}

// mergedText is the text of "incidents show": the incident, each field
// with its evidence, then the sources the evidence cites by key.
func mergedText(m *record.Merged) []byte {
	var b strings.Builder
	sources := "1 source"
	if len(m.Sources) != 1 {
		sources = strconv.Itoa(len(m.Sources)) + " sources"
	}
	fmt.Fprintf(&b, "Incident %s: %s, %s\n", m.ID, m.Status, sources)
	if m.FirstReported != "" {
		fmt.Fprintf(&b, "Reported: %s to %s\n", m.FirstReported, m.LastReported)
	}
	if m.Campaign != "" {
		fmt.Fprintf(&b, "Campaign: %s\n", m.Campaign)
	}
	fmt.Fprintf(&b, "Confidence: %s\n", strconv.FormatFloat(m.Confidence, 'f', -1, 64))
	section := func(title string, n int) {
		if n > 0 {
			fmt.Fprintf(&b, "\n%s:\n", title)
		}
	}
	evidence := func(list []record.SourcedEvidence, count int) {
		for _, ev := range list {
			fmt.Fprintf(&b, "    [%s] %q (%s)\n", ev.Source, oneLine(ev.Text), ev.Rule)
		}
		if count > len(list) {
			fmt.Fprintf(&b, "    ... %d sentences in all\n", count)
		}
	}
	section("Victims", len(m.Victims))
	for _, v := range m.Victims {
		fmt.Fprintf(&b, "  %s%s\n", v.Name, notes(v.Sector, v.Country, aliasNote(v.Aliases)))
		evidence(v.Evidence, v.EvidenceCount)
	}
	section("Actors", len(m.Actors))
	for _, a := range m.Actors {
		fmt.Fprintf(&b, "  %s%s\n", a.Name, notes(a.Kind, a.Attribution+sourceNote(a.AttributionSource), aliasNote(a.Aliases)))
		evidence(a.Evidence, a.EvidenceCount)
	}
	section("Tooling", len(m.Tooling))
	for _, t := range m.Tooling {
		fmt.Fprintf(&b, "  %s%s\n", t.Name, notes(t.Kind, t.Attack))
		evidence(t.Evidence, t.EvidenceCount)
	}
	section("Impacts", len(m.Impacts))
	for _, im := range m.Impacts {
		qty := ""
		if im.Quantity != nil {
			qty = strconv.FormatFloat(im.Quantity.Value, 'f', -1, 64) + " " + im.Quantity.Unit + sourceNote(im.QuantitySource)
		}
		fmt.Fprintf(&b, "  %s: %s%s\n", im.Kind, oneLine(im.Summary), notes(qty))
		evidence(im.Evidence, im.EvidenceCount)
	}
	section("Responders", len(m.Responders))
	for _, r := range m.Responders {
		fmt.Fprintf(&b, "  %s\n", r.Name)
		evidence(r.Evidence, r.EvidenceCount)
	}
	section("Indicators", len(m.Indicators))
	for _, ind := range m.Indicators {
		def := ""
		if ind.Defanged != "" {
			def = "written " + ind.Defanged
		}
		fmt.Fprintf(&b, "  %s %s%s\n", ind.Type, ind.Value, notes(def))
		evidence(ind.Evidence, ind.EvidenceCount)
	}
	section("Sources", len(m.Sources))
	for _, s := range m.Sources {
		title := oneLine(s.Title)
		if title == "" {
			title = "(no title)"
		}
		fmt.Fprintf(&b, "  [%s] %s%s\n", s.Key, title, notes(s.Site, s.Published))
		where := s.URL
		if where == "" {
			where = s.CanonicalURL
		}
		if where == "" {
			where = s.Input
		}
		fmt.Fprintf(&b, "       %s (incident %s)\n", where, s.Incident)
	}
	return []byte(b.String())
}

// notes writes the non-empty parts as " (a, b)", or "" when all are empty.
func notes(parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	if len(keep) == 0 {
		return ""
	}
	return " (" + strings.Join(keep, ", ") + ")"
}

func aliasNote(aliases []string) string {
	if len(aliases) == 0 {
		return ""
	}
	return "also " + strings.Join(aliases, ", ")
}

func sourceNote(key string) string {
	if key == "" {
		return ""
	}
	return " by [" + key + "]"
}

// oneLine puts a text on one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
