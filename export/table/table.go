// Package table turns incident records into rows for spreadsheets and
// databases: one row per incident, list cells joined with "; ", or one row
// per merged incident (MergedColumns). It owns the columns; the CLI writes
// them as CSV or TSV with encoding/csv.
package table

import (
	"slices"
	"strconv"
	"strings"

	"github.com/incidex/incidex/extract/record"
)

// Columns are the header row, in order.
var Columns = []string{
	"input", "url", "title", "published", "incident", "status", "occurred",
	"victims", "sectors", "countries", "actors", "attribution",
	"tooling", "impacts", "indicators", "confidence",
}

// Sep joins the entries of a list cell.
const Sep = "; "

// Rows returns one row per incident of r, each cell under Columns; an
// article that reports no incident has no row.
func Rows(r *record.Result) [][]string {
	url := firstNonEmpty(r.URL, r.CanonicalURL)
	rows := make([][]string, 0, len(r.Incidents))
	for i := range r.Incidents {
		inc := &r.Incidents[i]
		var victims, sectors, countries, actors, attribution, tooling, impacts, indicators []string
		for _, v := range inc.Victims {
			victims = append(victims, v.Name)
			sectors = appendNew(sectors, v.Sector)
			countries = appendNew(countries, v.Country)
		}
		for _, a := range inc.Actors {
			actors = append(actors, a.Name)
			attribution = append(attribution, a.Name+": "+a.Attribution)
		}
		for _, t := range inc.Tooling {
			tooling = append(tooling, t.Name+" ("+t.Kind+")")
		}
		for _, im := range inc.Impacts {
			impacts = append(impacts, im.Kind+": "+im.Summary)
		}
		for _, ind := range inc.Indicators {
			indicators = append(indicators, ind.Type+": "+ind.Value)
		}
		rows = append(rows, []string{
			r.Input, url, r.Title, r.Published, inc.ID, inc.Status, occurredDate(inc.Occurred),
			join(victims), join(sectors), join(countries), join(actors), join(attribution),
			join(tooling), join(impacts), join(indicators),
			strconv.FormatFloat(inc.Confidence, 'f', -1, 64),
		})
	}
	return rows
}

// occurredDate is the date of an attack, "" when the text gives none.
func occurredDate(o *record.Occurred) string {
	if o == nil {
		return ""
	}
	return o.Date
}

// firstNonEmpty is the first of list that is not empty, else "".
func firstNonEmpty(list ...string) string {
	for _, s := range list {
		if s != "" {
			return s
		}
	}
	return ""
}

// appendNew appends s unless it is empty or already in list.
func appendNew(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// join joins a list cell. Names never hold the separator in practice; a
// cell is one line, so that TSV readers that know no quoting read it too.
func join(list []string) string {
	return oneLine.Replace(strings.Join(list, Sep))
}

// oneLine turns the characters that would break a row or a TSV cell into
// spaces.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ")
