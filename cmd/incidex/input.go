package main

import (
	"context"
	"errors"
	"os"

	"github.com/incidex/incidex/extract"
)

type inputKind int

const (
	inputFile inputKind = iota
	inputURL
	inputStdin
	inputDir
)

// input is one thing to read, named by the argument as the user gave it.
type input struct {
	arg  string
	kind inputKind
}

// errIsDirectory rejects directory arguments until batch mode walks them.
var errIsDirectory = errors.New("is a directory")

// resolveInputs classifies the arguments. It is the place where a directory
// will later expand into the pages it holds.
func resolveInputs(args []string) ([]input, error) {
	inputs := make([]input, 0, len(args))
	stdinSeen := false
	for _, arg := range args {
		switch {
		case arg == "-":
			if stdinSeen {
				return nil, usageErrorf(`"-" (stdin) may be given only once`)
			}
			stdinSeen = true
			inputs = append(inputs, input{arg: arg, kind: inputStdin})
		case extract.IsURL(arg):
			inputs = append(inputs, input{arg: arg, kind: inputURL})
		default:
			kind := inputFile
			// A failed Stat is left for ReadFile to report with its own cause.
			if fi, err := os.Stat(arg); err == nil && fi.IsDir() {
				kind = inputDir
			}
			inputs = append(inputs, input{arg: arg, kind: kind})
		}
	}
	return inputs, nil
}

// pageLoader reads inputs into pages.
type pageLoader struct {
	fetcher  *extract.Fetcher
	stdin    *IOStreams
	maxBytes int64
}

func (l *pageLoader) load(ctx context.Context, in input) (*extract.Page, error) {
	switch in.kind {
	case inputURL:
		return l.fetcher.Fetch(ctx, in.arg)
	case inputStdin:
		return readCancelable(ctx, func() (*extract.Page, error) {
			return extract.ReadStream(in.arg, l.stdin.In, l.maxBytes)
		})
	case inputDir:
		return nil, errIsDirectory
	default:
		return readCancelable(ctx, func() (*extract.Page, error) {
			return extract.ReadFile(in.arg, l.maxBytes)
		})
	}
}

// readCancelable runs a read that takes no context (stdin may block on a
// terminal or a stalled pipe) and gives up when ctx is cancelled. The
// abandoned read finishes or dies with the process, which is about to exit.
func readCancelable(ctx context.Context, read func() (*extract.Page, error)) (*extract.Page, error) {
	type result struct {
		page *extract.Page
		err  error
	}
	done := make(chan result, 1)
	go func() {
		page, err := read()
		done <- result{page, err}
	}()
	select {
	case r := <-done:
		return r.page, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
