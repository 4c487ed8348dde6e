package main

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Exit statuses of the incidex binary. This is the only place they are
// defined; --help lists them from exitCodes below.
const (
	exitOK          = 0   // every input succeeded
	exitError       = 1   // an error, or every input failed
	exitUsage       = 2   // bad flags, arguments or flag values
	exitPartial     = 3   // some inputs failed, others succeeded
	exitInterrupted = 130 // SIGINT or SIGTERM; completed results were written
)

// exitCodes documents the statuses above for help text, in order.
var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitError, "error (with several inputs: all of them failed)"},
	{exitUsage, "usage error: unknown flag, bad flag value, missing input"},
	{exitPartial, "some inputs failed; the others were written"},
	{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); finished results were written"},
}

// exitCodesHelp renders the statuses a command can return as a help
// section, in the order of exitCodes; no codes means all of them.
func exitCodesHelp(codes ...int) string {
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, c := range exitCodes {
		if len(codes) == 0 || slices.Contains(codes, c.code) {
			fmt.Fprintf(&b, "  %-4d %s\n", c.code, c.meaning)
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// The statuses of each kind of command, for exitCodesHelp.
var (
	// commands that read a batch of inputs: article, extract
	batchExits = []int{exitOK, exitError, exitUsage, exitPartial, exitInterrupted}
	// commands that finish quickly and are not interrupted midway
	quickExits = []int{exitOK, exitError, exitUsage}
	// long commands that stop at Ctrl-C but have no partial failure
	longExits = []int{exitOK, exitError, exitUsage, exitInterrupted}
)

// usageError is a mistake in how incidex was invoked. It is printed with a
// hint pointing at --help and exits with exitUsage.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...)}
}

// silentExitError ends the command with code after the command has already
// reported everything the user needs to see (for example one line per failed
// input), so nothing more is printed.
type silentExitError struct{ code int }

func (e *silentExitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// errInterrupted reports that the context was cancelled by a signal.
var errInterrupted = errors.New("interrupted")
