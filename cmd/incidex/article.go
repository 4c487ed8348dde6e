package main

import (
	"context"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/source"
	"github.com/incidex/incidex/internal/cli"
	"github.com/spf13/cobra"
)

// ArticleOptions holds the flags and streams of "incidex article".
type ArticleOptions struct {
	readOptions
}

// NewCmdArticle returns the "article" command. runF replaces runArticle in
// tests that only check flag parsing; nil means runArticle.
func NewCmdArticle(f *Factory, runF func(context.Context, *ArticleOptions, []string) error) *cobra.Command {
	opts := &ArticleOptions{readOptions: defaultReadOptions(f)}
	if runF == nil {
		runF = runArticle
	}

	cmd := &cobra.Command{
		Use:   "article [flags] <url|file|dir|->...",
		Short: "Extract the main text and metadata of news articles",
		Long: `Extract the main text and metadata of each input.

` + inputsHelp + `

Output formats:
  json   one indented object per article (default when stdout is a terminal)
  jsonl  one compact object per line (default otherwise)
  text   the title, a blank line, then the paragraphs separated by blank lines

` + exitCodesHelp(batchExits...),
		Example: `  incidex article https://example.com/news/fire.html
  incidex article --format text saved/page.html
  incidex article -j 4 --format jsonl saved/ > articles.jsonl
  curl -s https://example.com/story | incidex article -`,
		Args: requireInputs(&opts.readOptions),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runF(cmd.Context(), opts, args)
		},
	}

	opts.addReadFlags(cmd, cli.FormatJSON, cli.FormatJSON, cli.FormatJSONL, cli.FormatText)
	return cmd
}

// runArticle prints the article of each input.
func runArticle(ctx context.Context, opts *ArticleOptions, args []string) error {
	return readPages(ctx, &opts.readOptions, args, func(_ context.Context, p *source.Page) (any, error) {
		return article.Parse(p, article.Options{})
	})
}
