package rules

// The vocabularies of rule packs: the values a field may take, shared by
// the loader (which checks them) and the extractor (which acts on them).

// Role is what a pattern rule finds.
type Role string

// The roles of pattern rules.
const (
	RoleVictim    Role = "victim"     // the organisation attacked: a {victim} slot
	RoleActor     Role = "actor"      // who attacked: an {actor} slot
	RoleStatus    Role = "status"     // whether the attack happened or was only attempted
	RoleImpact    Role = "impact"     // what the attack did
	RoleResponder Role = "responder"  // who responded: police, agencies, firms ({org} or {victim})
	RoleNotVictim Role = "not-victim" // names that are sources, never victims ({org} or {victim})
)

// Scope is where a pattern rule looks.
type Scope string

// The scopes of pattern rules.
const (
	ScopeText  Scope = "text"  // every sentence of the article (the default)
	ScopeTitle Scope = "title" // the headline only
)

// Attribution is how firmly the text ties an actor to the attack.
type Attribution string

// The attributions, weakest first.
const (
	Suspected  Attribution = "suspected"  // reports link, believe, suspect
	Attributed Attribution = "attributed" // officials or investigators say so
	Claimed    Attribution = "claimed"    // the actor said so
)

// Rank orders attributions by firmness: 0 for none, then suspected,
// attributed, claimed.
func (a Attribution) Rank() int {
	switch a {
	case Suspected:
		return 1
	case Attributed:
		return 2
	case Claimed:
		return 3
	}
	return 0
}

// Status says whether an attack happened.
type Status string

// The statuses of incidents.
const (
	Confirmed Status = "confirmed"
	Attempted Status = "attempted"
)

// ImpactKind is a VERIS-style kind of impact.
type ImpactKind string

// The impact kinds.
const (
	Availability    ImpactKind = "availability"    // outage, disruption, shutdown
	Confidentiality ImpactKind = "confidentiality" // data accessed, stolen, leaked
	Integrity       ImpactKind = "integrity"       // systems altered, fraud, encryption
	Financial       ImpactKind = "financial"       // money lost, ransom, costs, fines
)

// The allowed values of each field, in the order messages list them.
var (
	roles        = names(RoleVictim, RoleActor, RoleStatus, RoleImpact, RoleResponder, RoleNotVictim)
	scopes       = names(ScopeText, ScopeTitle)
	attributions = names(Claimed, Attributed, Suspected)
	statuses     = names(Attempted, Confirmed)
	impacts      = names(Availability, Confidentiality, Integrity, Financial)
)

func names[T ~string](values ...T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
