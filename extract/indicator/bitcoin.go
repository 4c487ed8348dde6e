package indicator

import (
	"bytes"
	"crypto/sha256"
	"strings"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Values maps a byte to its base58 digit, or -1.
var base58Values = func() [256]int8 {
	var v [256]int8
	for i := range v {
		v[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		v[base58Alphabet[i]] = int8(i)
	}
	return v
}()

// bitcoinBase58 reports whether w is a legacy bitcoin address: 26 to 35
// base58 characters that decode to a version byte (0 for pay-to-pubkey-
// hash, starting "1"; 5 for pay-to-script-hash, starting "3"), a 20-byte
// hash and the first four bytes of the double SHA-256 of those 21.
func bitcoinBase58(w string) bool {
	if len(w) < 26 || len(w) > 35 || (w[0] != '1' && w[0] != '3') {
		return false
	}
	// big-endian base-256 digits of the number w spells in base 58
	var num [40]byte
	n := 0 // bytes of num in use, from the end
	for i := 0; i < len(w); i++ {
		d := base58Values[w[i]]
		if d < 0 {
			return false
		}
		carry := int(d)
		for k := len(num) - 1; k >= len(num)-n; k-- {
			carry += int(num[k]) * 58
			num[k] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			if n == len(num) {
				return false
			}
			n++
			num[len(num)-n] = byte(carry)
			carry >>= 8
		}
	}
	zeros := 0
	for zeros < len(w) && w[zeros] == '1' {
		zeros++
	}
	if zeros+n != 25 {
		return false
	}
	var dec [25]byte
	copy(dec[zeros:], num[len(num)-n:])
	switch {
	case dec[0] == 0 && w[0] == '1', dec[0] == 5 && w[0] == '3':
	default:
		return false
	}
	h1 := sha256.Sum256(dec[:21])
	h2 := sha256.Sum256(h1[:])
	return bytes.Equal(h2[:4], dec[21:])
}

const bech32Charset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"

// Checksum constants of BIP 173 (bech32, witness version 0) and BIP 350
// (bech32m, versions 1 to 16).
const (
	bech32Const  = 1
	bech32mConst = 0x2bc830a3
)

// bitcoinBech32 reports whether w is a segwit bitcoin address: "bc1",
// data in the bech32 character set, all in one case, with the checksum
// its witness version calls for and a witness program of a valid length.
func bitcoinBech32(w string) bool {
	if len(w) < 14 || len(w) > 90 {
		return false
	}
	lower := strings.ToLower(w)
	if w != lower && w != strings.ToUpper(w) {
		return false
	}
	if !strings.HasPrefix(lower, "bc1") {
		return false
	}
	data := make([]byte, 0, len(lower)-3)
	for i := 3; i < len(lower); i++ {
		d := strings.IndexByte(bech32Charset, lower[i])
		if d < 0 {
			return false
		}
		data = append(data, byte(d))
	}
	if len(data) < 7 {
		return false
	}
	// polymod over the expanded human-readable part "bc" and the data
	values := append([]byte{'b' >> 5, 'c' >> 5, 0, 'b' & 31, 'c' & 31}, data...)
	chk := polymod(values)
	version := data[0]
	switch {
	case version > 16:
		return false
	case version == 0 && chk != bech32Const, version > 0 && chk != bech32mConst:
		return false
	}
	// the witness program: 5-bit groups back to bytes, with no more
	// than four bits of zero padding
	prog := 0
	acc, bits := 0, 0
	for _, d := range data[1 : len(data)-6] {
		acc = acc<<5 | int(d)
		bits += 5
		if bits >= 8 {
			bits -= 8
			prog++
			acc &= 1<<bits - 1
		}
	}
	if bits >= 5 || acc != 0 {
		return false
	}
	if prog < 2 || prog > 40 || (version == 0 && prog != 20 && prog != 32) {
		return false
	}
	return true
}

func polymod(values []byte) uint32 {
	gen := [5]uint32{0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3}
	chk := uint32(1)
	for _, v := range values {
		top := chk >> 25
		chk = (chk&0x1ffffff)<<5 ^ uint32(v)
		for i := range gen {
			if (top>>i)&1 == 1 {
				chk ^= gen[i]
			}
		}
	}
	return chk
}
