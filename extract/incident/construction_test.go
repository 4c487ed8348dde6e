package incident_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/internal/extracttest"
)

// construction is a short article written in the shape of a kind of
// failure seen on unseen news (issue 9), with what the extractor must and
// must not find. Names are invented; the wording is new, so that the rules
// cannot have been written for these sentences.
type construction struct {
	name       string
	title      string
	paragraphs []string
	// incidents, when not 0, is how many incidents the article reports;
	// -1 means none.
	incidents int
	victims   []string // each a victim of some incident
	notVictim []string // names no incident may hold as a victim
	actors    []string // "name" or "name=attribution", each an actor of some incident
	notActor  []string
	together  [][2]string // victim and actor that must share an incident
	tooling   []string
	aliases   map[string][]string // actor -> aliases it must carry
	// known says why a check fails today, by the check's message; a known
	// miss that no longer happens fails the test so that it is removed.
	known map[string]string
}

// TestConstructions runs the kinds of failure of issue 9 in new wording,
// positive and negative.
func TestConstructions(t *testing.T) {
	x := extracttest.Default(t)
	for _, c := range constructions {
		t.Run(c.name, func(t *testing.T) {
			r := x.Article(newArticle(c.title, c.paragraphs...))
			problems := checkConstruction(c, r)
			for _, p := range problems {
				if why, ok := c.known[p]; ok {
					t.Logf("known miss: %s (%s)", p, why)
					continue
				}
				t.Errorf("%s\n  got %q", p, summary(r))
			}
			for p := range c.known {
				if !slices.Contains(problems, p) {
					t.Errorf("known miss no longer happens, remove it: %s", p)
				}
			}
		})
	}
}

var constructions = []construction{
	// 1. Headlines and leads that no victim pattern reads.
	{
		name:       "headline: incident tied to a ransomware brand",
		title:      "Brennock Foods cyber incident tied to LockBit ransomware",
		paragraphs: []string{"Brennock Foods, a frozen-food maker in Leeds, said on Monday that a cyber incident had disrupted deliveries to supermarkets for three days.", "People familiar with the investigation said the LockBit ransomware was found on its servers."},
		victims:    []string{"Brennock Foods"},
		tooling:    []string{"LockBit"},
	},
	{
		name:       "lead: paid a ransom to regain access",
		title:      "Clinic pays $40,000 ransom; patient files safe",
		paragraphs: []string{"Harewood Family Clinic paid a $40,000 ransom to criminals to regain access to its computer systems, its director said on Friday.", "No patient records were taken, the clinic said."},
		victims:    []string{"Harewood Family Clinic"},
	},
	{
		name:       "lead: still unable to work after an incident",
		title:      "Drivers queue as Castlebury parking outage drags into second week",
		paragraphs: []string{"Castlebury Borough Council is still unable to issue parking permits after a cyber incident took its online services down ten days ago.", "A council spokesperson said staff were issuing paper permits at the town hall."},
		victims:    []string{"Castlebury Borough Council"},
	},
	{
		name:       "lead: rebuilding what it shut down",
		title:      "Ferrow port rebuilds systems after two cyberattacks",
		paragraphs: []string{"Ferrow Port Authority is rebuilding the computer systems it shut down after two cyberattacks in a week, its chief executive told shipping customers.", "Cargo is being handled with paper manifests until the systems are restored."},
		victims:    []string{"Ferrow Port Authority"},
	},
	// 2. No named victim, but a named gang, flaw and web shell.
	{
		name:       "no victim: gang, CVE and web shell",
		title:      "Extortion gang exploits file-transfer flaw to plant web shells",
		paragraphs: []string{"The Clop extortion gang has been exploiting CVE-2025-31161 in a widely used file-transfer server to plant a web shell and steal data, researchers said on Tuesday.", "The flaw was patched last month, but thousands of servers remain exposed."},
		incidents:  1,
		actors:     []string{"Clop"},
		tooling:    []string{"CVE-2025-31161"},
	},
	// 3. Lists of victims.
	{
		name:       "list: all confirmed they were among them, as did another",
		title:      "Payroll supplier breach spreads to its clients",
		paragraphs: []string{"Hackers stole employee records from Talland Payroll, which serves about 900 employers, the company said on Thursday.", "Ardent Insurance, Wexley Mutual and Harrow Credit Union all confirmed they were among its affected clients, as did Corbin Savings."},
		victims:    []string{"Talland Payroll", "Ardent Insurance", "Wexley Mutual", "Harrow Credit Union", "Corbin Savings"},
		known: map[string]string{
			`victim "Corbin Savings" missing`: "'as did X' after the list carries no cue the victim model reads",
		},
	},
	{
		name:       "list: researchers quoted about an attack are not victims",
		title:      "Hospital group hit by ransomware",
		paragraphs: []string{"Ransomware hit Denholm Health Group on Sunday, forcing its hospitals to divert ambulances.", "Analysts at Greyfield Research and Tamworth Labs said the attack bore the marks of a known gang."},
		victims:    []string{"Denholm Health Group"},
		notVictim:  []string{"Greyfield Research", "Tamworth Labs"},
	},
	// 4. Linkage in a roundup: each item's actor stays with its victim.
	{
		name:  "roundup: each actor with its own victim",
		title: "This week in cyber: a bank and a council hit",
		paragraphs: []string{
			"Bramble Bank was hit by a ransomware attack that Akira claimed on its leak site on Wednesday.",
			"Separately, the website of Quillby District Council was knocked offline by NoName057(16), a pro-Russian hacktivist group.",
		},
		victims:  []string{"Bramble Bank", "Quillby District Council"},
		together: [][2]string{{"Bramble Bank", "Akira"}, {"Quillby District Council", "NoName057(16)"}},
	},
	// 5. Aliases in apposition are one actor.
	{
		name:       "alias: also known as",
		title:      "Logistics firm hit by data theft",
		paragraphs: []string{"Hackers stole shipping records from Marlin Freight last month.", "The attack was claimed by Silk Viper, also known as Jade Needle, on its leak site."},
		victims:    []string{"Marlin Freight"},
		actors:     []string{"Silk Viper=claimed"},
		notActor:   []string{"Jade Needle"},
		aliases:    map[string][]string{"Silk Viper": {"Jade Needle"}},
	},
	// 6. Attribution strength.
	{
		name:       "attribution: a report that a crew is linked is a suspicion",
		title:      "Retailer hit by cyberattack",
		paragraphs: []string{"Hackers hit Pennant Stores on Saturday, halting online orders.", "A hacking crew said to include teenagers in two countries, Scattered Spider, has been linked to the Pennant attack, according to media reports."},
		victims:    []string{"Pennant Stores"},
		actors:     []string{"Scattered Spider=suspected"},
	},
	{
		name:       "attribution: a later claim of responsibility is a claim",
		title:      "School district confirms ransomware attack",
		paragraphs: []string{"Oakvale Unified School District confirmed a ransomware attack on its servers on Monday.", "Two days later, Medusa claimed responsibility and demanded $1 million."},
		victims:    []string{"Oakvale Unified School District"},
		actors:     []string{"Medusa=claimed"},
	},
	// 7. Short forms, titles and names with commas.
	{
		name:       "short form: an acronym is the victim, not an actor",
		title:      "H&R confirms customer data stolen in cyber attack",
		paragraphs: []string{"Hollin & Rowe, the department store chain, said hackers had stolen customer names and addresses.", "The attack on H&R has been linked to a group known as Scattered Spider, according to reports."},
		victims:    []string{"Hollin & Rowe"},
		notActor:   []string{"H&R", "Hollin & Rowe"},
		together:   [][2]string{{"Hollin & Rowe", "Scattered Spider"}},
	},
	{
		name:       "title: a chief executive is not a victim",
		title:      "Tessara Health hit by ransomware",
		paragraphs: []string{"Tessara Health was hit by a ransomware attack on Tuesday, Tessara Health chief executive Dana Mills said in a statement.", "Mills said patient care had not been affected."},
		victims:    []string{"Tessara Health"},
		notVictim:  []string{"Dana Mills", "Tessara Health chief executive Dana Mills"},
	},
	{
		name:       "contraction: a quoted \"I’m\" is no name",
		title:      "Pellow Dental hit by ransomware",
		paragraphs: []string{"Ransomware hit Pellow Dental on Monday and appointments were cancelled.", "\"I’m angry that nobody told us,\" said a patient after the attack on Pellow Dental."},
		victims:    []string{"Pellow Dental"},
		notVictim:  []string{"I’m", "I'm"},
	},
	// 8. Cues of the victim's role that no pattern reads: what was taken
	// from it, the examples of what an attack affected, a speaker that
	// stopped an attempt or whose own systems were hit, a name also quoted
	// as a source.
	{
		name:       "cue: files stolen from the company X",
		title:      "Radiation monitoring records taken in server breach",
		paragraphs: []string{"Hackers have stolen staff dosage records from the company Brantley Dosimetry, which checks radiation exposure for a dozen hospital trusts.", "Brantley Dosimetry has written to the trusts, and their managers said the records held names and dates of birth."},
		victims:    []string{"Brantley Dosimetry"},
	},
	{
		name:       "cue: theft in another clause is no cue",
		title:      "Toy maker's cloud database exposed in hack",
		paragraphs: []string{"Hackers stole voice recordings from Kittering Toys after the firm left a database open to the internet.", "Kittering Toys sells talking teddy bears in 20 countries.", "The files were stolen, investigators from Marloe Forensics said on Friday."},
		victims:    []string{"Kittering Toys"},
		notVictim:  []string{"Marloe Forensics"},
		known: map[string]string{
			`victim "Kittering Toys" missing`: "'stole voice recordings from Kittering Toys' is read (taken_from), but a name in two sentences of a three-sentence text scores 0.29, under the refitted threshold of 0.30",
		},
	},
	{
		name:       "cue: affected institutions including a list",
		title:      "Worm spreads through shipping and energy firms",
		paragraphs: []string{"The malware spread within hours, with affected companies including Oresund Freight, Pavlova Energy and Tillbury Pharma reporting encrypted machines.", "Few of them paid, analysts said."},
		victims:    []string{"Oresund Freight", "Pavlova Energy", "Tillbury Pharma"},
	},
	{
		name:       "cue: examples without an attack are no cue",
		title:      "Ransomware hits Corlan Dairy",
		paragraphs: []string{"Ransomware hit Corlan Dairy on Sunday and halted deliveries.", "Sponsors of the regional food fair, including Hesketh Bakeries and Lindow Orchards, said the fair would go ahead."},
		victims:    []string{"Corlan Dairy"},
		notVictim:  []string{"Hesketh Bakeries", "Lindow Orchards"},
	},
	{
		name:       "cue: said it had thwarted an attempt",
		title:      "Water company fends off attempt to reach treatment controls",
		paragraphs: []string{"Aldwick Water said it had thwarted an attempted intrusion into the network that runs its treatment works on Saturday.", "No customers were affected, the company said."},
		victims:    []string{"Aldwick Water"},
	},
	{
		name:       "cue: said customers suffered after a gang encrypted its system",
		title:      "Opticians unable to book eye tests after ransomware",
		paragraphs: []string{"Harland Opticians, which has 80 stores in Wales, said customers could not book eye tests this week after a criminal gang encrypted its booking system.", "Stores are taking bookings by phone."},
		victims:    []string{"Harland Opticians"},
	},
	{
		name:       "cue: a denied breach of its own systems is no cue",
		title:      "Ferrow Rail freezes loyalty accounts after password attack",
		paragraphs: []string{"Ferrow Rail froze accounts in its RailMiles scheme after criminals logged in with passwords leaked from other websites.", "The operator said the attackers had not breached its own systems.", "Members can reset their passwords on the RailMiles website."},
		victims:    []string{"Ferrow Rail"},
		notVictim:  []string{"RailMiles"},
	},
	{
		name:       "cue: quoted as a source and named as hacked",
		title:      "Hackers leak unreleased episodes of streaming shows",
		paragraphs: []string{"According to Larkspur Sound, a post-production studio in Burbank, its clients include three streaming services.", "Larkspur Sound was hacked last year by a group calling itself Nightjar, which downloaded the episodes, the studio said."},
		victims:    []string{"Larkspur Sound"},
		known: map[string]string{
			`victim "Larkspur Sound" missing`: "a source is now a candidate, but 'according to' counts twice against it (source and vendor) and the model scores it 0.12",
		},
	},
	{
		name:       "short form: the acronym a text uses for a victim is its alias",
		title:      "G&T confirms data leak",
		paragraphs: []string{"Gorringe & Tallis, the credit data firm, confirmed that a database of 30 million business contacts had leaked.", "G&T said the database was sold to marketers in 2019."},
		victims:    []string{"Gorringe & Tallis", "G&T"},
	},
	// Names and cues added for the merge set's misses (new wording).
	{
		name:  "list: victims counted before and named after 'The N are', separated by semicolons",
		title: "Leak site adds four names from file-server campaign",
		paragraphs: []string{
			"The Harrowgate crew posted four new organisations on its extortion site overnight, all of them running the exposed file server.",
			"The four are Pellbrook Housing Association, which had already reported a breach; the University of Stannard; Corvey District Council; and Ashdown Veterinary Group.",
		},
		victims: []string{"Pellbrook Housing Association", "University of Stannard", "Corvey District Council", "Ashdown Veterinary Group"},
	},
	{
		name:       "list: 'The N are' about something else gives no victims",
		title:      "Council names its new digital partners",
		paragraphs: []string{"Corvey District Council has chosen three suppliers for its new website.", "The three are Pellbrook Digital, Stannard Web and Ashdown Studio."},
		incidents:  -1,
	},
	{
		name:       "and: two full names of organisations are two victims",
		title:      "Insurer and building society caught up in transfer-tool breach",
		paragraphs: []string{"Hackers stole customer files from Tarrant Building Society and Ellwood Insurance through a flaw in their file-transfer software, both firms said."},
		victims:    []string{"Tarrant Building Society", "Ellwood Insurance"},
		notVictim:  []string{"Tarrant Building Society and Ellwood Insurance"},
	},
	{
		name:  "and: a name with 'and' inside stays whole",
		title: "Retailer hit by cyber attack",
		paragraphs: []string{"Marks and Spencer Group said a cyber attack had halted online orders.",
			"Marks and Spencer Group said stores were trading normally."},
		victims:   []string{"Marks and Spencer Group"},
		notVictim: []string{"Spencer Group"},
	},
	{
		name:       "apposition: the contractor named between commas was hit, not the client",
		title:      "Hack at contractor stops Fenmoor bin rounds",
		paragraphs: []string{"Fenmoor Borough Council has turned to paper schedules after its waste contractor, Fenmoor Waste Services Ltd, was hit by a cyber attack that disabled its route planning.", "Fenmoor Waste Services said no residents' data had been taken."},
		victims:    []string{"Fenmoor Waste Services Ltd"},
	},
	{
		name:  "roundup: a name alone as the item's heading, then 'the regional water supplier' took systems offline",
		title: "The week in breaches: a water company and a builder",
		paragraphs: []string{
			"Two incidents stood out this week.",
			"Kelsall Water. The regional water supplier took billing and its customer portal offline on Saturday after a ransomware attack.",
		},
		victims: []string{"Kelsall Water"},
	},
	{
		name:  "possessive: a name that holds its possessive is one name",
		title: "Every Gatsby's Diner worker hit by payroll data theft",
		paragraphs: []string{"A scammer obtained the tax forms of every employee at Gatsby's Diner after posing as the chain's owner in an email.",
			"Gatsby's said it had told the police and was offering staff credit monitoring."},
		victims:   []string{"Gatsby's Diner"},
		notVictim: []string{"Every Gatsby", "Diner"},
	},
	{
		name:  "possessive: a company's product stays apart when the text names the company alone",
		title: "Hackers breach Orrin's Cloudlet service",
		paragraphs: []string{"Hackers breached Orrin's Cloudlet service and stole customer files, Orrin said on Monday.",
			"Orrin said Cloudlet was back online."},
		victims:   []string{"Orrin"},
		notVictim: []string{"Orrin's Cloudlet"},
	},
	{
		name:       "cue: said it suffered a breach",
		title:      "Travel loyalty scheme warns members",
		paragraphs: []string{"Marlow Hotel Group has confirmed that it suffered a data breach affecting a small share of its loyalty members."},
		victims:    []string{"Marlow Hotel Group"},
	},
	{
		name:       "cue: an appositive name takes the verb after it",
		title:      "Hospitals pay ransoms to recover files",
		paragraphs: []string{"Ransomware gangs have targeted hospitals across the Midwest this year. One hospital, Kessler Health in Ohio, paid a $40,000 ransom to get its files back."},
		victims:    []string{"Kessler Health"},
	},
	{
		name:  "list: 'which also included' after what was compromised",
		title: "Hotel chain finds card-stealing malware at more sites",
		paragraphs: []string{"Hallam Hotels said hackers had planted malware on the payment systems of 400 of its hotels.",
			"Its own hotels were not the only ones compromised, which also included Redfern Inn, Alder Suites and Gable Lodge properties run by franchisees, the chain said."},
		victims: []string{"Hallam Hotels", "Redfern Inn", "Alder Suites", "Gable Lodge"},
		known: map[string]string{
			`victim "Redfern Inn" missing`:  "the list gets its cue (attack_on), but a name said once in a short text scores 0.19, under the model's 0.25",
			`victim "Alder Suites" missing`: "as Redfern Inn",
			`victim "Gable Lodge" missing`:  "as Redfern Inn",
		},
	},
	// Negative: a survey and a guide report no incident.
	{
		name:       "survey: no incident",
		title:      "Most mid-sized firms hit by ransomware paid up, survey finds",
		paragraphs: []string{"Three in five mid-sized companies hit by ransomware last year paid the criminals, according to a survey of 800 IT leaders published by Corvane Research.", "The British Library, which refused to pay after its 2023 attack, is cited in the report as an example."},
		incidents:  -1,
	},
	{
		name:       "guide: no incident",
		title:      "Five ways to protect your accounts before the next data breach",
		paragraphs: []string{"Data breaches at large companies such as Yahoo have exposed billions of passwords.", "Use a password manager and turn on two-factor authentication."},
		incidents:  -1,
	},
}

// checkConstruction returns what the result gets wrong, one message per
// check.
func checkConstruction(c construction, r *record.Result) []string {
	var out []string
	switch {
	case c.incidents == -1 && len(r.Incidents) != 0:
		out = append(out, "incidents: want none")
	case c.incidents > 0 && len(r.Incidents) != c.incidents:
		out = append(out, fmt.Sprintf("incidents: want %d", c.incidents))
	}
	victimOf := func(name string) int {
		for i, inc := range r.Incidents {
			for _, v := range inc.Victims {
				if v.Name == name || slices.Contains(v.Aliases, name) {
					return i
				}
			}
		}
		return -1
	}
	actorOf := func(name string) (int, *record.Actor) {
		for i, inc := range r.Incidents {
			for k, a := range inc.Actors {
				if a.Name == name {
					return i, &r.Incidents[i].Actors[k]
				}
			}
		}
		return -1, nil
	}
	for _, v := range c.victims {
		if victimOf(v) < 0 {
			out = append(out, fmt.Sprintf("victim %q missing", v))
		}
	}
	for _, v := range c.notVictim {
		for _, inc := range r.Incidents {
			for _, got := range inc.Victims {
				if strings.EqualFold(got.Name, v) {
					out = append(out, fmt.Sprintf("victim %q unexpected", v))
				}
			}
		}
	}
	for _, spec := range c.actors {
		name, attribution, _ := strings.Cut(spec, "=")
		_, a := actorOf(name)
		switch {
		case a == nil:
			out = append(out, fmt.Sprintf("actor %q missing", name))
		case attribution != "" && a.Attribution != attribution:
			out = append(out, fmt.Sprintf("actor %q attribution %s, want %s", name, a.Attribution, attribution))
		}
	}
	for _, name := range c.notActor {
		if i, _ := actorOf(name); i >= 0 {
			out = append(out, fmt.Sprintf("actor %q unexpected", name))
		}
	}
	for _, pair := range c.together {
		iv := victimOf(pair[0])
		ia, _ := actorOf(pair[1])
		if iv < 0 || ia != iv {
			out = append(out, fmt.Sprintf("actor %q not with victim %q", pair[1], pair[0]))
		}
	}
	for _, name := range c.tooling {
		found := false
		for _, inc := range r.Incidents {
			found = found || slices.ContainsFunc(inc.Tooling, func(tl record.Tool) bool { return tl.Name == name })
		}
		if !found {
			out = append(out, fmt.Sprintf("tool %q missing", name))
		}
	}
	for name, aliases := range c.aliases {
		_, a := actorOf(name)
		for _, alias := range aliases {
			if a == nil || !slices.Contains(a.Aliases, alias) {
				out = append(out, fmt.Sprintf("actor %q lacks alias %q", name, alias))
			}
		}
	}
	return out
}

// TestPossessiveNameForms runs texts that name "X's Y" in a short and a
// long form ("Tamsin's Velora", "Tamsin's Velora Cloud Platform"), which
// once cut a name at the wrong token and panicked.
func TestPossessiveNameForms(t *testing.T) {
	x := extracttest.Default(t)
	for _, paragraphs := range [][]string{
		{"Hackers breached Tamsin's Velora on Monday in a ransomware attack.", "Tamsin's Velora Cloud Platform was hit in the attack, the company said."},
		{"Tamsin's Velora Cloud Platform was hit in a ransomware attack on Monday.", "Many customers of Tamsin's Velora said services were offline after the attack."},
	} {
		r := x.Article(newArticle("Cloud platform hit by ransomware", paragraphs...))
		if len(r.Incidents) == 0 || len(r.Incidents[0].Victims) == 0 {
			t.Errorf("%q: no victim: %q", paragraphs, summary(r))
		}
	}
}
