package main

import "testing"

func TestParseByteSize(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    int64
		wantErr bool
	}{
		{name: "plain integer", in: "10485760", want: 10 << 20},
		{name: "bytes suffix", in: "512B", want: 512},
		{name: "KiB", in: "512KiB", want: 512 << 10},
		{name: "MiB", in: "10MiB", want: 10 << 20},
		{name: "GiB", in: "1GiB", want: 1 << 30},
		{name: "short M is MiB", in: "10M", want: 10 << 20},
		{name: "MB is decimal", in: "10MB", want: 10_000_000},
		{name: "kb is decimal", in: "3kb", want: 3000},
		{name: "lowercase and space", in: " 2 mib ", want: 2 << 20},
		{name: "zero", in: "0", wantErr: true},
		{name: "negative", in: "-5", wantErr: true},
		{name: "fraction", in: "1.5MiB", wantErr: true},
		{name: "unit only", in: "MiB", wantErr: true},
		{name: "empty", in: "", wantErr: true},
		{name: "words", in: "lots", wantErr: true},
		{name: "overflow", in: "9999999999GiB", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseByteSize(tt.in)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseByteSize(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			}
			if !tt.wantErr && got != tt.want {
				t.Errorf("parseByteSize(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestByteSizeString(t *testing.T) {
	tests := []struct {
		name string
		in   byteSize
		want string
	}{
		{name: "MiB", in: 10 << 20, want: "10MiB"},
		{name: "KiB", in: 1536 << 10, want: "1536KiB"},
		{name: "GiB", in: 2 << 30, want: "2GiB"},
		{name: "odd", in: 1000, want: "1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}
