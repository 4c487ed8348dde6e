// Command incidex extracts articles and incidents from news pages.
//
// This package is the command layer and nothing else: the cobra tree
// (NewCmdX builds a command's flags into its options, runX calls the
// library), exit codes (exitcode.go) and the wiring of the real world
// (streams, signals, clock) in main. It is the only package that reads
// flags or exits, and it decides what reaches the terminal (through the
// streams of internal/cli); it holds no engine of its own: inputs and
// batches are internal/batch, terminal output internal/cli, extraction the
// extract packages, rules the rules packages.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/incidex/incidex/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = ""

func main() {
	os.Exit(run())
}

// memoryLimit is the Go runtime's soft memory limit unless GOMEMLIMIT sets
// another: near it the garbage collector works harder instead of letting
// the heap double, which keeps a batch of large pages (see
// batch.MemoryBudget) under about 1.6 GB. Small pages never come near it.
const memoryLimit = 1536 << 20

// run wires the real world (streams, signals, build info) into execute.
func run() (code int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	ios := cli.SystemIOStreams()
	defer func() {
		// Last resort only: a panic is a bug to fix, but the user still gets
		// one line instead of a stack trace.
		if r := recover(); r != nil {
			fmt.Fprintf(ios.ErrOut, "incidex: internal error: %v\n", r)
			code = exitError
		}
	}()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, restore default handling so that a second
		// Ctrl-C kills a process that is slow to wind down.
		<-ctx.Done()
		stop()
	}()

	f := &Factory{IOStreams: ios, Version: buildVersion()}
	return execute(ctx, f, os.Args[1:])
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}
