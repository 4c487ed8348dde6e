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

// exitLine is one status in a command's help, with what it means there.
type exitLine struct {
	code    int
	meaning string
}

// exitCodes documents the statuses above for the root's help, in order.
var exitCodes = []exitLine{
	{exitOK, "success"},
	{exitError, "error (with several inputs: all of them failed)"},
	{exitUsage, "usage error: unknown flag, bad flag value, missing input"},
	{exitPartial, "some inputs failed; the others were written"},
	{exitInterrupted, "interrupted (Ctrl-C or SIGTERM)"},
}

// exitCodesHelp renders the statuses a command can return as a help
// section; no lines means the root's, all of them.
func exitCodesHelp(lines ...exitLine) string {
	if len(lines) == 0 {
		lines = exitCodes
	}
	var b strings.Builder
	b.WriteString("Exit status:\n")
	for _, c := range lines {
		fmt.Fprintf(&b, "  %-4d %s\n", c.code, c.meaning)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// The statuses of each command, with what they mean there.
var (
	usageExit = exitLine{exitUsage, "usage error: unknown flag, bad flag value, missing argument"}
	// article and extract
	batchExits = []exitLine{
		{exitOK, "every input was read (also when no incident was found)"},
		{exitError, "error: bad rules, an unwritable output or --db file (a full disk stops the run), or every input failed"},
		{exitUsage, "usage error: unknown flag, bad flag value, no input"},
		{exitPartial, "some inputs failed; the others were written"},
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); the finished records were written"},
	}
	groupExits = []exitLine{
		{exitOK, "help printed"},
		{exitUsage, "unknown command"},
	}
	evalExits = []exitLine{
		{exitOK, "the report was written (whatever the scores)"},
		{exitError, "error: bad gold or rules, or not one page could be read"},
		usageExit,
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); nothing was written"},
	}
	rulesListExits = []exitLine{
		{exitOK, "the rules were listed"},
		{exitError, "a rule file could not be loaded"},
		usageExit,
	}
	rulesValidateExits = []exitLine{
		{exitOK, "no problem found"},
		{exitError, "problems found, or a file could not be read"},
		usageExit,
	}
	rulesTestExits = []exitLine{
		{exitOK, "every test passed"},
		{exitError, "a test failed, or a rule file could not be loaded"},
		usageExit,
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM)"},
	}
	rulesFitExits = []exitLine{
		{exitOK, "the scoring pack was written"},
		{exitError, "error: bad gold or rules, no page could be read, or the file could not be written"},
		usageExit,
		{exitPartial, "some pages could not be read; the pack was fitted on the others and written"},
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); nothing was written"},
	}
	importExits = []exitLine{
		{exitOK, "the packs were written"},
		{exitError, "a file could not be read or parsed, or the packs could not be written: nothing was written"},
		usageExit,
		{exitInterrupted, "interrupted (Ctrl-C or SIGTERM); nothing was written"},
	}
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
