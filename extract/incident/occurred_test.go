package incident_test

import (
	"testing"

	"github.com/incidex/incidex/internal/extracttest"
)

// TestOccurred checks the date an incident's text gives its attack: the
// forms of a date, a month without a year read against publication, and
// the dates that belong to something else (a deadline, an earlier attack
// the article recalls, a denial).
func TestOccurred(t *testing.T) {
	x := extracttest.Default(t)
	tests := []struct {
		name      string
		published string
		title     string
		text      []string
		want      string // "" for no date
	}{
		{"month without year, follow-up months later", "2025-09-23T08:00:00Z", "Regulator reprimands academy trust over ransomware attack",
			[]string{"The Information Commissioner's Office has reprimanded the Wyndcliffe Academy Trust after a ransomware attack in May exposed notes about pupils.", "The attackers encrypted the trust's servers and copied files."},
			"2025-05"},
		{"possessive month", "2025-07-14", "Thirlmoor Logistics puts cost of ransomware attack at £3.1m",
			[]string{"Thirlmoor Logistics has put the cost of January's ransomware attack at £3.1m.", "The attack by the Copper Wren gang kept Thirlmoor's lorries off the road for four days."},
			"2025-01"},
		{"month after publication month is last year's", "2025-02-10", "Retailer fined",
			[]string{"Ossery Retail was fined after hackers stole customer records in November."},
			"2024-11"},
		{"day month year", "2025-06-01", "Clinic breach",
			[]string{"Hackers breached the Marl Clinic network on 14 March 2025 and stole patient files."},
			"2025-03-14"},
		{"American order with an abbreviation", "2025-09-10", "Lystra Marine Services discloses ransomware attack",
			[]string{"Lystra Marine Services said it detected the attack on Sept. 5 and took systems offline."},
			"2025-09-05"},
		{"the earliest of two dates of the attack", "2025-11-18", "Builders' merchant fined",
			[]string{"Halden & Crewe was fined after staff records were stolen by a ransomware gang in March.",
				"The gang behind the attack published the stolen files in April after Halden & Crewe refused to pay."},
			"2025-03"},
		{"a year after in", "2025-01-20", "Council settles claim",
			[]string{"Fenwick Council settled a claim over the breach in 2023 that exposed tenants' records."},
			"2023"},
		{"a deadline is no date of the attack", "2025-12-03", "Gang claims haulier attack",
			[]string{"A group called Ashen Choir has claimed this week's cyber attack on Thirlmoor Logistics and set a deadline of December 12 for payment of the ransom."},
			""},
		{"an earlier attack the article recalls", "2025-12-02", "Haulier hit again",
			[]string{"Thirlmoor Logistics has been hit by a cyber attack for the second time this year, less than eleven months after ransomware brought its fleet to a halt in January."},
			""},
		{"a denial", "2025-12-03", "Gang claims haulier attack",
			[]string{"Thirlmoor Logistics was hit by a cyber attack this week. Ashen Choir is not the gang that hit Thirlmoor Logistics in January."},
			""},
		{"a first name is no month", "2025-06-10", "Clinic hit by ransomware",
			[]string{"Harrow Clinic was hit by ransomware, chief executive June Okafor said the attack disrupted appointments.", "Spokesperson Jan Peters said the attack on Harrow Clinic was contained."},
			""},
		{"a count after the day is no year", "2025-06-10", "Clinic breach",
			[]string{"On March 5, 2000 patient records were stolen from Harrowgate Clinic, the clinic said."},
			"2025-03-05"},
		{"a capital Mid- at the start of a sentence", "2025-06-10", "Clinic breach",
			[]string{"Mid-March, hackers breached Harrowgate Clinic and stole patient files."},
			"2025-03"},
		{"a month name that is a modal verb", "2025-06-10", "Bank warns customers",
			[]string{"Harrow Bank said hackers may have stolen card numbers in the attack."},
			""},
		{"a date with no attack in its clause", "2025-06-10", "Insurer hit by ransomware",
			[]string{"Kestrel Insurance, founded in March 1990, was hit by ransomware this week.", "Kestrel Insurance said its claims systems were offline after the attack."},
			""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newArticle(tt.title, tt.text...)
			a.Published = tt.published
			r := x.Article(a)
			if len(r.Incidents) == 0 {
				t.Fatalf("no incident in %q", tt.text)
			}
			got := ""
			if o := r.Incidents[0].Occurred; o != nil {
				got = o.Date
				if len(o.Evidence) == 0 || o.Evidence[0].Rule != "attack-date" {
					t.Errorf("occurred %s has evidence %+v, want an attack-date sentence", got, o.Evidence)
				}
			}
			if got != tt.want {
				t.Errorf("occurred = %q, want %q", got, tt.want)
			}
		})
	}
}
