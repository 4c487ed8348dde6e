package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/incidex/incidex/internal/cli"
	"github.com/incidex/incidex/internal/sizecap"
	"github.com/incidex/incidex/rules"
	"github.com/incidex/incidex/rules/misp"
	"github.com/spf13/cobra"
)

// NewCmdRulesImport returns the "rules import" command, whose subcommands
// turn other sources of threat intelligence into rule packs.
func NewCmdRulesImport(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import <source> [flags] <file|dir>...",
		Short: "Turn threat-intelligence catalogues into rule packs",
		Long: `Turn a catalogue of threat actors and tooling into incidex rule packs that
"incidex extract --rules DIR" loads beside the default pack.

Sources:
  misp   MISP galaxy cluster files (github.com/MISP/misp-galaxy)

` + exitCodesHelp(groupExits...),
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErrorf("unknown source %q for %q (want misp)", args[0], cmd.CommandPath())
			}
			return cmd.Help()
		},
	}
	cmd.AddCommand(NewCmdRulesImportMISP(f, nil))
	return cmd
}

// RulesImportMISPOptions holds the flags and streams of "incidex rules
// import misp".
type RulesImportMISPOptions struct {
	IO *cli.IOStreams

	OutDir         string
	Rules          []string
	NoDefaultRules bool
	// MaxFileBytes caps each cluster file read; 0 means maxMISPFileBytes.
	// No flag sets it: tests lower it.
	MaxFileBytes int64
}

// maxMISPFileBytes is the largest MISP galaxy file "rules import misp"
// reads: 16 times the largest cluster file of the galaxy (malpedia.json,
// under 4 MB), while a file at the cap takes a few hundred megabytes to
// parse.
const maxMISPFileBytes = 64 << 20

// NewCmdRulesImportMISP returns the "rules import misp" command. runF
// replaces runRulesImportMISP in tests that only check flag parsing; nil
// means runRulesImportMISP.
func NewCmdRulesImportMISP(f *Factory, runF func(context.Context, *RulesImportMISPOptions, []string) error) *cobra.Command {
	opts := &RulesImportMISPOptions{IO: f.IOStreams}
	if runF == nil {
		runF = runRulesImportMISP
	}
	cmd := &cobra.Command{
		Use:   "misp [flags] <file|dir>...",
		Short: "Import MISP galaxy clusters of threat actors, ransomware, malware and tools",
		Long: `Turn MISP galaxy cluster files into rule packs in DIR (-o, default
./rules-misp): misp-actors.yaml, misp-ransomware.yaml, misp-malware.yaml and
misp-tools.yaml, which "incidex extract --rules DIR" loads beside the default
pack. A folder argument stands for the .json files directly inside it; files
of other galaxy types (country, sector, ...) are skipped with a note on
stderr. A file larger than ` + sizecap.Format(maxMISPFileBytes) + ` is an error.

Galaxy types read:
  ` + strings.Join(misp.Types(), ", ") + `

Clusters become actors (threat-actor, mitre-intrusion-set,
microsoft-activity-group: nation-state when MISP names a state sponsor or an
origin country, else group) or tooling (ransomware: kind ransomware that is
also an actor; the others malware or tool), with their synonyms as aliases,
their country, and external_ids: the UUID of the cluster an entry is named
from (misp-galaxy) and its MITRE ATT&CK group or software id (mitre-attack),
which records carry beside the entry's id.
Clusters that MISP links as "similar", or whose names are equal once case,
spaces and punctuation are ignored, become one entry; a criminal group joins
the ransomware of the same name. Different things that share a name (an
actor and a piece of malware, two countries, the DragonForce hacktivists and
the DragonForce ransomware) stay separate entries, each pair reported on
stderr as
  collision: "NAME": FILE (what) vs FILE (what)
and the shared name stays only with the entry it is the name of (both, when
it is both entries' name, with cues that tell them apart).

Names that news uses in other senses need a cue word nearby ("ransomware",
"malware", "group", ...) and their capitals: a single plain word ("Play",
"Kinsing"), a phrase of ordinary words ("Brown Fox"), a person's name. Coined
spellings with inner capitals ("LockBit", "WildFire") need their capitals;
other names ("APT28", "Aqua Blizzard") match as they are. Other names of an
entry that are dictionary words or four letters or fewer ("Snake", "Lena")
are dropped.

Clusters that share a name with an actor or tooling entry of the default pack
(and of --rules packs) are left out: the hand-written entry already covers
them, and a second entry would report the same attacker twice.
--no-default-rules imports everything.

The packs depend only on the input files. The summary goes to stdout.

` + exitCodesHelp(importExits...),
		Example: `  incidex rules import misp misp-galaxy/clusters/threat-actor.json misp-galaxy/clusters/ransomware.json
  incidex rules import misp -o /tmp/misp misp-galaxy/clusters/
  incidex extract --rules /tmp/misp page.html`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("no input: give MISP galaxy cluster files or a folder of them")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}
	cmd.Flags().StringVarP(&opts.OutDir, "output", "o", "rules-misp", "write the packs to `DIR` (created if missing)")
	cmd.Flags().StringArrayVar(&opts.Rules, "rules", nil, "leave out what this pack also holds: a YAML file or a folder of them (`FILE|DIR`, repeatable)")
	cmd.Flags().BoolVar(&opts.NoDefaultRules, "no-default-rules", false, "do not leave out what the built-in rule pack holds")
	return cmd
}

func runRulesImportMISP(ctx context.Context, opts *RulesImportMISPOptions, args []string) error {
	if opts.OutDir == "" {
		return usageErrorf("-o needs a folder")
	}
	var known []*rules.Pack
	if !opts.NoDefaultRules || len(opts.Rules) > 0 {
		packs, err := loadPacks(opts.Rules, opts.NoDefaultRules)
		if err != nil {
			return err
		}
		known = packs
	}
	paths, skipped, err := mispPaths(args)
	if err != nil {
		return err
	}
	for _, err := range skipped {
		fmt.Fprintf(opts.IO.ErrOut, "incidex: %v\n", err)
	}
	limit := opts.MaxFileBytes
	if limit <= 0 {
		limit = maxMISPFileBytes
	}
	var files []*misp.File
	for _, p := range paths {
		if ctx.Err() != nil {
			return errInterrupted
		}
		data, err := sizecap.ReadFile(p, limit, "MISP galaxy file")
		if err != nil {
			return err
		}
		f, err := misp.Parse(p, data)
		if errors.Is(err, misp.ErrType) {
			fmt.Fprintf(opts.IO.ErrOut, "incidex: skip %v\n", err)
			continue
		}
		if err != nil {
			return err
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return fmt.Errorf("no cluster file of the galaxy types imported (%s)", strings.Join(misp.Types(), ", "))
	}

	im := misp.Import(files, misp.Options{Known: known})
	for _, c := range im.Collisions {
		fmt.Fprintf(opts.IO.ErrOut, "collision: %s\n", c)
	}
	out, err := im.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return err
	}
	var written []string
	for _, o := range out {
		name := filepath.Join(opts.OutDir, o.Name)
		if err := writeImportFile(name, o.Data); err != nil {
			return err
		}
		written = append(written, name)
	}
	fmt.Fprintf(opts.IO.Out, "%d actors, %d tooling entries, %d merges, %d collisions from %d clusters in %d files; %d left out as already in the loaded rules; wrote %s\n",
		len(im.Actors), len(im.Tooling), im.Merges, len(im.Collisions), im.Clusters, len(files), im.Skipped, strings.Join(written, ", "))
	return nil
}

// mispPaths expands folders into the .json files directly inside them, in
// name order; files are kept as given. skipped are the .json entries of
// folders that are not regular files, each as its error: a FIFO would
// block the import until something wrote to it.
func mispPaths(args []string) (paths []string, skipped []error, err error) {
	for _, a := range args {
		info, err := os.Stat(a)
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			paths = append(paths, a)
			continue
		}
		ents, err := os.ReadDir(a)
		if err != nil {
			return nil, nil, fmt.Errorf("read %w", err)
		}
		found := 0 // .json entries, skipped ones included
		for _, e := range ents {
			if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".json") {
				continue
			}
			name := filepath.Join(a, e.Name())
			// A symbolic link is read as what it names; one that names
			// nothing fails when read, with its own error.
			info, err := os.Stat(name)
			switch {
			case err == nil && info.IsDir():
				continue
			case err == nil && !info.Mode().IsRegular():
				skipped = append(skipped, &fs.PathError{Op: "skip", Path: name, Err: sizecap.NotRegular(info.Mode())})
			default:
				paths = append(paths, name)
			}
			found++
		}
		if found == 0 {
			return nil, nil, fmt.Errorf("%s: folder has no .json files", a)
		}
	}
	return paths, skipped, nil
}

// writeImportFile writes data to name through a temporary file in the same
// folder, so that an interrupted import never leaves half a pack.
func writeImportFile(name string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	return nil
}
