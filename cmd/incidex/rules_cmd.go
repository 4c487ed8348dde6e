package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/internal/sizecap"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/ruletest"
	"github.com/spf13/cobra"
)

// NewCmdRules returns the "rules" command group: list, validate and test,
// plus the extra subcommands given (such as "import", built elsewhere).
func NewCmdRules(f *Factory, extra ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules <command>",
		Short: "List, validate and test rule packs",
		Long: `Tools for the YAML rule packs that incidex extract uses (see rules/README.md):
list the rules in force, validate rule files strictly, and run the examples
that rule files carry in their tests section.

` + exitCodesHelp(groupExits...),
		// As on the root: an unknown subcommand becomes a usage error.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(NewCmdRulesList(f, nil))
	cmd.AddCommand(NewCmdRulesValidate(f, nil))
	cmd.AddCommand(NewCmdRulesTest(f, nil))
	cmd.AddCommand(NewCmdRulesFit(f, nil))
	cmd.AddCommand(extra...)
	return cmd
}

// RulesListOptions holds the flags and streams of "incidex rules list".
type RulesListOptions struct {
	IO *cli.IOStreams

	Rules          []string
	NoDefaultRules bool
	Format         cli.Format
}

// NewCmdRulesList returns the "rules list" command. runF replaces
// runRulesList in tests that only check flag parsing; nil means
// runRulesList.
func NewCmdRulesList(f *Factory, runF func(context.Context, *RulesListOptions) error) *cobra.Command {
	opts := &RulesListOptions{IO: f.IOStreams, Format: cli.FormatText}
	if runF == nil {
		runF = runRulesList
	}
	cmd := &cobra.Command{
		Use:   "list [flags]",
		Short: "List the rules in force",
		Long: `List the entries of the rules in force, section by section in the order
extract uses them: the default pack, then each --rules pack, an entry that
repeats an id replacing the earlier one where it stood.

Text output has one line per entry, columns separated by tabs (aligned on a
terminal): the id, the section and kind (actor/group, tooling/ransomware,
responder/agency, outlet/media, sector/retail, country/GB, pattern/victim),
where it is written (file:line) and its name (the pattern, for patterns).

Output formats:
  text   one line per entry (default)
  json   one array of {"id", "section", "kind", "file", "line", "name"}
         objects ("pattern" instead of "name" for patterns)
  jsonl  the same objects, one per line

` + exitCodesHelp(rulesListExits...),
		Example: `  incidex rules list
  incidex rules list --rules my-rules/ | grep my-rules
  incidex rules list --format jsonl | jq -r 'select(.section == "patterns") | .id'`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unexpected argument %q: give rule packs with --rules", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Rules, "rules", nil, "add a rule pack: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	fl.BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack")
	fl.Var(&opts.Format, "format", "output `format`: text, json or jsonl")
	return cmd
}

// ruleEntry is one line of "rules list".
type ruleEntry struct {
	ID      string `json:"id"`
	Section string `json:"section"`
	Kind    string `json:"kind"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Name    string `json:"name,omitempty"`
	Pattern string `json:"pattern,omitempty"`
}

// label is the kind column of the text format: the section in the
// singular, then the kind ("actor/group").
func (e ruleEntry) label() string {
	sec := strings.TrimSuffix(e.Section, "s")
	switch e.Section {
	case "tooling":
		sec = "tooling"
	case "countries":
		sec = "country"
	}
	if e.Kind == "" {
		return sec
	}
	return sec + "/" + e.Kind
}

func runRulesList(_ context.Context, opts *RulesListOptions) error {
	if opts.NoDefaultRules && len(opts.Rules) == 0 {
		return usageErrorf("--no-default-rules needs at least one --rules pack")
	}
	set, err := loadRules(opts.Rules, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	return writeRuleEntries(opts.IO, opts.Format, ruleEntries(set))
}

// ruleEntries lists a set's entries, section by section, in set order.
func ruleEntries(set *rules.Set) []ruleEntry {
	var out []ruleEntry
	ents := func(sec string, list []rules.Entity) {
		for _, e := range list {
			out = append(out, ruleEntry{ID: e.ID, Section: sec, Kind: e.Kind, File: e.Source, Line: e.Line, Name: e.Name})
		}
	}
	ents("actors", set.Actors)
	ents("tooling", set.Tooling)
	ents("responders", set.Responders)
	ents("outlets", set.Outlets)
	for _, e := range set.Sectors {
		out = append(out, ruleEntry{ID: e.ID, Section: "sectors", Kind: e.Sector, File: e.Source, Line: e.Line})
	}
	for _, e := range set.Countries {
		var name string
		if len(e.Names) > 0 {
			name = e.Names[0]
		}
		out = append(out, ruleEntry{ID: e.ID, Section: "countries", Kind: e.Code, File: e.Source, Line: e.Line, Name: name})
	}
	for _, e := range set.Patterns {
		out = append(out, ruleEntry{ID: e.ID, Section: "patterns", Kind: string(e.Role), File: e.Source, Line: e.Line, Pattern: e.Pattern})
	}
	for _, e := range set.Scoring {
		out = append(out, ruleEntry{ID: e.ID, Section: "scoring", Kind: e.ID, File: e.Source, Line: e.Line,
			Name: count(len(e.Weights), "weight")})
	}
	for _, e := range set.Lexicon {
		n := len(e.Words) + len(e.Values)
		out = append(out, ruleEntry{ID: e.ID, Section: "lexicon", Kind: rules.LexiconKind(e.ID), File: e.Source, Line: e.Line,
			Name: count(n, "entry")})
	}
	return out
}

func writeRuleEntries(ios *cli.IOStreams, format cli.Format, entries []ruleEntry) error {
	switch format {
	case cli.FormatJSON, cli.FormatJSONL:
		if format == cli.FormatJSON {
			if entries == nil {
				entries = []ruleEntry{}
			}
			b, err := cli.EncodeJSON(entries, "  ")
			if err != nil {
				return err
			}
			_, err = ios.Out.Write(b)
			return err
		}
		for _, e := range entries {
			b, err := cli.EncodeJSON(e, "")
			if err != nil {
				return err
			}
			if _, err := ios.Out.Write(b); err != nil {
				return err
			}
		}
		return nil
	}
	var w io.Writer = ios.Out
	var tw *tabwriter.Writer
	if ios.IsStdoutTTY() {
		tw = tabwriter.NewWriter(ios.Out, 0, 8, 2, ' ', 0)
		w = tw
	}
	for _, e := range entries {
		name := e.Name
		if e.Section == "patterns" {
			name = e.Pattern
		}
		if _, err := fmt.Fprintf(w, "%s\t%s\t%s:%d\t%s\n", e.ID, e.label(), e.File, e.Line, name); err != nil {
			return err
		}
	}
	if tw != nil {
		return tw.Flush()
	}
	return nil
}

// RulesValidateOptions holds the flags and streams of "incidex rules
// validate".
type RulesValidateOptions struct {
	IO *cli.IOStreams

	Paths        []string
	WithDefaults bool
}

// NewCmdRulesValidate returns the "rules validate" command. runF replaces
// runRulesValidate in tests that only check flag parsing; nil means
// runRulesValidate.
func NewCmdRulesValidate(f *Factory, runF func(context.Context, *RulesValidateOptions) error) *cobra.Command {
	opts := &RulesValidateOptions{IO: f.IOStreams}
	if runF == nil {
		runF = runRulesValidate
	}
	cmd := &cobra.Command{
		Use:   "validate [flags] [file|dir]...",
		Short: "Check rule files strictly",
		Long: `Check rule files (a file, or a folder whose .yaml and .yml files are read) and
print every problem on its own line as file:line:col: message, then exit 1;
or print "N files, M rules[, T tests]: ok" and exit 0. Without a file, check the
built-in rule pack.

Beyond what loading refuses (unknown keys, bad values, patterns or regular
expressions that do not parse, malformed tests), validate reports:
  - an id used in the same section of two of the files;
  - a name or alias that two entries of a section claim when neither
    entry has cues (and a name repeated within one entry);
  - patterns that can never match: a word no token can be ("attack,",
    "inc.", "company's"), ^ after a word that does not end a clause;
  - patterns that match without reading a token (every item optional),
    or whose role slot ({victim} of a victim rule) is only optional.

With --with-defaults the names of the default pack count too, as they
would in "incidex extract --rules": an entry of the files replaces the
default entry with its id; problems within the default pack are not
reported.

Limits, as for loading: a rule file of more than ` + sizecap.Format(rules.MaxFileBytes) + `, the files
read together past ` + sizecap.Format(rules.MaxTotalBytes) + `, and a file whose YAML aliases (*name)
repeat more than ` + strconv.Itoa(rules.MaxAliasNodes) + ` nodes in all are problems.

` + exitCodesHelp(rulesValidateExits...),
		Example: `  incidex rules validate my-rules.yaml
  incidex rules validate --with-defaults my-rules/
  incidex rules validate                       # the built-in pack`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.WithDefaults, "with-defaults", false, "check names against the built-in rule pack too")
	return cmd
}

func runRulesValidate(_ context.Context, opts *RulesValidateOptions) error {
	var r *rules.Report
	switch {
	case len(opts.Paths) == 0 && opts.WithDefaults:
		return usageErrorf("--with-defaults checks rule files against the built-in pack: give a file or a folder")
	case len(opts.Paths) == 0:
		r = rules.ValidateDefault()
	default:
		var base []*rules.Pack
		if opts.WithDefaults {
			def, err := rules.DefaultPacks()
			if err != nil {
				return fmt.Errorf("built-in rules: %w", err)
			}
			base = def
		}
		r = rules.Validate(opts.Paths, base)
	}
	for _, p := range r.Problems {
		if _, err := fmt.Fprintln(opts.IO.Out, p); err != nil {
			return err
		}
	}
	summary := fmt.Sprintf("%s, %s", count(r.Files, "file"), count(r.Rules, "rule"))
	if r.Tests > 0 {
		summary += ", " + count(r.Tests, "test")
	}
	if len(r.Problems) > 0 {
		fmt.Fprintf(opts.IO.Out, "%s: %s\n", summary, count(len(r.Problems), "problem"))
		return &silentExitError{code: exitError}
	}
	_, err := fmt.Fprintf(opts.IO.Out, "%s: ok\n", summary)
	return err
}

// count writes n and noun, with an s unless n is 1.
func count(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return strconv.Itoa(n) + " " + strings.TrimSuffix(noun, "y") + "ies"
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// RulesTestOptions holds the flags and streams of "incidex rules test".
type RulesTestOptions struct {
	IO *cli.IOStreams

	Paths          []string
	NoDefaultRules bool
	Verbose        bool
}

// NewCmdRulesTest returns the "rules test" command. runF replaces
// runRulesTest in tests that only check flag parsing; nil means
// runRulesTest.
func NewCmdRulesTest(f *Factory, runF func(context.Context, *RulesTestOptions) error) *cobra.Command {
	opts := &RulesTestOptions{IO: f.IOStreams}
	if runF == nil {
		runF = runRulesTest
	}
	cmd := &cobra.Command{
		Use:   "test [flags] [file|dir]...",
		Short: "Run the examples in rule files",
		Long: `Load the default pack and the given rule files, as "incidex extract --rules"
would, and run the examples of their tests sections: each test's sentence
(and headline, if it has one) goes through the extractor, and what it finds
is compared with the test's expect (every name must be found in its role,
through aliases; none: true wants no incident) and not (names that must
not be found). --no-default-rules loads the given files alone, and runs
their tests only.

Each failure is printed as file:line: test N: want victims [X], got [Y]
(rules: the rules whose evidence found Y), then "N tests, F failed";
the exit status is 1 when a test fails.

` + exitCodesHelp(rulesTestExits...),
		Example: `  incidex rules test
  incidex rules test my-rules/
  incidex rules test --no-default-rules my-rules.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runF(cmd.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack or run its tests")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "also print a line for each test that passes")
	return cmd
}

func runRulesTest(ctx context.Context, opts *RulesTestOptions) error {
	if opts.NoDefaultRules && len(opts.Paths) == 0 {
		return usageErrorf("--no-default-rules needs at least one rule file")
	}
	packs, err := loadPacks(opts.Paths, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	set := rules.NewSet(packs...)
	res, err := ruletest.Run(ctx, extract.New(set), ruletest.NewNames(set), packs, func(t *rules.Test, fails rules.ErrorList) error {
		if len(fails) == 0 {
			if opts.Verbose {
				_, err := fmt.Fprintf(opts.IO.Out, "%s:%d: test %d: ok\n", t.Source, t.Line, t.N)
				return err
			}
			return nil
		}
		for _, e := range fails {
			if _, err := fmt.Fprintln(opts.IO.Out, e); err != nil {
				return err
			}
		}
		return nil
	})
	if ctx.Err() != nil {
		return errInterrupted
	}
	if err != nil {
		return err
	}
	if res.Tests == 0 {
		fmt.Fprintln(opts.IO.ErrOut, "incidex: the rule files have no tests")
	}
	fmt.Fprintf(opts.IO.Out, "%s, %d failed\n", count(res.Tests, "test"), res.Failed)
	if res.Failed > 0 {
		return &silentExitError{code: exitError}
	}
	return nil
}
