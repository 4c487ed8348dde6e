package stix

import (
	"crypto/sha1"
	"encoding/hex"
	"strings"
	"unicode/utf8"
)

// uuid is a 16-byte RFC 9562 UUID.
type uuid [16]byte

var (
	// scoNamespace is the namespace STIX 2.1 (section 2.9) fixes for the
	// UUIDv5 ids of cyber-observable objects, so that every producer gives
	// the same observable the same id.
	scoNamespace = mustParseUUID("00abedb4-aa42-466c-9c01-fed23315a9b7")
	// incidexNamespace is incidex's own namespace for the UUIDv5 ids of
	// the domain and relationship objects it makes, generated once at
	// random. Changing it changes every id incidex has ever exported.
	incidexNamespace = mustParseUUID("0488dda5-6304-4357-a763-fe3a95d0abfc")
)

func mustParseUUID(s string) uuid {
	var u uuid
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err != nil || len(b) != len(u) {
		panic("stix: bad uuid " + s)
	}
	copy(u[:], b)
	return u
}

// uuid5 is the name-based UUID of RFC 9562 section 5.5: the first 16
// bytes of SHA-1(namespace || name), with version 5 and the RFC variant.
func uuid5(ns uuid, name string) uuid {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u uuid
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

func (u uuid) String() string {
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], u[10:16])
	return string(b[:])
}

// sdoID is the id of a domain or relationship object of type typ, made in
// incidex's namespace over key (see the README's id table for the keys).
func sdoID(typ, key string) string {
	return typ + "--" + uuid5(incidexNamespace, key).String()
}

// scoID is the id of a cyber-observable object the way STIX 2.1 section
// 2.9 makes it: UUIDv5 in the SCO namespace over the RFC 8785 (JCS)
// serialization of the object's ID contributing properties, given here
// already serialized as canonical.
func scoID(typ, canonical string) string {
	return typ + "--" + uuid5(scoNamespace, canonical).String()
}

// valueID is the id of an SCO whose only ID contributing property is
// "value": ipv4-addr, ipv6-addr, domain-name, url, email-addr and the
// custom cryptocurrency-wallet.
func valueID(typ, value string) string {
	return scoID(typ, `{"value":`+jcsString(value)+`}`)
}

// fileID is the id of a file SCO known by one hash. Of the file's ID
// contributing properties (hashes, name, extensions, parent_directory_ref)
// incidex knows only the hash, and STIX uses a single one of the hashes
// (MD5, else SHA-1, else SHA-256, else SHA-512), which is the one there is.
func fileID(algorithm, hash string) string {
	return scoID("file", `{"hashes":{`+jcsString(algorithm)+`:`+jcsString(hash)+`}}`)
}

// jcsString serializes s as a JSON string the way RFC 8785 does (that of
// ECMAScript's JSON.stringify): only '"', '\' and the control characters
// are escaped, the short forms where JSON has them, other characters are
// written as themselves in UTF-8.
func jcsString(s string) string {
	return string(appendJCSString(make([]byte, 0, len(s)+2), s))
}

// appendJCSString appends jcsString(s) to dst.
func appendJCSString(dst []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"':
			dst = append(dst, `\"`...)
		case '\\':
			dst = append(dst, `\\`...)
		case '\b':
			dst = append(dst, `\b`...)
		case '\f':
			dst = append(dst, `\f`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		default:
			const digits = "0123456789abcdef"
			dst = append(dst, '\\', 'u', '0', '0', digits[c>>4], digits[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// normName is a name as ids key it: lower case, runs of white space made
// one space, trimmed, so that "LockBit" and "Lockbit " are one object.
func normName(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}
