package misp

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/incidex/incidex/rules"
	"gopkg.in/yaml.v3"
)

// Files renders the import as rule packs: misp-actors.yaml, then the
// tooling by kind in misp-ransomware.yaml, misp-malware.yaml and
// misp-tools.yaml. Several files of moderate size load faster than one
// (rules.LoadPaths parses files in parallel), and a user can drop a kind.
func (im *Result) Files() ([]Output, error) {
	ofKind := func(kind string) []rules.Entity {
		var out []rules.Entity
		for _, e := range im.Tooling {
			if e.Kind == kind {
				out = append(out, e)
			}
		}
		return out
	}
	var out []Output
	for _, f := range []struct {
		file, key, what string
		list            []rules.Entity
	}{
		{"misp-actors.yaml", "actors", "threat actors", im.Actors},
		{"misp-ransomware.yaml", "tooling", "ransomware", ofKind("ransomware")},
		{"misp-malware.yaml", "tooling", "malware", ofKind("malware")},
		{"misp-tools.yaml", "tooling", "tools", ofKind("tool")},
	} {
		data, err := im.render(f.key, f.what, f.list)
		if err != nil {
			return nil, fmt.Errorf("write %s: %w", f.file, err)
		}
		out = append(out, Output{Name: f.file, Data: data})
	}
	return out, nil
}

// Output is one rendered pack.
type Output struct {
	Name string // the file name: misp-actors.yaml, misp-ransomware.yaml, ...
	Data []byte // the pack, YAML that rules.ParseFile accepts
}

// render writes one pack. Cue lists repeat for thousands of entries, so
// each is written once with an anchor (&ransomware [...]) and then as an
// alias (*ransomware): loading is a third faster.
func (im *Result) render(key, what string, list []rules.Entity) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s imported from MISP galaxy clusters by \"incidex rules import misp\" from\n", capitalise(what))
	for _, s := range im.Sources {
		// A source names a file, and a file name may hold line breaks.
		fmt.Fprintf(&b, "#   %s\n", rules.QuoteLine(s))
	}
	b.WriteString("# Generated: import again rather than edit. The clusters are\n" +
		"# https://github.com/MISP/misp-galaxy (CC0 1.0 or BSD 2-clause).\n" +
		"# external_ids give the uuid of the cluster an entry is named from and its\n" +
		"# MITRE ATT&CK id; a comment, the ATT&CK ids of other clusters merged in.\n\n")
	anchors := map[string]*yaml.Node{} // cue list -> its anchored node
	names := map[string]bool{}
	cues := func(l []string) *yaml.Node {
		k := strings.Join(l, "\x00")
		if n, ok := anchors[k]; ok {
			return &yaml.Node{Kind: yaml.AliasNode, Alias: n, Value: n.Anchor}
		}
		n := yamlList(l)
		base, whole := cueListName(l)
		n.Anchor = base
		for i := 2; !whole && (i == 2 || names[n.Anchor]); i++ {
			n.Anchor = fmt.Sprintf("%s-%d", base, i)
		}
		names[n.Anchor] = true
		anchors[k] = n
		return n
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode}
	for _, e := range list {
		m := &yaml.Node{Kind: yaml.MappingNode}
		if a := im.merged[e.ID]; len(a) > 0 {
			m.HeadComment = "merged clusters: ATT&CK " + strings.Join(a, ", ")
		}
		add := func(k string, v *yaml.Node) { m.Content = append(m.Content, yamlStr(k), v) }
		add("id", yamlStr(e.ID))
		add("name", yamlStr(e.Name))
		if len(e.Aliases) > 0 {
			add("aliases", yamlList(e.Aliases))
		}
		add("kind", yamlStr(e.Kind))
		if e.Actor {
			add("actor", yamlTrue())
		}
		if e.Country != "" {
			add("country", yamlStr(e.Country))
		}
		if e.CaseSensitive {
			add("case_sensitive", yamlTrue())
		}
		if len(e.Cues) > 0 {
			add("cues", cues(e.Cues))
		}
		if len(e.ExternalIDs) > 0 {
			add("external_ids", yamlMap(e.ExternalIDs))
		}
		seq.Content = append(seq.Content, m)
	}
	if len(list) == 0 {
		seq.Style = yaml.FlowStyle // "actors: []"
	}
	top := &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{yamlStr(key), seq}}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(top); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

func yamlStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
func yamlTrue() *yaml.Node        { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"} }

// yamlMap is a flow mapping with its keys sorted, so that the bytes do not
// depend on map order.
func yamlMap(m map[string]string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		n.Content = append(n.Content, yamlStr(k), yamlStr(m[k]))
	}
	return n
}

func yamlList(l []string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, s := range l {
		n.Content = append(n.Content, yamlStr(s))
	}
	return n
}
