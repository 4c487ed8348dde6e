package indicator

import "github.com/incidex/incidex/rules"

// testWords are the default rule pack's word lists, which the labelled
// sentences and the table tests are written for; testFinder finds with
// them.
var (
	testWords = func() Words {
		set, err := rules.Default()
		if err != nil {
			panic(err)
		}
		return Words{
			Cues:           set.Words(rules.LexIndicatorCues),
			AddressCues:    set.Words(rules.LexAddressCues),
			VersionWords:   set.Words(rules.LexVersionWords),
			FileExtensions: set.Words(rules.LexFileExtensions),
		}
	}()
	testFinder = New(testWords)
)
