package misp

import "testing"

func TestNames(t *testing.T) {
	w := newVocabulary(nil)
	tests := []struct {
		raw   string
		clean string // "" when dropped
		class nameClass
	}{
		{"LockBit", "LockBit", nameCapitals},
		{"WildFire", "WildFire", nameCapitals},
		{"MgBot", "MgBot", nameCapitals},
		{"JCrypt", "JCrypt", nameCapitals},
		{"Cl0p", "Cl0p", nameDistinct},
		{"BLame", "BLame", nameOrdinary},
		{"X4", "X4", nameOrdinary},
		{"Donald Trump", "Donald Trump", nameOrdinary},
		{"ALPHV", "ALPHV", nameOrdinary},
		{"APT28", "APT28", nameDistinct},
		{"Aqua Blizzard", "Aqua Blizzard", nameDistinct},
		{"Play", "Play", nameOrdinary},
		{"play", "Play", nameOrdinary},
		{"Kinsing", "Kinsing", nameOrdinary}, // one plain word: cues, whatever the lists say
		{"UPPERCUT", "UPPERCUT", nameOrdinary},
		{"Brown Fox", "Brown Fox", nameOrdinary},
		{"vice society", "Vice Society", nameOrdinary},
		{"Nokoyawa Ransomware", "Nokoyawa", nameOrdinary},
		{"Cobalt Strike - S0154", "Cobalt Strike", nameOrdinary},
		{"AppleJeus (OS X)", "AppleJeus", nameCapitals},
		{"Unidentified 104", "Unidentified 104", nameGeneric},
		{"Group 3", "Group 3", nameGeneric},
		{"TEMP.Veles", "TEMP.Veles", nameDistinct},
		{"Trojan.Win32.Agent", "", 0},
		{"Backdoor:Win32/Foo", "", 0},
		{"\"prepending (enc) ransomware\" (Not an official name)", "", 0},
		{"X", "", 0},
		{"1.0", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, ok := cleanName(tt.raw)
			if !ok {
				got = ""
			}
			if got != tt.clean {
				t.Fatalf("cleanName(%q) = %q, want %q", tt.raw, got, tt.clean)
			}
			if got != "" && w.classify(got) != tt.class {
				t.Errorf("classify(%q) = %d, want %d", got, w.classify(got), tt.class)
			}
		})
	}
	for _, s := range []string{"Snake", "Hunter", "hunters", "ZINC", "Net", "Paris", "BLame", "Lena"} {
		if !w.ordinaryAlias(s) {
			t.Errorf("ordinaryAlias(%q) = false", s)
		}
	}
	for _, s := range []string{"Sofacy", "Gamaredon", "Comment Crew", "APT28", "MgBot"} {
		if w.ordinaryAlias(s) {
			t.Errorf("ordinaryAlias(%q) = true", s)
		}
	}
	// Short names still link clusters; dictionary words do not.
	if w.dictionaryWord("Kazu") || !w.dictionaryWord("Snake") {
		t.Error("dictionaryWord: want Kazu false, Snake true")
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Vanadium Heron": "vanadium-heron",
		"Lapsus$":        "lapsus",
		"Sath-ı Müdafaa": "sath-i-mudafaa",
		"TEMP.Veles":     "temp-veles",
		"火眼":             "cluster-12345678",
	} {
		if got := slug(in, "12345678-9abc"); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
