package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/incidex/incidex/internal/batch"
	"github.com/incidex/incidex/internal/cli"
	"github.com/spf13/cobra"
)

// Factory carries what commands need from the outside world, so tests can
// substitute every piece of it.
type Factory struct {
	IOStreams *cli.IOStreams
	Version   string
	Now       func() time.Time // the clock of batch summaries; nil means time.Now
	Clock     batch.Clock      // the clock of host delays; nil means the real clock
}

// NewCmdRoot returns the incidex command tree.
func NewCmdRoot(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "incidex",
		Short: "Extract articles and incidents from news pages",
		Long: "incidex turns news articles about cyberattacks (URLs, files, folders, web archives or\nstdin) into incident records (JSON, CSV, STIX 2.1), merges the records of many articles\ninto one incident per attack, keeps them in a local database, and reads articles' main\ntext.\n\n" +
			exitCodesHelp(),
		Example: `  incidex extract https://news.example/2025/05/retailer-cyber-attack
  incidex extract --format jsonl saved/ > incidents.jsonl
  incidex extract --format stix -o bundle.json saved/
  incidex extract --db incidents.db saved/ && incidex incidents --db incidents.db --since 30d
  incidex merge incidents.jsonl
  incidex article --format text saved/page.html
  incidex rules validate my-rules.yaml
  incidex eval --gold gold.jsonl --pages saved/`,
		Version: f.Version,
		// Errors and usage hints are printed once, by execute.
		SilenceErrors: true,
		SilenceUsage:  true,
		// Accept any arguments here so that an unknown command reaches RunE
		// and becomes a usageError instead of a plain cobra error.
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.SetVersionTemplate("incidex {{.Version}}\n")
	// Declared here so that cobra gives it no -v: on "rules test" -v is
	// --verbose, and one letter must not mean two things.
	cmd.Flags().Bool("version", false, "print incidex's version")
	cmd.SetIn(f.IOStreams.In)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &usageError{err: err}
	})

	cmd.AddCommand(NewCmdArticle(f, nil))
	cmd.AddCommand(NewCmdExtract(f, nil))
	cmd.AddCommand(NewCmdMerge(f, nil))
	cmd.AddCommand(NewCmdIncidents(f, nil))
	cmd.AddCommand(NewCmdRules(f, NewCmdRulesImport(f)))
	cmd.AddCommand(NewCmdEval(f, nil))
	return cmd
}

// execute runs incidex with args and returns the process exit status. It
// prints the final error, if any, as a single line on stderr.
func execute(ctx context.Context, f *Factory, args []string) int {
	root := NewCmdRoot(f)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	if cmd == nil {
		cmd = root
	}
	return exitStatus(ctx, f.IOStreams, cmd, err)
}

// exitStatus reports err to the user and maps it to an exit status.
func exitStatus(ctx context.Context, ios *cli.IOStreams, cmd *cobra.Command, err error) int {
	if err == nil {
		return exitOK
	}
	var usageErr *usageError
	var silentErr *silentExitError
	switch {
	case errors.Is(err, errInterrupted) || ctx.Err() != nil:
		fmt.Fprintln(ios.ErrOut, "incidex: interrupted")
		return exitInterrupted
	case errors.As(err, &silentErr):
		return silentErr.code
	case errors.As(err, &usageErr):
		fmt.Fprintf(ios.ErrOut, "incidex: %v\nRun '%s --help' for usage.\n", usageErr, cmd.CommandPath())
		return exitUsage
	default:
		fmt.Fprintf(ios.ErrOut, "incidex: %v\n", err)
		return exitError
	}
}
