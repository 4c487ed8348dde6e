// Package indicator finds technical indicators (indicators of compromise)
// in article text: IPv4 and IPv6 addresses, domains, URLs, e-mail
// addresses, MD5, SHA-1 and SHA-256 hashes, Tor onion names, bitcoin
// addresses and CVE ids. It owns the reading of these forms, written
// plainly or defanged, and nothing else: which incident an indicator
// belongs to is the caller's business.
//
// A Finder (New) holds the word lists that tell an indicator from a name
// or a version number; they are lexicon lists of incidex's rule packs.
// Its Find returns each written form once, in order of position, with its
// UTF-8 byte offsets in the text (Start and End bound the form as
// written, defanged or not) and its usable Value. A URL's host is not
// also reported as a domain, nor an e-mail's domain; the caller dedupes
// repeated values by Type and Value.
//
// # Defanged forms
//
// Writers defang indicators so that nobody clicks them. Refang turns
// back, in any letter case:
//
//   - the schemes hxxp, hxxps (hXXp, HXXPS...), fxp (ftp) and meow
//     (http), when "://" or a bracketed form of it follows;
//   - "[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}" to ".", also with
//     spaces inside the brackets ("[ . ]") and one space either side
//     ("evil [.] com", "evil [dot] com");
//   - "[@]", "(@)", "{@}", "[at]", "(at)", "{at}" to "@", likewise;
//   - "[:]" to ":" and "[://]" to "://".
//
// A form is turned back only where it joins the parts of an address: a
// dot form between two letters or digits, an at form after a character
// of an e-mail's local part, a scheme at the start of a word. A defanged
// indicator is strong evidence: the writer marked it as one. Found.Defanged
// then holds it as written.
//
// # Values
//
// Domains and onion names are in lower case, without a trailing dot or
// the sentence's full stop. A URL keeps its path, query and port as
// written, with its scheme and host in lower case; the sentence's
// punctuation after it and a closing bracket with no opening one inside
// it are not part of it ("(see http://x.com/a)." gives http://x.com/a).
// A host followed by a path but no scheme ("evil[.]com/gate.php",
// "45.1.2.3/bins/x86") is a URL whose value has no scheme: the text did
// not give one. An e-mail address keeps its local part and has its
// domain in lower case. An IPv4 address's port (":8080") and prefix
// length ("/24") are not part of its value; an IPv6 address is in the
// canonical form of net/netip. Hashes are in lower case, as are bech32
// bitcoin addresses; base58 ones are case-sensitive and kept. CVE ids are
// in upper case with ASCII hyphens ("CVE–2023–4966" with en dashes gives
// CVE-2023-4966).
//
// # What is not an indicator
//
// Precision matters more than recall: a false indicator sends an analyst
// after a company's home page. So:
//
//   - A domain must end in a public suffix of golang.org/x/net/publicsuffix
//     whose top-level domain ICANN manages (a private suffix such as
//     duckdns.org is fine, "report.exe" is not), with a registrable label
//     before it.
//   - A domain, URL or e-mail address written plainly (not defanged) is an
//     indicator only when its sentence holds a cue word (the lexicon list indicator-cues:
//     domain, site, server, C2, phishing, malicious, hosted, lookalike,
//     spoofed, IOC, registered, resolves, beacon, contact, download,
//     redirect, ransom...). News names companies ("Amazon.com") and links
//     to advisories far more often than it gives plain indicators. A URL
//     whose host is an IP address or an onion name needs no cue.
//   - A plain domain must also be written in lower case: "Booking.com" and
//     "ASP.NET" are names. Nor may it end in a file extension that is
//     also a top-level domain (the lexicon list file-extensions: "invoice.zip", "setup.py",
//     "install.sh"); defanged ("invoice[.]zip") or in a URL it counts.
//     Product names such as Node.js or next.js end in no public suffix.
//   - Hosts of Options.ExcludeHosts (incidex passes the article's own
//     URL and canonical URL) and their subdomains are never indicators, nor URLs and e-mail
//     addresses on them.
//   - A URL, e-mail address or host with a path that is not an indicator
//     hides what it holds: its host is not then reported as a domain,
//     nor a hash in its path as a hash.
//   - Addresses no one on the Internet can reach are never indicators,
//     whatever the text says: private (10/8, 172.16/12, 192.168/16,
//     fc00::/7), loopback (127/8, ::1), link-local (169.254/16,
//     fe80::/10), unspecified, multicast, carrier-grade NAT (100.64/10),
//     benchmarking (198.18/15), reserved (0/8, 192.0.0/24, 240/4 and
//     the broadcast address), and any IPv6 address outside 2000::/3.
//     Their meaning depends on the network they are seen in.
//   - Documentation addresses (192.0.2.0/24, 198.51.100.0/24,
//     203.0.113.0/24, 2001:db8::/32) and example domains (example.com,
//     .net, .org and their subdomains) are indicators only when defanged
//     or when the sentence holds an address cue (the lexicon list address-cues: IP, IPv6,
//     C2, command-and-control, malicious, indicator, IOC). The reserved
//     top-level domains .example, .test, .invalid and .localhost are no
//     public suffix and never count.
//   - A dotted quad within three words after a version word
//     (the lexicon list version-words: version, v, build, release, firmware, update, patch,
//     kernel...) or made of single digits ("1.2.3.4") is a version number
//     or a placeholder unless defanged or given an address cue. A dotted
//     number of more than four parts ("1.2.3.4.5"), with an octet above
//     255 or with a leading zero is never an address.
//   - An IPv6 address needs a group of three or more hex digits, which
//     keeps times ("10:30:00"), MAC addresses and "std::vector" out.
//   - A hash is a run of exactly 32, 40 or 64 hex digits bounded by
//     characters that are not letters, digits or underscores ("0x" plus
//     40 hex digits is an Ethereum address, not a SHA-1). It must be in
//     one letter case and hold both digits and letters: an all-digit run
//     is a number and a letters-only or one-character run ("0000...",
//     "deadbeef...") a placeholder.
//   - A bitcoin address must pass its checksum: Base58Check (double
//     SHA-256) for the legacy "1" and "3" forms, bech32 or bech32m for
//     "bc1" forms, with a witness program of a valid length.
//   - A CVE id is "CVE-YYYY-NNNN" with a year 19xx or 20xx and four to
//     seven digits after it, in any case, with hyphens, en dashes or the
//     Unicode hyphens (U+2010, U+2011); "CVE 2023 4966" is not read.
//   - An onion name is a 16 (version 2) or 56 (version 3) character
//     base32 label before ".onion"; its checksum is not verified.
//
// The cue words, version words and file extensions come from the rule
// pack's lexicon (see Words); New builds a Finder of them once.
//
// Find runs in time linear in the text and never panics, whatever the
// input, including invalid UTF-8.
package indicator
