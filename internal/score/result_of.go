package score

import "github.com/incidex/incidex/extract/record"

// RecordOf turns what incidex extract returns for a page into the scorer's
// record: victims and actors with their aliases, tools by name, impacts by
// kind, as the scorer reads incidex's JSON.
func RecordOf(page string, r *record.Result) Record {
	rec := Record{Page: page}
	for _, inc := range r.Incidents {
		si := Incident{Status: inc.Status}
		for _, v := range inc.Victims {
			si.Victims = append(si.Victims, Item{Name: v.Name, Aliases: v.Aliases})
		}
		for _, a := range inc.Actors {
			si.Actors = append(si.Actors, Item{Name: a.Name, Aliases: a.Aliases})
		}
		for _, t := range inc.Tooling {
			si.Tooling = append(si.Tooling, Item{Name: t.Name})
		}
		for _, im := range inc.Impacts {
			si.Impacts = append(si.Impacts, im.Kind)
		}
		rec.Incidents = append(rec.Incidents, si)
	}
	return rec
}
