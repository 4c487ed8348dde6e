package article

import (
	"strings"
	"testing"
)

func TestStripRawText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"script and style emptied", `<p>a</p><script>var x = "<p>no</p>";</script><style>p{}</style><p>b</p>`,
			`<p>a</p><script></script><style></style><p>b</p>`},
		{"attributes and case kept", `<SCRIPT type="text/javascript" src=x>go()</SCRIPT >`, `<SCRIPT type="text/javascript" src=x></SCRIPT >`},
		{"json-ld kept", `<script type="application/ld+json">{"headline":"x"}</script>`, `<script type="application/ld+json">{"headline":"x"}</script>`},
		{"comment with a script tag left alone", `<!-- <script> --><p>kept</p><script>x</script>`, `<!-- <script> --><p>kept</p><script></script>`},
		{"unclosed script left to the parser", `<p>a</p><script>never closed <p>b</p>`, `<p>a</p><script>never closed <p>b</p>`},
		{"scripted is not script", `<scripted>x</scripted><styles>y</styles>`, `<scripted>x</scripted><styles>y</styles>`},
		{"close tag inside a string ends the script, as in browsers", `<script>a="</script>"</script>`, `<script></script>"</script>`},
		{"nothing to strip", `<p>plain</p>`, `<p>plain</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(stripRawText([]byte(tt.in))); got != tt.want {
				t.Errorf("stripRawText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzStripRawText checks that stripping never panics, never grows the page
// and keeps every byte outside scripts and styles.
func FuzzStripRawText(f *testing.F) {
	f.Add([]byte(`<p>a</p><script>x</script><!-- c --><style>y</style>`))
	f.Add([]byte(`<script type="application/ld+json">{}</script><script`))
	f.Fuzz(func(t *testing.T, src []byte) {
		out := stripRawText(src)
		if len(out) > len(src) {
			t.Fatalf("grew from %d to %d bytes", len(src), len(out))
		}
		if !strings.Contains(strings.ToLower(string(src)), "<s") && string(out) != string(src) {
			t.Fatal("changed a page without script or style tags")
		}
	})
}
