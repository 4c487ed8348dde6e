package main

import (
	"errors"
	"fmt"
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

// exitCodesHelp renders exitCodes as a help section.
func exitCodesHelp() string {
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, c := range exitCodes {
		fmt.Fprintf(&b, "  %-4d %s\n", c.code, c.meaning)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

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
