//go:build unix

package source

import (
	"errors"
	"io/fs"
	"os"
	"syscall"

	"github.com/incidex/incidex/internal/sizecap"
)

// openWalked opens a file found by a folder walk without blocking: a named
// pipe opens at once (and is then refused as not regular) instead of
// waiting for a writer. Without followLinks a symbolic link fails to open.
func openWalked(path string, followLinks bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if !followLinks {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(path, flags, 0)
	if !followLinks && errors.Is(err, syscall.ELOOP) {
		return nil, &fs.PathError{Op: "open", Path: path, Err: sizecap.NotRegular(fs.ModeSymlink)}
	}
	return f, err
}
