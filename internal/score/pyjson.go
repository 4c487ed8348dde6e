package score

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The scorer decides which lines are "bad" with Python's json.loads, and it
// iterates whatever shape a record has, so parsing follows CPython 3.11's
// json module rather than encoding/json: NaN, Infinity and -Infinity are
// values, integers longer than 4300 digits are errors, nesting deeper than
// the interpreter's recursion limit is an error, and objects keep their key
// order (Python iterates a dict in insertion order).

// Parsed values are nil, bool, number, string, []any or *object.

// object is a JSON object whose keys keep their first-insertion order; a
// repeated key keeps its first position and its last value, as in a dict.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// number is a JSON number. The scorer only ever asks whether it is zero.
type number struct{ nonzero bool }

const (
	// maxIntDigits is CPython's default int_max_str_digits: json.loads
	// raises ValueError for a longer integer literal.
	maxIntDigits = 4300
	// predMaxDepth and goldMaxDepth are the deepest nesting json.loads
	// accepts inside incident-score under CPython 3.11 with the default
	// recursion limit of 1000 (measured; the gold is parsed inside a list
	// comprehension, one frame deeper).
	predMaxDepth = 994
	goldMaxDepth = 993
)

type parser struct {
	s        string
	i        int
	depth    int
	maxDepth int
}

// parseJSON parses one JSON document the way Python's json.loads does.
// s must be valid UTF-8.
func parseJSON(s string, maxDepth int) (any, error) {
	p := &parser{s: s, maxDepth: maxDepth}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.i != len(p.s) {
		return nil, p.errorf("extra data")
	}
	return v, nil
}

func (p *parser) errorf(format string, args ...any) error {
	col := utf8.RuneCountInString(p.s[:min(p.i, len(p.s))]) + 1
	return fmt.Errorf("invalid JSON at column %d: %s", col, fmt.Sprintf(format, args...))
}

func (p *parser) peek() byte {
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value() (any, error) {
	rest := p.s[p.i:]
	c := p.peek()
	switch {
	case c == '"':
		return p.str()
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case strings.HasPrefix(rest, "null"):
		p.i += 4
		return nil, nil
	case strings.HasPrefix(rest, "true"):
		p.i += 4
		return true, nil
	case strings.HasPrefix(rest, "false"):
		p.i += 5
		return false, nil
	case strings.HasPrefix(rest, "NaN"):
		p.i += 3
		return number{nonzero: true}, nil
	case strings.HasPrefix(rest, "Infinity"):
		p.i += 8
		return number{nonzero: true}, nil
	case strings.HasPrefix(rest, "-Infinity"):
		p.i += 9
		return number{nonzero: true}, nil
	case c == '-' || isDigit(c):
		return p.number()
	}
	return nil, p.errorf("expecting value")
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > p.maxDepth {
		return p.errorf("nested deeper than %d", p.maxDepth)
	}
	return nil
}

func (p *parser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.i++ // {
	o := &object{vals: map[string]any{}}
	p.skipSpace()
	if p.peek() == '}' {
		p.i++
		return o, nil
	}
	for {
		if p.peek() != '"' {
			return nil, p.errorf("expecting property name enclosed in double quotes")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.peek() != ':' {
			return nil, p.errorf("expecting ':' delimiter")
		}
		p.i++
		p.skipSpace()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		if _, dup := o.vals[k]; !dup {
			o.keys = append(o.keys, k)
		}
		o.vals[k] = v
		p.skipSpace()
		switch p.peek() {
		case '}':
			p.i++
			return o, nil
		case ',':
			p.i++
			p.skipSpace()
		default:
			return nil, p.errorf("expecting ',' delimiter")
		}
	}
}

func (p *parser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.i++ // [
	a := []any{}
	p.skipSpace()
	if p.peek() == ']' {
		p.i++
		return a, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		p.skipSpace()
		switch p.peek() {
		case ']':
			p.i++
			return a, nil
		case ',':
			p.i++
			p.skipSpace()
		default:
			return nil, p.errorf("expecting ',' delimiter")
		}
	}
}

func (p *parser) str() (string, error) {
	p.i++ // opening quote
	var b strings.Builder
	start := p.i
	for {
		if p.i >= len(p.s) {
			return "", p.errorf("unterminated string")
		}
		switch c := p.s[p.i]; {
		case c == '"':
			b.WriteString(p.s[start:p.i])
			p.i++
			return b.String(), nil
		case c == '\\':
			b.WriteString(p.s[start:p.i])
			if err := p.escape(&b); err != nil {
				return "", err
			}
			start = p.i
		case c < 0x20:
			return "", p.errorf("invalid control character")
		default:
			p.i++
		}
	}
}

// escape decodes the escape sequence at p.i. A lone surrogate, which
// Python keeps and Go strings cannot hold, becomes U+FFFD; either way it is
// neither a letter nor a digit to norm.
func (p *parser) escape(b *strings.Builder) error {
	p.i++ // backslash
	if p.i >= len(p.s) {
		return p.errorf("unterminated string")
	}
	c := p.s[p.i]
	p.i++
	switch c {
	case '"', '\\', '/':
		b.WriteByte(c)
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'n':
		b.WriteByte('\n')
	case 'r':
		b.WriteByte('\r')
	case 't':
		b.WriteByte('\t')
	case 'u':
		r, ok := hex4(p.s[p.i:])
		if !ok {
			return p.errorf("invalid \\uXXXX escape")
		}
		p.i += 4
		if 0xD800 <= r && r <= 0xDBFF && strings.HasPrefix(p.s[p.i:], `\u`) {
			if r2, ok := hex4(p.s[p.i+2:]); ok && 0xDC00 <= r2 && r2 <= 0xDFFF {
				r = 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
				p.i += 6
			}
		}
		if 0xD800 <= r && r <= 0xDFFF {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	default:
		p.i--
		return p.errorf("invalid \\escape")
	}
	return nil
}

func hex4(s string) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[:4]) {
		var d byte
		switch {
		case '0' <= c && c <= '9':
			d = c - '0'
		case 'a' <= c && c <= 'f':
			d = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (p *parser) digits() {
	for p.i < len(p.s) && isDigit(p.s[p.i]) {
		p.i++
	}
}

func (p *parser) number() (any, error) {
	start := p.i
	if p.peek() == '-' {
		p.i++
	}
	intStart := p.i
	switch c := p.peek(); {
	case c == '0':
		p.i++
	case '1' <= c && c <= '9':
		p.digits()
	default:
		return nil, p.errorf("expecting value")
	}
	intDigits := p.s[intStart:p.i]
	isFloat := false
	if p.i+1 < len(p.s) && p.s[p.i] == '.' && isDigit(p.s[p.i+1]) {
		isFloat = true
		p.i += 2
		p.digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		// The exponent counts only if it has digits; otherwise the number
		// ends before the "e" and whatever follows is a syntax error.
		save := p.i
		p.i++
		if c := p.peek(); c == '+' || c == '-' {
			p.i++
		}
		expStart := p.i
		p.digits()
		if p.i > expStart {
			isFloat = true
		} else {
			p.i = save
		}
	}
	if !isFloat {
		if len(intDigits) > maxIntDigits {
			return nil, p.errorf("integer has %d digits, more than %d", len(intDigits), maxIntDigits)
		}
		return number{nonzero: strings.Trim(intDigits, "0") != ""}, nil
	}
	// ParseFloat rounds like Python's float(): 1e-400 is 0, 1e400 is +Inf.
	f, _ := strconv.ParseFloat(p.s[start:p.i], 64)
	return number{nonzero: f != 0}, nil
}

// truthy is Python's bool() of a parsed value.
func truthy(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case bool:
		return v
	case number:
		return v.nonzero
	case string:
		return v != ""
	case []any:
		return len(v) > 0
	case *object:
		return len(v.keys) > 0
	}
	return false
}

// iterate lists what a Python for loop over v yields: a list's elements, a
// string's characters, an object's keys. ok is false where Python raises
// TypeError (numbers, booleans, null).
func iterate(v any) (items []any, ok bool) {
	switch v := v.(type) {
	case []any:
		return v, true
	case string:
		for _, r := range v {
			items = append(items, string(r))
		}
		return items, true
	case *object:
		for _, k := range v.keys {
			items = append(items, k)
		}
		return items, true
	}
	return nil, false
}

// kindOf names a parsed value's JSON type for error messages.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case *object:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
