package store

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/incidex/incidex/extract/record"
	"github.com/incidex/incidex/merge"
	"github.com/incidex/incidex/rules"
)

// This file is the store's only use of package merge: the merge of
// "incidex merge", applied one block at a time as articles arrive.

// newMerger returns the merger of set with the time window window (0: the
// merge's default).
func newMerger(set *rules.Set, window time.Duration) merger {
	return blockMerger{merge.New(set, merge.Options{Window: window})}
}

// blockMerger is a merge.Merger seen through units kept as JSON.
type blockMerger struct{ m *merge.Merger }

func (b blockMerger) units(r *record.Result) ([]unit, error) {
	list := b.m.Units(r)
	out := make([]unit, len(list))
	for i := range list {
		data, err := encode(&list[i])
		if err != nil {
			return nil, err
		}
		out[i] = unit{blockKey: list[i].BlockKey, campaign: list[i].Campaign, data: data}
	}
	return out, nil
}

func (b blockMerger) mergeBlock(data [][]byte) ([]record.Merged, error) {
	units := make([]merge.Unit, len(data))
	for i, d := range data {
		if err := json.Unmarshal(d, &units[i]); err != nil {
			return nil, fmt.Errorf("decode a stored unit: %w", err)
		}
	}
	return b.m.MergeBlock(units), nil
}
