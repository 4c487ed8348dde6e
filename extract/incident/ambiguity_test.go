package incident_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/article"
	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/extracttest"
)

// summary flattens a result for comparison: per incident, "status |
// victims | actors | tooling".
func summary(r *record.Result) []string {
	var out []string
	for _, inc := range r.Incidents {
		var v, a, t []string
		for _, x := range inc.Victims {
			v = append(v, x.Name)
		}
		for _, x := range inc.Actors {
			a = append(a, x.Name)
		}
		for _, x := range inc.Tooling {
			t = append(t, x.Name)
		}
		out = append(out, inc.Status+" | "+strings.Join(v, ",")+" | "+strings.Join(a, ",")+" | "+strings.Join(t, ","))
	}
	return out
}

func newArticle(title string, paragraphs ...string) *article.Article {
	return &article.Article{Input: "test", Title: title, Paragraphs: paragraphs, Text: strings.Join(paragraphs, "\n\n")}
}

// TestAmbiguousNames checks names that are ordinary words or that two
// dictionary entries share.
func TestAmbiguousNames(t *testing.T) {
	x := extracttest.Default(t)
	tests := []struct {
		name    string
		article *article.Article
		want    []string // summary lines, any order
		never   []string // names that must appear nowhere in the output
	}{
		{
			name: "Royal Mail is not Royal ransomware",
			article: newArticle("Royal Mail halts overseas post after cyber incident",
				"Royal Mail said its international export services were severely disrupted after a cyber incident on Tuesday.",
				"The attack has been linked to the LockBit ransomware gang, which posted a ransom note on printers at a distribution centre."),
			want:  []string{"confirmed | Royal Mail | LockBit | LockBit"},
			never: []string{`"Royal"`},
		},
		{
			name: "Royal ransomware named with its cue",
			article: newArticle("Dallas struggles to restore services",
				"The City of Dallas was hit by Royal ransomware in May, and the Royal gang claimed responsibility for the attack on its leak site."),
			want: []string{"confirmed | City of Dallas | Royal | Royal"},
		},
		{
			name: "a cluster number the dictionary lists is that group",
			article: newArticle("Merrow Casinos hacked",
				"Octo Tempest, which Mandiant tracks as UNC3944, breached Merrow Casinos."),
			want: []string{"confirmed | Merrow Casinos | Scattered Spider | "},
		},
		{
			name: "cluster numbers it does not list are named by the scheme",
			article: newArticle("Carrow Networks breach",
				"Hackers breached Carrow Networks, and Mandiant attributed the intrusion to UNC4990 and Storm-2035."),
			want: []string{"confirmed | Carrow Networks | Storm-2035,UNC4990 | "},
		},
		{
			name: "a scheme match must cover whole tokens",
			article: newArticle("Orla Biotech breach",
				"Hackers breached Orla Biotech, whose logs show servers tagged UNC123456 and XUNC4990."),
			want:  []string{"confirmed | Orla Biotech |  | "},
			never: []string{`"UNC12345"`, `"UNC4990"`},
		},
		{
			name: "play the verb is not Play the gang",
			article: newArticle("Rackspace email outage",
				"Customers had to play a waiting game for days.",
				"Rackspace was hit by the Play ransomware gang, which encrypted its hosted Exchange servers."),
			want: []string{"confirmed | Rackspace | Play | Play"},
		},
		{
			name: "DragonForce the ransomware cartel is not DragonForce Malaysia",
			article: newArticle("Retailer hit by ransomware",
				"Marks & Spencer was hit by a cyber attack that used a tool from the DragonForce ransomware cartel."),
			want:  []string{"confirmed | Marks & Spencer | DragonForce | DragonForce"},
			never: []string{"DragonForce Malaysia"},
		},
		{
			name: "DragonForce Malaysia the hacktivists",
			article: newArticle("Government sites defaced",
				"Hacktivist group DragonForce Malaysia claimed responsibility for defacing websites of the Ministry of Education."),
			never: []string{`"DragonForce"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := x.Article(tt.article)
			got := summary(r)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing incident %q; got %q", w, got)
				}
			}
			out := jsonString(t, r)
			for _, n := range tt.never {
				if strings.Contains(out, n) {
					t.Errorf("output names %s:\n%s", n, out)
				}
			}
		})
	}
}

// TestCoopAndMarksAndSpencer is the example of the product brief, in our
// own words: two incidents, and the police, the agency, the newspaper and the
// survey it quotes are neither victims nor actors.
func TestCoopAndMarksAndSpencer(t *testing.T) {
	x := extracttest.Default(t)
	a := newArticle("Co-op shuts parts of its IT systems after attempted hack",
		"The Co-op has shut down parts of its IT systems after hackers tried to gain unauthorised access, days after Marks & Spencer was hit by a cyber attack.",
		"The Co-op said the incident had a small impact on some of its back office and call centre systems.",
		"The attack on M&S has been linked to a group called Scattered Spider, and used a tool from the DragonForce ransomware cartel. M&S was unable to process contactless payments and paused online orders.",
		"Police and the National Crime Agency are investigating, the newspaper reported. A survey by the consultancy Brightline found most retailers expect an attack this year.")
	r := x.Article(a)
	got := summary(r)
	want := []string{
		"attempted | Co-op |  | ",
		"confirmed | Marks & Spencer | DragonForce,Scattered Spider | DragonForce",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing incident %q; got %q", w, got)
		}
	}
	if len(got) != 2 {
		t.Errorf("got %d incidents, want 2: %q", len(got), got)
	}
	out := jsonString(t, r)
	for _, bad := range []string{`"name":"Police"`, `"name":"Brightline"`} {
		if strings.Contains(strings.ReplaceAll(out, " ", ""), bad) && !strings.Contains(out, "responders") {
			t.Errorf("output has %s outside responders", bad)
		}
	}
	for _, inc := range r.Incidents {
		for _, v := range inc.Victims {
			if strings.Contains(v.Name, "Crime Agency") || strings.Contains(v.Name, "Brightline") || v.Name == "Police" {
				t.Errorf("%s is not a victim", v.Name)
			}
		}
	}
}

func jsonString(t *testing.T, v any) string {
	t.Helper()
	var b strings.Builder
	enc := newEncoder(&b)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
