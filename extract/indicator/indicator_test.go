package indicator

import (
	"fmt"
	"strings"
	"testing"
)

// findCase is a sentence and the indicators Find must return for it, as
// "type value", in order.
type findCase struct {
	name string
	text string
	site string
	want []string
}

var findCases = []findCase{
	// IPv4
	{"ipv4 plain", "The malware beaconed to 45.153.160.2 every minute.", "", []string{"ipv4 45.153.160.2"}},
	{"ipv4 defanged brackets", "The server at 45.153.160[.]2 was seized.", "", []string{"ipv4 45.153.160.2"}},
	{"ipv4 defanged every dot", "C2: 45[.]153[.]160[.]2", "", []string{"ipv4 45.153.160.2"}},
	{"ipv4 with port", "Traffic went to 45.153.160.2:8443 over TLS.", "", []string{"ipv4 45.153.160.2"}},
	{"ipv4 cidr", "Block 45.153.160.0/24 at the edge.", "", []string{"ipv4 45.153.160.0"}},
	{"ipv4 sentence end", "The last address was 91.20.7.33.", "", []string{"ipv4 91.20.7.33"}},
	{"ipv4 in parentheses", "One server (91.20.7.33) stayed up.", "", []string{"ipv4 91.20.7.33"}},
	{"ipv4 single digits with ip cue", "The C2 IP address was 5.5.5.5 in every sample.", "", []string{"ipv4 5.5.5.5"}},
	{"ipv4 version word overridden by cue", "The malicious build 45.1.2.3 server answered.", "", []string{"ipv4 45.1.2.3"}},
	{"ipv4 documentation defanged", "The C2 was 203.0.113[.]9 in the report.", "", []string{"ipv4 203.0.113.9"}},
	{"ipv4 documentation with cue", "The C2 IP was 203.0.113.9 in the redacted report.", "", []string{"ipv4 203.0.113.9"}},
	{"not ipv4: version word", "Upgrade to version 4.2.1.8 now.", "", nil},
	{"not ipv4: v prefix", "Firmware v4.2.1.8 is affected.", "", nil},
	{"not ipv4: release word", "Release 12.4.0.77 fixes it.", "", nil},
	{"not ipv4: single digits", "Set the value to 1.2.3.4 in the file.", "", nil},
	{"not ipv4: five parts", "The build 45.1.2.3.5 shipped.", "", nil},
	{"not ipv4: five parts no cue", "See 45.1.2.3.5 for details.", "", nil},
	{"not ipv4: octet above 255", "Chrome 120.0.6099.109 fixes it.", "", nil},
	{"not ipv4: leading zero", "The value 045.1.2.3 was odd.", "", nil},
	{"not ipv4: private 10/8", "It scanned 10.1.2.3 internally.", "", nil},
	{"not ipv4: private 172.16/12", "It scanned 172.20.1.9 internally.", "", nil},
	{"not ipv4: private 192.168/16", "The malicious host was 192.168.4.20.", "", nil},
	{"not ipv4: loopback even with cue", "The C2 IP address 127.0.0.1 is a test.", "", nil},
	{"not ipv4: loopback defanged", "It used 127.0.0[.]1 locally.", "", nil},
	{"not ipv4: link-local", "It fell back to 169.254.3.3 then.", "", nil},
	{"not ipv4: unspecified", "It listened on 0.0.0.0 all along.", "", nil},
	{"not ipv4: multicast", "It sent packets to 239.1.2.3 on the LAN.", "", nil},
	{"not ipv4: broadcast netmask", "The netmask was 255.255.255.0 as usual.", "", nil},
	{"not ipv4: documentation", "Examples use 198.51.100.7 throughout.", "", nil},
	{"not ipv4: date", "It was disclosed on 2023.10.12 by the firm.", "", nil},
	{"not ipv4: decimal", "Shares fell 3.4 percent to 145.20 dollars.", "", nil},
	{"not ipv4: letters after", "The tag 45.1.2.3abc was odd.", "", nil},
	{"not ipv4: digits before", "Serial 7.45.1.2.3 was odd.", "", nil},

	// IPv6
	{"ipv6 compressed", "The C2 listened on 2a04:9d4:8d9a::d017 as well.", "", []string{"ipv6 2a04:9d4:8d9a::d017"}},
	{"ipv6 full upper case", "Requests came from 2A08:CD20:4BE7:0:0:0:0:9E14 overnight.", "", []string{"ipv6 2a08:cd20:4be7::9e14"}},
	{"ipv6 bracketed with port", "Block [2a02:7d68:1ff6::f33a]:443 now.", "", []string{"ipv6 2a02:7d68:1ff6::f33a"}},
	{"ipv6 after label", "IPv6:2a02:7d68:1ff6::f33a was listed.", "", []string{"ipv6 2a02:7d68:1ff6::f33a"}},
	{"ipv6 sentence end", "The last one was 2a02:7d68:1ff6::f33a.", "", []string{"ipv6 2a02:7d68:1ff6::f33a"}},
	{"ipv6 documentation with cue", "The C2 IPv6 address was 2001:db8::7 in the redacted report.", "", []string{"ipv6 2001:db8::7"}},
	{"not ipv6: documentation", "The tutorial shows the address 2001:db8::1 as an example.", "", nil},
	{"not ipv6: loopback", "It bound to ::1 only.", "", nil},
	{"not ipv6: link-local", "It answered on fe80::1c2b:3dff:fe4e:9a01 only.", "", nil},
	{"not ipv6: unique local", "It used fd12:3456:789a::1 inside.", "", nil},
	{"not ipv6: multicast", "It joined ff02::1 on start.", "", nil},
	{"not ipv6: time", "The outage ran from 10:30:00 to 11:45:00.", "", nil},
	{"not ipv6: mac address", "Its MAC, 00:1A:2B:3C:4D:5E, was logged.", "", nil},
	{"not ipv6: c++ scope", "The bug is in std::vector::push_back.", "", nil},
	{"not ipv6: short groups", "The ratio a::b and 1:2::3 came up.", "", nil},

	// domains
	{"domain with cue", "The C2 domain update-cdn-check.net resolved elsewhere.", "", []string{"domain update-cdn-check.net"}},
	{"domain defanged [.]", "Victims visited secure-docu-share[.]com on Monday.", "", []string{"domain secure-docu-share.com"}},
	{"domain defanged (.)", "Beacons went to cdn-jquery-update(.)info daily.", "", []string{"domain cdn-jquery-update.info"}},
	{"domain defanged {.}", "Pages sat on banco-acesso{.}com.br for weeks.", "", []string{"domain banco-acesso.com.br"}},
	{"domain defanged [dot]", "They used login-auth[dot]com to phish.", "", []string{"domain login-auth.com"}},
	{"domain defanged (dot)", "They used login-auth(dot)com too.", "", []string{"domain login-auth.com"}},
	{"domain defanged [DOT] capitals", "They used LOGIN-AUTH[DOT]COM too.", "", []string{"domain login-auth.com"}},
	{"domain defanged spaced [dot]", "They used login-auth [dot] com too.", "", []string{"domain login-auth.com"}},
	{"domain defanged spaced [.]", "They used kr-gov-portal [.] kr too.", "", []string{"domain kr-gov-portal.kr"}},
	{"domain defanged spaces inside", "They used login-auth[ . ]com too.", "", []string{"domain login-auth.com"}},
	{"domain defanged .zip tld", "The domain invoice[.]zip served it.", "", []string{"domain invoice.zip"}},
	{"domain private suffix", "The host nexus-relay.duckdns.org relayed traffic.", "", []string{"domain nexus-relay.duckdns.org"}},
	{"domain trailing dot", "The phishing domain was paypa1-billing.com.", "", []string{"domain paypa1-billing.com"}},
	{"domain with curly apostrophe", "The phishing site paypa1-billing.com’s pages were copied.", "", []string{"domain paypa1-billing.com"}},
	{"domain of other scheme", "The spyware contacts its server at wss://relay-cdn.net:443/ws often.", "", []string{"domain relay-cdn.net"}},
	{"domain subdomain of excluded lookalike", "The attackers registered secure-outlet.com to fool readers.", "outlet.com", []string{"domain secure-outlet.com"}},
	{"example domain defanged", "The lure used example[.]com as its C2.", "", []string{"domain example.com"}},
	{"not domain: no cue", "The firm update-cdn-check.net said nothing.", "", nil},
	{"not domain: capitals", "The phishing hit Amazon.com and Booking.com users.", "", nil},
	{"not domain: product .js", "The malicious code targeted Node.js and next.js apps.", "", nil},
	{"not domain: asp.net", "The malicious page ran on ASP.NET servers.", "", nil},
	{"not domain: file .zip", "The malicious file invoice.zip was attached.", "", nil},
	{"not domain: file .py", "The malicious setup.py downloaded a payload.", "", nil},
	{"not domain: file .exe", "The malicious setup.exe downloaded a payload.", "", nil},
	{"not domain: file .pdf", "The phishing report.pdf was attached.", "", nil},
	{"not domain: unknown tld", "The malicious payload.dll and script.js were dropped.", "", nil},
	{"not domain: example", "The domain example.com is used in the docs.", "", nil},
	{"not domain: reserved tld", "The malicious domain evil.test was used in the lab.", "", nil},
	{"not domain: localhost", "The malicious server ran on dev.localhost for testing.", "", nil},
	{"not domain: excluded site", "The phishing story ran on news.outlet.com first.", "outlet.com", nil},
	{"not domain: excluded www", "The malicious site was reported by www.outlet.com.", "https://www.outlet.com/", nil},
	{"not domain: in a windows path", `The malicious C:\Temp\evil.com file ran.`, "", nil},
	{"not domain: suffix only", "The malicious domain co.uk is a suffix.", "", nil},
	{"not domain: java package", "The malicious app com.fastclean.booster was removed.", "", nil},

	// URLs
	{"url hxxp defanged ip", "It fetched hxxp://74.187.106[.]145/bins/mips today.", "", []string{"url http://74.187.106.145/bins/mips"}},
	{"url hxxps", "Links to hxxps://secure-login[.]com/a?id=1 were sent.", "", []string{"url https://secure-login.com/a?id=1"}},
	{"url hXXps and [:]", "(see hXXps[:]//files-share[.]net/d/8812)", "", []string{"url https://files-share.net/d/8812"}},
	{"url HXXPS capitals", "Served from HXXPS://Chrome-Update[.]com/Setup.exe.", "", []string{"url https://chrome-update.com/Setup.exe"}},
	{"url [://]", "The lure hxxp[://]91.120.244.22/invoice.hta was flagged.", "", []string{"url http://91.120.244.22/invoice.hta"}},
	{"url http[:]//", "The page http[:]//bad-cdn.biz/x was flagged.", "", []string{"url http://bad-cdn.biz/x"}},
	{"url fxp", "It uploaded to fxp://74.147.171.43/upload/ nightly.", "", []string{"url ftp://74.147.171.43/upload/"}},
	{"url meow", "It came from meow[:]//cdn-assets[.]org/js/app.js.", "", []string{"url http://cdn-assets.org/js/app.js"}},
	{"url plain with cue", "The phishing page is https://office-signin.com/login.php now.", "", []string{"url https://office-signin.com/login.php"}},
	{"url ip host needs no cue", "See http://69.253.24.171/setup.msi for it.", "", []string{"url http://69.253.24.171/setup.msi"}},
	{"url onion host", "Its blog is http://dxjhojprbtvjj656.onion/blog today.", "", []string{"url http://dxjhojprbtvjj656.onion/blog"}},
	{"url port", "The C2 is hxxp://58.193.20[.]217:8080 now.", "", []string{"url http://58.193.20.217:8080"}},
	{"url ipv6 host", "The C2 is http://[2a02:7d68:1ff6::f33a]:8443/x now.", "", []string{"url http://[2a02:7d68:1ff6::f33a]:8443/x"}},
	{"url sentence end", "The phishing link was http://parcel-fee.com.", "", []string{"url http://parcel-fee.com"}},
	{"url quoted", "Victims were sent to 'hxxps://verify-center[.]net/login'.", "", []string{"url https://verify-center.net/login"}},
	{"url balanced parentheses kept", "The malicious page http://bad-wiki.com/Foo_(bar) loaded.", "", []string{"url http://bad-wiki.com/Foo_(bar)"}},
	{"url schemeless defanged", "It downloaded evil-cdn[.]net/static/loader.bin and ran it.", "", []string{"url evil-cdn.net/static/loader.bin"}},
	{"url schemeless ip", "The loader is fetched from 138.4.204.248/bins/arm7 by a script.", "", []string{"url 138.4.204.248/bins/arm7"}},
	{"url ipv4 path hides nothing else", "See hxxp://45.1.2.3/5a384eb65698c97ef9e76f13e13457eb.bin now.", "", []string{"url http://45.1.2.3/5a384eb65698c97ef9e76f13e13457eb.bin"}},
	{"not url: no cue", "The advisory is at https://www.cisa.gov/alerts/2024/x today.", "", nil},
	{"not url: localhost", "Open http://localhost:8080/admin to see it.", "", nil},
	{"not url: private ip", "The malicious panel was http://192.168.0.1/login.cgi all along.", "", nil},
	{"not url: excluded host", "Our phishing coverage: https://www.outlet.com/2023/x.", "outlet.com", nil},
	{"not url: excluded subdomain", "The malicious list is at https://labs.outlet.com/iocs.", "outlet.com", nil},
	{"not url: example", "The malware fetches http://example.com/payload in the docs.", "", nil},
	{"not url: masked host", "The malicious config held https://46.250.xx.12/jquery.min.js only.", "", nil},
	{"not url: bad port", "The malicious http://bad-cdn.biz:99999/x was odd.", "", nil},
	{"not hash: in the path of an excluded host", "Our malicious-file story: outlet.com/files/52c9f4bd09877a611c6dc2db1e3476dd.pdf today.", "outlet.com", nil},
	{"not hash: in the path of a name", "See GitHub.com/acme/x/commit/40f8e00cbb8dd4efbdc3f35d2af8e905cf13c982 for it.", "", nil},
	{"not url: other scheme only", "The malicious smb://fileserver/share was mapped.", "", nil},

	// e-mail
	{"email plain with cue", "The phishing emails came from billing@paypa1-secure.net today.", "", []string{"email billing@paypa1-secure.net"}},
	{"email [@]", "Messages came from payroll[@]hr-portal.com daily.", "", []string{"email payroll@hr-portal.com"}},
	{"email (@)", "Write to keymaster(@)proton-safe[.]me now.", "", []string{"email keymaster@proton-safe.me"}},
	{"email {@}", "Write to keymaster{@}proton-safe.me now.", "", []string{"email keymaster@proton-safe.me"}},
	{"email [at]", "The group listed blackvault[at]cock.li then.", "", []string{"email blackvault@cock.li"}},
	{"email (at) spaced", "Write to decryptor (at) tutanota [dot] com now.", "", []string{"email decryptor@tutanota.com"}},
	{"email [AT] capitals", "Write to decryptor[AT]tutanota[DOT]com now.", "", []string{"email decryptor@tutanota.com"}},
	{"email domain lower case", "Its sender, Invoice.Team@Acme-Payments.COM, was spoofed.", "", []string{"email Invoice.Team@acme-payments.com"}},
	{"email in angle brackets", "The phishing sender was 'Support <help@wallet-restore.com>' again.", "", []string{"email help@wallet-restore.com"}},
	{"not email: outlet", "Tips to the malicious-campaign desk: tips@outlet.com.", "outlet.com", nil},
	{"not email: no cue", "Press inquiries: media@globex-corp.com", "", nil},
	{"not email: handle", "Follow @securitydesk for phishing news.", "", nil},
	{"not email: no dot", "The phishing kit wrote to admin@localhost there.", "", nil},
	{"not email: prose (at)", "The phishing call came (at) noon.", "", nil},
	{"not email and not its domain: example", "The phishing sender was ops@example.com in the docs.", "", nil},
	{"email example with strong cue", "The malicious sender was ops@example.com in the redacted report.", "", []string{"email ops@example.com"}},

	// hashes
	{"md5", "MD5: 52c9f4bd09877a611c6dc2db1e3476dd", "", []string{"md5 52c9f4bd09877a611c6dc2db1e3476dd"}},
	{"md5 upper case", "MD5: 52C9F4BD09877A611C6DC2DB1E3476DD", "", []string{"md5 52c9f4bd09877a611c6dc2db1e3476dd"}},
	{"sha1", "SHA-1 40f8e00cbb8dd4efbdc3f35d2af8e905cf13c982.", "", []string{"sha1 40f8e00cbb8dd4efbdc3f35d2af8e905cf13c982"}},
	{"sha256", "sha256:7ffd8626c095443a08d8fe193fb85cd40930fa1b0a8d0385381d96908d04997f", "", []string{"sha256 7ffd8626c095443a08d8fe193fb85cd40930fa1b0a8d0385381d96908d04997f"}},
	{"sha256 as file name", "It dropped 6c9318ab2308d8569fcd0f92881daba36b357d8092642af145ad6ea29c4ba6ac.exe there.", "", []string{"sha256 6c9318ab2308d8569fcd0f92881daba36b357d8092642af145ad6ea29c4ba6ac"}},
	{"not hash: 31 characters", "Hash 5cb440157687d62600255f7e14ebc63 was cut.", "", nil},
	{"not hash: 33 characters", "Hash 5cb440157687d62600255f7e14ebc6381 was long.", "", nil},
	{"not hash: all digits", "Account 12345678901234567890123456789012 was flagged.", "", nil},
	{"not hash: one character", "Hash 00000000000000000000000000000000 is a default.", "", nil},
	{"not hash: letters only", "Token deadbeefdeadbeefdeadbeefdeadbeef is a test.", "", nil},
	{"not hash: mixed case", "Value 52c9F4bd09877a611c6dc2db1e3476dd was odd.", "", nil},
	{"not hash: ethereum", "Wallet 0x742d35Cc6634C0532925a3b844Bc454e4438f44e got funds.", "", nil},
	{"not hash: underscore joined", "Key k_52c9f4bd09877a611c6dc2db1e3476dd was leaked.", "", nil},
	{"not hash: git short", "Commit a3f9c2e fixed it.", "", nil},
	{"not hash: uuid", "Campaign 3f2504e0-4f89-11d3-9a0c-0305e82c3301 ran.", "", nil},

	// onion
	{"onion v3", "The leak site uu6oa7oornej7eixp7l3m2buatytqlkis7p7pwlf6tw2ak6cson5fcha.onion listed it.", "", []string{"onion uu6oa7oornej7eixp7l3m2buatytqlkis7p7pwlf6tw2ak6cson5fcha.onion"}},
	{"onion v2", "An old portal, dxjhojprbtvjj656.onion, closed.", "", []string{"onion dxjhojprbtvjj656.onion"}},
	{"onion defanged upper case", "Chat at DXJHOJPRBTVJJ656[.]ONION now.", "", []string{"onion dxjhojprbtvjj656.onion"}},
	{"not onion: wrong length", "A truncated darkvault7.onion was shown.", "", nil},
	{"not onion: bare tld", "It moved to a new .onion address.", "", nil},
	{"not onion: not base32", "The site dxjhojprbtvjj651.onion was fake.", "", nil},

	// bitcoin
	{"bitcoin p2pkh", "Pay to 1HUPqVWZMohhQmsGQHad5DdxMuzGNNmeid now.", "", []string{"bitcoin 1HUPqVWZMohhQmsGQHad5DdxMuzGNNmeid"}},
	{"bitcoin p2sh", "Wallet 3Ekp6oZuMcej2jRX1HFw36GTSp7owWqoGt got $2m.", "", []string{"bitcoin 3Ekp6oZuMcej2jRX1HFw36GTSp7owWqoGt"}},
	{"bitcoin bech32", "Pay bc1qy4u3wwvxl4j9q9ag6t45h2wdwvp6yh0uhs9pzc now.", "", []string{"bitcoin bc1qy4u3wwvxl4j9q9ag6t45h2wdwvp6yh0uhs9pzc"}},
	{"bitcoin bech32 upper case", "Pay BC1QY4U3WWVXL4J9Q9AG6T45H2WDWVP6YH0UHS9PZC now.", "", []string{"bitcoin bc1qy4u3wwvxl4j9q9ag6t45h2wdwvp6yh0uhs9pzc"}},
	{"bitcoin bech32m", "Pay bc1pt0wfu243f3av6z8kc08ru0w0jv0g78mzxjf95svqa4cam83jnhls0tqlm9 now.", "", []string{"bitcoin bc1pt0wfu243f3av6z8kc08ru0w0jv0g78mzxjf95svqa4cam83jnhls0tqlm9"}},
	{"bitcoin p2wsh", "Pay bc1qp433gc5lfuj807wg6tqm5gxsgctl233sexdh7qmj55w2r238y3xssnqfm4 now.", "", []string{"bitcoin bc1qp433gc5lfuj807wg6tqm5gxsgctl233sexdh7qmj55w2r238y3xssnqfm4"}},
	{"not bitcoin: base58 checksum", "Pay to 1HUPqVWZMohhQmsGQHad5DdxMuzGNNmeie now.", "", nil},
	{"not bitcoin: bech32 checksum", "Pay bc1qy4u3wwvxl4j9q9ag6t45h2wdwvp6yh0uhs9pzd now.", "", nil},
	{"not bitcoin: bech32 mixed case", "Pay bc1qy4u3wwvxl4j9q9ag6t45h2wdwvp6yh0uhs9pzC now.", "", nil},
	{"not bitcoin: bech32m checksum on v0", "Pay bc1qt0wfu243f3av6z8kc08ru0w0jv0g78mzxjf95svqa4cam83jnhls0tqlm9 now.", "", nil},
	{"not bitcoin: not base58", "Ref 1Z999AA10123456784OIl0 was quoted.", "", nil},
	{"not bitcoin: made up", "Pay bc1qthisisnotarealaddress now.", "", nil},

	// CVE
	{"cve", "They exploited CVE-2023-4966 widely.", "", []string{"cve CVE-2023-4966"}},
	{"cve lower case", "They exploited cve-2024-3400 widely.", "", []string{"cve CVE-2024-3400"}},
	{"cve en dash", "They exploited CVE–2023–20198 widely.", "", []string{"cve CVE-2023-20198"}},
	{"cve non-breaking hyphen", "They exploited CVE‑2023‑46805 widely.", "", []string{"cve CVE-2023-46805"}},
	{"cve seven digits", "They exploited CVE-2024-1234567 too.", "", []string{"cve CVE-2024-1234567"}},
	{"not cve: spaces", "They exploited CVE 2023 4966 widely.", "", nil},
	{"not cve: three digits", "They exploited CVE-2023-123 widely.", "", nil},
	{"not cve: no id", "A CVE-2023 id was requested.", "", nil},
	{"not cve: year", "They exploited CVE-1887-4966 widely.", "", nil},
	{"not cve: letters after", "They exploited CVE-2023-4966a widely.", "", nil},

	// refang forms that must not fire, and other prose
	{"not defanged: hxxp without scheme separator", "The hxxp prefix is common, and the C2 list is long.", "", nil},
	{"not defanged: bracket without flank", "The C2 list, [.] com, is odd.", "", nil},
	{"not indicator: phone", "Call +44 20 7946 0958 for the C2 helpline.", "", nil},
	{"not indicator: money", "The malicious gang took $4.5m, or 3.2% of revenue.", "", nil},
	{"not indicator: web 2.0", "Its Web 2.0 site was malicious.", "", nil},
	{"not indicator: windows build", "Windows 10.0.19045.3570 servers were hit.", "", nil},
	{"not indicator: base64", "The blob SGVsbG8gd29ybGQsIHRoaXMgaXMgYSB0ZXN0IHN0cmluZw== was malicious.", "", nil},
	{"not indicator: invalid utf-8", "The C2 \xff45.153.160.2\xfe was odd.", "", []string{"ipv4 45.153.160.2"}},
	{"not indicator: letter-joined", "Die Adresse ä45.153.160.2ö war seltsam.", "", nil},
}

func TestFind(t *testing.T) {
	for _, tc := range findCases {
		t.Run(tc.name, func(t *testing.T) {
			var opts Options
			if tc.site != "" {
				opts.ExcludeHosts = []string{tc.site}
			}
			var got []string
			for _, f := range testFinder.Find(tc.text, opts) {
				got = append(got, f.Type+" "+f.Value)
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("Find(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestFindOffsets checks the written forms, their offsets and Defanged.
func TestFindOffsets(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		written  []string
		defanged []bool
	}{
		{"plain", "The C2 at 45.153.160.2:443 is up.", []string{"45.153.160.2"}, []bool{false}},
		{"defanged dots", "The C2 at 45.153.160[.]2 is up.", []string{"45.153.160[.]2"}, []bool{true}},
		{"spaced dot", "Write to decryptor (at) tutanota [dot] com now.", []string{"decryptor (at) tutanota [dot] com"}, []bool{true}},
		{"scheme", "Get hXXps[:]//files-share[.]net/d/1).", []string{"hXXps[:]//files-share[.]net/d/1"}, []bool{true}},
		{"cve en dash", "Bug CVE–2023–20198 and 52c9f4bd09877a611c6dc2db1e3476dd.", []string{"CVE–2023–20198", "52c9f4bd09877a611c6dc2db1e3476dd"}, []bool{false, false}},
		{"after multibyte", "« Le C2 » était 45.153.160[.]2, dit-on.", []string{"45.153.160[.]2"}, []bool{true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := testFinder.Find(tc.text, Options{})
			if len(got) != len(tc.written) {
				t.Fatalf("Find(%q) = %+v, want %d indicators", tc.text, got, len(tc.written))
			}
			for i, f := range got {
				if w := tc.text[f.Start:f.End]; w != tc.written[i] {
					t.Errorf("indicator %d written %q, want %q", i, w, tc.written[i])
				}
				if (f.Defanged != "") != tc.defanged[i] || (f.Defanged != "" && f.Defanged != tc.written[i]) {
					t.Errorf("indicator %d Defanged %q, want defanged=%v", i, f.Defanged, tc.defanged[i])
				}
			}
		})
	}
}

func TestRefang(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"hxxp", "hxxp://evil.com", "http://evil.com"},
		{"hxxps", "hxxps://evil.com", "https://evil.com"},
		{"hXXp", "hXXp://evil.com", "http://evil.com"},
		{"HXXPS", "HXXPS://evil.com", "https://evil.com"},
		{"fxp", "fxp://evil.com", "ftp://evil.com"},
		{"meow", "meow://evil.com", "http://evil.com"},
		{"[.]", "evil[.]com", "evil.com"},
		{"(.)", "evil(.)com", "evil.com"},
		{"{.}", "evil{.}com", "evil.com"},
		{"[dot]", "evil[dot]com", "evil.com"},
		{"(dot)", "evil(dot)com", "evil.com"},
		{"{dot}", "evil{dot}com", "evil.com"},
		{"spaced [dot]", "evil [dot] com", "evil.com"},
		{"spaced [.]", "evil [.] com", "evil.com"},
		{"inner spaces", "evil[ . ]com", "evil.com"},
		{"[:]", "hxxps[:]//evil[.]com", "https://evil.com"},
		{"[://]", "hxxps[://]evil[.]com", "https://evil.com"},
		{"meow[:]", "meow[:]//evil[.]com", "http://evil.com"},
		{"[@]", "a[@]evil.com", "a@evil.com"},
		{"(@)", "a(@)evil.com", "a@evil.com"},
		{"[at]", "a[at]evil.com", "a@evil.com"},
		{"(at)", "a(at)evil.com", "a@evil.com"},
		{"spaced [at]", "a [at] evil [dot] com", "a@evil.com"},
		{"ip", "45[.]153[.]160[.]2", "45.153.160.2"},
		{"ipv6 [:]", "2a04[:]9d4::1", "2a04:9d4::1"},
		{"no flank left", "[.]com", "[.]com"},
		{"no flank right", "evil[.]", "evil[.]"},
		{"array slice", "a[:]", "a[:]"},
		{"index", "a[1] and f(x)", "a[1] and f(x)"},
		{"hxxp inside a word", "xhxxp://evil.com", "xhxxp://evil.com"},
		{"hxxp without separator", "the hxxp prefix", "the hxxp prefix"},
		{"two spaces", "evil  [.]  com", "evil  [.]  com"},
		{"plain", "nothing to do here.", "nothing to do here."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Refang(tc.in); got != tc.want {
				t.Errorf("Refang(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := Refang(tc.want); got != tc.want {
				t.Errorf("Refang(%q) = %q, not idempotent", tc.want, got)
			}
		})
	}
}

// TestFileExtensionsAreTLDs keeps the default pack's file-extensions to
// the extensions it needs: those a public suffix would otherwise accept.
func TestFileExtensionsAreTLDs(t *testing.T) {
	for _, ext := range testWords.FileExtensions {
		if !validDomain("name." + ext) {
			t.Errorf("file extension %q is no ICANN top-level domain: the list needs no entry for it", ext)
		}
	}
}

func ExampleFinder_Find() {
	text := "The loader fetched hxxp://74.187.106[.]145/bins/mips and beaconed to update-cdn-check[.]net (CVE-2023-4966)."
	f := New(Words{Cues: []string{"beacon*", "malicious"}, VersionWords: []string{"version"}})
	for _, f := range f.Find(text, Options{}) {
		fmt.Printf("%s %s %q\n", f.Type, f.Value, f.Defanged)
	}
	// Output:
	// url http://74.187.106.145/bins/mips "hxxp://74.187.106[.]145/bins/mips"
	// domain update-cdn-check.net "update-cdn-check[.]net"
	// cve CVE-2023-4966 ""
}

func ExampleRefang() {
	fmt.Println(Refang("hxxps[:]//evil[.]com/a and admin[at]evil[dot]com"))
	// Output: https://evil.com/a and admin@evil.com
}

// TestURLBeforeManyBrackets checks that a URL followed by a run of
// closing brackets ends where the URL does (the brackets have no opening
// one in it); BenchmarkFindClosingBrackets measures that the run costs
// linear time.
func TestURLBeforeManyBrackets(t *testing.T) {
	for _, n := range []int{1, 3, 1000} {
		text := "malicious http://45.1.2.3/a" + strings.Repeat(")", n)
		got := New(testWords).Find(text, Options{})
		if len(got) != 1 || got[0].Value != "http://45.1.2.3/a" {
			t.Errorf("%d brackets: %+v", n, got)
		}
	}
}

func BenchmarkFindClosingBrackets(b *testing.B) {
	f := New(testWords)
	text := "malicious http://45.1.2.3/a" + strings.Repeat(")", 100_000)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		f.Find(text, Options{})
	}
}
