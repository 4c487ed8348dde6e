package table

import (
	"strconv"

	"github.com/incidex/incidex/extract/record"
)

// MergedColumns are the header row of merged incidents ("incidex merge
// --format csv"), in order. block_key is the column an engine partitions
// by (see package merge); campaign groups the incidents of one wave.
var MergedColumns = []string{
	"id", "block_key", "campaign", "status", "first_reported", "last_reported", "occurred",
	"victims", "aliases", "sectors", "countries", "actors", "attribution",
	"tooling", "impacts", "indicators", "sources", "urls", "confidence",
}

// MergedRow is the row of one merged incident, each cell under
// MergedColumns: lists joined with Sep, an attribution as "name:
// attribution (source key)", a largest quantity as "kind: summary
// (value unit, source key)", sources as their count and urls as the
// sources' URLs (else canonical URLs, else inputs) in source order.
func MergedRow(m *record.Merged) []string {
	var victims, aliases, sectors, countries, actors, attribution, tooling, impacts, indicators, urls []string
	for _, v := range m.Victims {
		victims = append(victims, v.Name)
		aliases = append(aliases, v.Aliases...)
		sectors = appendNew(sectors, v.Sector)
		countries = appendNew(countries, v.Country)
	}
	for _, a := range m.Actors {
		actors = append(actors, a.Name)
		attribution = append(attribution, a.Name+": "+a.Attribution+" ("+a.AttributionSource+")")
	}
	for _, t := range m.Tooling {
		tooling = append(tooling, t.Name+" ("+t.Kind+")")
	}
	for _, im := range m.Impacts {
		s := im.Kind + ": " + im.Summary
		if q := im.Quantity; q != nil {
			s += " (" + strconv.FormatFloat(q.Value, 'f', -1, 64) + " " + q.Unit + ", " + im.QuantitySource + ")"
		}
		impacts = append(impacts, s)
	}
	for _, ind := range m.Indicators {
		indicators = append(indicators, ind.Type+": "+ind.Value)
	}
	for _, s := range m.Sources {
		urls = append(urls, firstNonEmpty(s.URL, s.CanonicalURL, s.Input))
	}
	occurred := ""
	if m.Occurred != nil {
		occurred = m.Occurred.Date
	}
	return []string{
		m.ID, m.BlockKey, m.Campaign, m.Status, m.FirstReported, m.LastReported, occurred,
		join(victims), join(aliases), join(sectors), join(countries), join(actors), join(attribution),
		join(tooling), join(impacts), join(indicators), strconv.Itoa(len(m.Sources)), join(urls),
		strconv.FormatFloat(m.Confidence, 'f', -1, 64),
	}
}
