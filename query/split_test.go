package query

import (
	"reflect"
	"testing"
)

func TestSplitText(t *testing.T) {
	a, b := &Text{Units: []string{"刹车"}}, &Text{Units: []string{"车"}, Prefix: true}
	f := &Field{Name: "likes", Op: ">", Value: "10"}
	near := &Near{Left: a, Right: b, N: 2}
	tests := []struct {
		name     string
		n        Node
		wantText Node
		wantRest []Node
	}{
		{"all text", &And{Nodes: []Node{a, &Not{Node: b}}}, &And{Nodes: []Node{a, &Not{Node: b}}}, nil},
		{"one text child is itself", &And{Nodes: []Node{a, f}}, a, []Node{f}},
		{"texts gathered in an Or", &Or{Nodes: []Node{a, f, near}}, &Or{Nodes: []Node{a, near}}, []Node{f}},
		{"a Not of a field is not text", &And{Nodes: []Node{&Not{Node: f}}}, nil, []Node{&Not{Node: f}}},
	}
	for _, tt := range tests {
		text, rest := SplitText(tt.n)
		if !reflect.DeepEqual(text, tt.wantText) || !reflect.DeepEqual(rest, tt.wantRest) {
			t.Errorf("%s: SplitText = %#v, %#v; want %#v, %#v", tt.name, text, rest, tt.wantText, tt.wantRest)
		}
	}
}

func TestPrune(t *testing.T) {
	a, empty := &Text{Units: []string{"刹车"}}, &Text{}
	f := &Field{Name: "kind", Op: "=", Value: "post"}
	tests := []struct {
		name string
		n    Node
		want Node
		all  bool
	}{
		{"text", a, a, false},
		{"empty text matches nothing", empty, nil, false},
		{"not empty matches all", &Not{Node: empty}, nil, true},
		{"and with empty", &And{Nodes: []Node{a, empty}}, nil, false},
		{"and with not empty", &And{Nodes: []Node{a, &Not{Node: empty}}}, a, false},
		{"or forgets empty", &Or{Nodes: []Node{empty, f}}, f, false},
		{"or with not empty", &Or{Nodes: []Node{f, &Not{Node: empty}}}, nil, true},
		{"near with empty", &Near{Left: a, Right: empty, N: 1}, nil, false},
		{"nested", &Not{Node: &And{Nodes: []Node{f, &Or{Nodes: []Node{a, empty}}}}},
			&Not{Node: &And{Nodes: []Node{f, a}}}, false},
	}
	for _, tt := range tests {
		got, all := Prune(tt.n)
		if !reflect.DeepEqual(got, tt.want) || all != tt.all {
			t.Errorf("%s: Prune = %#v, %v; want %#v, %v", tt.name, got, all, tt.want, tt.all)
		}
	}
}
