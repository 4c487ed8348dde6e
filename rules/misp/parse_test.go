package misp

import (
	"errors"
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, data string
		want       string
		isType     bool
	}{
		{name: "syntax", data: "{\n  \"type\": \"ransomware\",\n  \"values\": [}\n", want: "x.json:3: not a MISP galaxy cluster file"},
		{name: "not clusters", data: `{"a": 1}`, want: `x.json: not a MISP galaxy cluster file: no "type" or no "values"`},
		{name: "wrong shape", data: `{"type": "tool", "values": {"a": 1}}`, want: "x.json:1: not a MISP galaxy cluster file"},
		{name: "other galaxy", data: `{"type": "sector", "values": []}`, want: `x.json: galaxy type is not imported: "sector" (want malpedia, `, isType: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.json", []byte(tt.data))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q...", err, tt.want)
			}
			if errors.Is(err, ErrType) != tt.isType {
				t.Errorf("errors.Is(err, ErrType) = %v", !tt.isType)
			}
		})
	}
}
