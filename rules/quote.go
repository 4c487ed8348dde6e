package rules

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// QuoteLine is s as the YAML encoder writes a string, kept on one line,
// for the comments of the packs incidex writes: s itself when the encoder
// writes it plain, else s double-quoted with its line breaks and control
// characters escaped ("evil.json\n- id: x" becomes "\"evil.json\\n- id:
// x\""). A file name may hold anything but '/' and NUL: pasted into a
// comment as it is, a line break in it would end the comment and the rest
// would be read as rules. Bytes that are not UTF-8 become U+FFFD.
func QuoteLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	encode := func(style yaml.Style) (string, error) {
		out, err := yaml.Marshal(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: style, Value: s})
		return strings.TrimSuffix(string(out), "\n"), err
	}
	line, err := encode(0)
	if err == nil && line != s {
		// Quoted, or a block on several lines: double-quoted on one.
		line, err = encode(yaml.DoubleQuotedStyle)
	}
	// yaml.v3 folds no lines by default and encodes any valid UTF-8; if a
	// version ever did otherwise, Go's quoting is YAML too.
	if err != nil || strings.ContainsAny(line, "\n\r\u0085\u2028\u2029") {
		return strconv.Quote(s)
	}
	return line
}
