package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/incidex/incidex/extract"
	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/internal/score"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/fit"
	"github.com/spf13/cobra"
)

// RulesFitOptions holds the flags and streams of "incidex rules fit".
type RulesFitOptions struct {
	IO *cli.IOStreams

	Gold           []string
	Pages          []string
	Out            string
	Rules          []string
	NoDefaultRules bool
	Jobs           int
}

// NewCmdRulesFit returns the "rules fit" command. runF replaces runRulesFit
// in tests that only check flag parsing; nil means runRulesFit.
func NewCmdRulesFit(f *Factory, runF func(context.Context, *RulesFitOptions) error) *cobra.Command {
	opts := &RulesFitOptions{IO: f.IOStreams, Jobs: runtime.NumCPU()}
	if runF == nil {
		runF = runRulesFit
	}
	cmd := &cobra.Command{
		Use:   "fit --gold GOLD.jsonl --pages DIR [--gold ... --pages ...] -o FILE",
		Short: "Fit the victim and actor scoring models on labelled pages",
		Long: `Fit the weights and thresholds of the victim and actor scoring models on
labelled pages and write them as a rule pack with a scoring section.

Every --gold file is read with the --pages folder given in the same place
(the first --gold with the first --pages, and so on); the gold format is
that of "incidex eval". On each page every victim candidate the extractor
finds (with the rules in force: the default pack and --rules packs) is an
example, positive when it matches one of the page's victims, and a
logistic regression learns a weight per feature; the threshold is the one
of best F1 on the training pages. The actor model is fitted the same way
on the actors the rules find. What the models see depends on the models
in force (a list shares the fate of the members kept), so the fit is
repeated with each fitted model in force until it gives back the model it
was fitted with (when fits go round a cycle instead, the cycle's first
model in byte order is taken). The same pages and rules give the same
file; so does a refit with the file in force.

The pack replaces the default models when loaded with --rules (incidex's
own built-in models are fitted by this command). A page that cannot
be read is reported on stderr and left out; the models are fitted on the
others and the exit status is 3.

` + exitCodesHelp(rulesFitExits...),
		Example: `  incidex rules fit --gold my-gold.jsonl --pages my-pages/ \
    --gold testdata/train/set1/gold.jsonl --pages testdata/train/set1/pages -o scoring.yaml
  incidex eval --gold my-gold.jsonl --pages my-pages/ --rules scoring.yaml`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unexpected argument %q: give labelled pages with --gold and --pages", args[0])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Gold, "gold", nil, "gold labels: a JSONL `file` (repeatable, one per --pages)")
	fl.StringArrayVar(&opts.Pages, "pages", nil, "`folder` of the pages of the --gold in the same place (repeatable)")
	fl.StringVarP(&opts.Out, "output", "o", "", "write the scoring pack to `FILE` (required)")
	fl.StringArrayVar(&opts.Rules, "rules", nil, "add a rule pack: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	fl.BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not load the built-in rule pack")
	fl.IntVarP(&opts.Jobs, "jobs", "j", opts.Jobs, "pages read at once")
	return cmd
}

func runRulesFit(ctx context.Context, opts *RulesFitOptions) error {
	switch {
	case len(opts.Gold) == 0:
		return usageErrorf("--gold is required: labelled pages to fit on")
	case len(opts.Gold) != len(opts.Pages):
		return usageErrorf("give one --pages folder for each --gold file (%d --gold, %d --pages)", len(opts.Gold), len(opts.Pages))
	case opts.Out == "":
		return usageErrorf("-o is required: the file to write the scoring pack to")
	case opts.Jobs < 1:
		return usageErrorf("-j must be at least 1, got %d", opts.Jobs)
	case opts.NoDefaultRules && len(opts.Rules) == 0:
		return usageErrorf("--no-default-rules needs at least one --rules pack")
	}
	packs, err := loadPacks(opts.Rules, opts.NoDefaultRules)
	if err != nil {
		return err
	}
	golds := make([][]score.Gold, len(opts.Gold))
	for i, goldFile := range opts.Gold {
		if golds[i], err = readGoldFile(goldFile, maxGoldBytes); err != nil {
			return err
		}
	}
	// What a model sees depends on the model in force (a list shares the
	// fate of the members it keeps), so the fit is repeated with each
	// fitted model in force until it gives the model it was fitted with;
	// when the fits go round a cycle instead, the cycle's first model in
	// byte order is taken, so that a refit with it in force gives it back.
	docs, failed, err := readFitArticles(ctx, opts, golds)
	if err != nil {
		return err
	}
	set := rules.NewSet(packs...)
	type round struct {
		models     string
		vrep, arep fit.Report
	}
	var seen []round
	var chosen round
	for n := 0; ; n++ {
		x := extract.New(set)
		x.Preload()
		pages := make([]fit.Page, len(docs))
		for i, d := range docs {
			victims, actors := x.ArticleCandidates(d.article)
			pages[i] = fit.Page{Candidates: victims, Actors: actors, Gold: d.gold}
		}
		victims, vr := fit.Victims(pages, fit.Options{})
		actors, ar := fit.Actors(pages, fit.Options{})
		this := round{victims.Format() + actors.Format(), vr, ar}
		if i := slices.IndexFunc(seen, func(r round) bool { return r.models == this.models }); i >= 0 {
			// a fixed point (a cycle of one) or a cycle: its first model
			// in byte order, with the reports of its own fit
			chosen = slices.MinFunc(seen[i:], func(a, b round) int { return strings.Compare(a.models, b.models) })
			break
		}
		if n == maxFitRounds {
			return fmt.Errorf("the fit does not settle after %d rounds", maxFitRounds)
		}
		seen = append(seen, this)
		if set, err = withScoring(packs, this.models); err != nil {
			return err
		}
	}
	models, vrep, arep := chosen.models, chosen.vrep, chosen.arep
	var b strings.Builder
	b.WriteString(fitHeader(opts, vrep, arep))
	b.WriteString("scoring:\n")
	b.WriteString(models)
	if err := os.WriteFile(opts.Out, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", opts.Out, err)
	}
	fmt.Fprintf(opts.IO.ErrOut, "incidex: %s\nincidex: %s\nincidex: wrote %s\n", vrep, arep, opts.Out)
	if failed > 0 {
		// Fitted on the pages that could be read; the exit status says
		// some could not.
		return &silentExitError{code: exitPartial}
	}
	return nil
}

// maxFitRounds bounds the fits of one "rules fit".
const maxFitRounds = 8

// withScoring is the rule set of packs with the scoring section models
// (as fit formats it) in force.
func withScoring(packs []*rules.Pack, models string) (*rules.Set, error) {
	p, err := rules.ParseFile("(fitted models)", []byte("scoring:\n"+models))
	if err != nil {
		return nil, err
	}
	return rules.NewSet(append(slices.Clone(packs), p)...), nil
}

// fitArticle is a labelled page as the fits read it: its article, read
// once, and its gold.
type fitArticle struct {
	article *article.Article
	gold    score.Gold
}

// readFitArticles reads the labelled pages of every --gold once; a page
// that cannot be read is reported and counted.
func readFitArticles(ctx context.Context, opts *RulesFitOptions, golds [][]score.Gold) ([]fitArticle, int, error) {
	var out []fitArticle
	failed := 0
	for i, gold := range golds {
		names := make([]string, len(gold))
		for k, g := range gold {
			names[k] = g.Page
		}
		docs, errs, err := readLabelledPages(ctx, opts.Pages[i], names, opts.Jobs, func(page *source.Page) (*article.Article, error) {
			return article.Parse(page, article.Options{})
		})
		if err != nil {
			return nil, 0, err
		}
		for k, g := range gold {
			if errs[k] != nil {
				fmt.Fprintf(opts.IO.ErrOut, "incidex: %s: %v\n", cli.DisplayName(g.Page), errs[k])
				failed++
				continue
			}
			out = append(out, fitArticle{docs[k], g})
		}
	}
	if len(out) == 0 {
		return nil, failed, errors.New("no labelled page could be read")
	}
	return out, failed, nil
}

// fitHeader is the comment that opens the file a fit writes: the command
// that reproduces it and the reports of the models, then a blank line.
func fitHeader(opts *RulesFitOptions, vrep, arep fit.Report) string {
	// The command line is quoted when a path needs it: a line break in
	// one would end the comment and the rest be read as rules.
	return fmt.Sprintf("# The scoring models, written by \"incidex rules fit\" (see rules/README.md):\n#   %s\n# %s.\n# %s.\n\n",
		rules.QuoteLine(fitCommand(opts)), vrep, arep)
}

// fitCommand is the command line that reproduces a fit, for the header of
// the file it writes.
func fitCommand(opts *RulesFitOptions) string {
	parts := []string{"incidex rules fit"}
	for i := range opts.Gold {
		parts = append(parts, "--gold "+opts.Gold[i], "--pages "+opts.Pages[i])
	}
	for _, r := range opts.Rules {
		parts = append(parts, "--rules "+r)
	}
	if opts.NoDefaultRules {
		parts = append(parts, "--no-default-rules")
	}
	return strings.Join(append(parts, "-o "+opts.Out), " ")
}
