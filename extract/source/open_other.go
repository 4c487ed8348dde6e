//go:build !unix

package source

import (
	"io/fs"
	"os"

	"github.com/incidex/incidex/internal/sizecap"
)

// openWalked opens a file found by a folder walk. Without followLinks a
// symbolic link is refused; a file that is not regular is refused before it
// is opened, so that a named pipe is not waited on.
func openWalked(path string, followLinks bool) (*os.File, error) {
	stat := os.Stat
	if !followLinks {
		stat = os.Lstat
	}
	info, err := stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "open", Path: path, Err: sizecap.NotRegular(info.Mode())}
	}
	return os.Open(path)
}
