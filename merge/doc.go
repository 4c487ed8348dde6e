// Package merge turns the incident records of many articles (incidex/v1,
// what "incidex extract" prints) into merged incidents (incidex-merged/v1,
// see extract/record): the reports of one attack on one victim become one
// incident with every source, the union of the fields and each piece of
// evidence with the source it comes from. It owns the matching rules, the
// block key that makes merging partitionable, merged ids, and the
// streaming merge in bounded memory; "incidex merge" only wires it up.
//
// # Units
//
// What is merged is a Unit: one victim of one article's incident, with the
// incident's other fields and the article as its source (an incident that
// names no victim is one unit of its own, which merges only with copies of
// itself). An article that reports an attack on three victims gives three
// units, and three merged incidents: a supply-chain wave stays one
// incident per victim, tied together by a campaign key.
//
// # Names
//
// Victims' names are compared normalised: lower case, Latin letters
// without diacritics, letters and digits only, "&" as "and", a possessive
// "'s" dropped, a leading "the" dropped, legal forms dropped from the end
// (the lexicon's legal-forms list: plc, Ltd, Inc, Group), and "University
// of Kelloway" written "Kelloway University" (a kind of organisation from
// generic-org-words, "of", a name). Two names link when
//
//   - they are the same so normalised ("Halden & Crewe plc", "Halden &
//     Crewe's");
//   - one is the other without trailing business words of the name-tails
//     list ("Rockstar" for "Rockstar Games", "Marrowby Water" for "Marrowby
//     Water Services Ltd"), or they differ only in spaces ("Co op",
//     "Coop"); two names that share a short form but are neither the
//     other's short form do not link ("British Airways", "British Motors");
//   - one holds an acronym whose letters are the initials of the other's
//     words, with or without its connectors, the words around it the same
//     ("M&S" and "Marks & Spencer", "HSE" and "Health Service Executive",
//     "TfL" and "Transport for London", "ICBC FS" and "ICBC Financial
//     Services"); unless the side of the acronym gives it another long form
//     ("M&S" beside "Marks & Spencer" is not "Morgan Stanley");
//   - one is the other shortened word by word: as many words, the first the
//     same, each of the short a beginning of the long's ("Co-op Milling",
//     "Co-operative Milling Group").
//
// Each unit has names: the victim's name and its aliases. A link needs the
// victim's name on at least one side: two aliases never link, since
// aliases are often a town or a generic word two victims share ("Marrowby"
// for both Marrowby Waste and Marrowby Borough Council).
//
// # Same attack
//
// Units are merged one block at a time. Within a block they are taken in
// order of publication (then by key), and a unit joins an earlier cluster
// when
//
//   - one of its names links to one of the cluster's;
//   - it was published within the window (Options.Window, 60 days by
//     default) of the cluster's latest report: the window chains, so that
//     reports a week apart over three months are one incident, while a
//     report after a longer silence starts a new one; or, failing that,
//     the attack date its article gives (Unit.Occurred, a day or a month;
//     a year is too coarse) falls within the cluster's span, from its
//     earliest report or date less the window to its latest report (a
//     regulator's fine "after a ransomware attack in May"); and
//   - they do not contradict each other: when both name actors that are
//     attributed or that claimed the attack, they share one (a suspicion
//     contradicts nothing). One victim attacked twice, by different gangs,
//     stays two incidents even within the window.
//
// With several such clusters, the unit joins the one its names link to
// most strongly (same name, then short form or acronym, then word-by-word
// short form), then the most recently reported, and clusters it links to
// by the same name are merged with it unless their actors contradict.
// Clusters a unit meets only through its date count when none is within
// the window; it then joins one of them alone (the strongest link, then
// the cluster whose span holds the date, then the one that began nearest
// it), merges no others, and leaves the cluster's span as it was, so that
// a new attack reported weeks after a late follow-up is another incident.
// Units of one article that name two forms of one victim ("ICBC FS",
// "ICBC Financial Services") join like any other: they have the same date.
//
// A unit without a date (an article without a publication time) is taken
// after the dated ones and joins a cluster that holds another unit of its
// article, else the only cluster its names link to; with several it stays
// apart, since nothing tells which attack on the victim it reports.
//
// # Blocks
//
// Unit.BlockKey is a function of the unit alone: the first letter (or
// digit) of its victim's normalised name ("m" for "M&S" and "Marks &
// Spencer", "k" for "University of Kelloway"); "~" and two hex digits for
// a unit without victim. Every link above keeps the first letter (an
// acronym's first letter is its long form's, a short form keeps the first
// word), so units that may merge always share a block, and merging each
// block alone, in any process, gives the merge of the whole. The key is
// coarse on purpose: a finer one (two letters, whole initials) would cut
// the link between an acronym and its long form, or between a name and its
// short form. The cost is that blocks are large (a few dozen of them, the
// largest holding about a tenth of the units), which limits a cluster of
// machines to a few dozen partitions and makes a single run hold the
// largest block's index; matching within a block stays precise, through an
// index of each name's link keys. A name's aliases join the matching
// within the block, but a unit whose name and alias begin with different
// letters ("X", "Twitter") is blocked by its name only.
//
// # Campaigns
//
// Unit.Campaign is a key of the unit's incident alone, so that
// partitioning keeps it: 12 hex digits of a hash of the actor of strongest
// attribution (its dictionary entry, else its name) and the flaw (the
// smallest CVE id, else vulnerability entry or name) when the incident
// names both; else, when the incident names several victims, of the
// article and incident. A merged incident takes the campaign most of its
// units give, an actor and flaw outranking an article.
//
// # Ids and order
//
// A merged incident's id is 16 hex digits of the SHA-256 of its units'
// sorted keys (article, incident id, victim name; the article is its
// canonical URL, else URL, else input), so the same inputs in any order
// give the same ids, and the same bytes: units are ordered by date and
// key, lists are sorted, and copies of a unit (the same article read
// twice) count once, the copy kept chosen by the order, never by the
// input's. Merged incidents are sorted by first report (UTC), those
// without a date last, then id.
//
// Sources are numbered s1, s2... in order of publication. Each field keeps
// at most ten evidence sentences, taken the strongest of each source in
// turn, and says how many there were in all (evidence_count); sources are
// all kept.
//
// # Bounded memory
//
// MergeStream (and Spill) writes units to 64 temporary files by a hash of
// their block key, so that a file holds whole blocks; each line holds a
// short head (names, date, key, strong actors) before the unit. Files are
// then merged one per CPU at a time: the heads of a file are clustered in
// memory, and each cluster's units are read back by offset to be built,
// so that memory holds the heads of the files being merged (about 1 to 2
// KB per unit with the garbage collector's headroom) and one incident's
// units, not the input. Each file's merged incidents, sorted, go to a run
// file, the spill file is removed, and the runs are merged into the order
// Merge gives. Since blocks are first letters, the largest block is a
// share of the input (a twenty-fifth to a tenth), so memory still grows
// with the input, about 200 MB for a million records; past that, split
// the units (--format units) and merge partitions apart. The temporary
// files take about 1.5 times the input's size at their peak.
package merge
