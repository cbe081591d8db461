package alerteval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"trustwatch"
)

// Event is one expected event: what a good detector should have raised.
type Event struct {
	// Kind is an alert kind (volume.spike), a prefix (claim.*) or a family
	// of either separated by | (volume.spike|sentiment.spike|term.*).
	Kind string `yaml:"kind" json:"kind"`
	// Entity is a watch-file entity id. An alert on one of its descendants
	// (by the watch file's parent links) matches too. "*" matches any
	// entity; empty matches only alerts without an entity (aspect spikes,
	// emerging terms of the whole corpus).
	Entity string `yaml:"entity" json:"entity"`
	// Day is the calendar day the event began, 2006-01-02.
	Day string `yaml:"day" json:"day"`
	// Term, when set, must contain the alert's non-empty Subject (a term,
	// an aspect id, a claim id); alternatives are separated by |.
	Term string `yaml:"term,omitempty" json:"term,omitempty"`
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
	// Line is where the event is written in its file (0 when unknown).
	Line int `yaml:"-" json:"line,omitempty"`
}

const dayLayout = "2006-01-02"

// Load reads an expected-events file: YAML (a list of events; an empty
// file or [] is the empty list) or, for .jsonl/.ndjson files or files
// whose first character is {, one JSON object a line.
func Load(path string) ([]Event, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "expected events: %v", err)
	}
	ext := strings.ToLower(filepath.Ext(path))
	return Parse(filepath.Base(path), b, ext == ".jsonl" || ext == ".ndjson")
}

// Parse reads expected events from b (see Load); name is used in errors.
func Parse(name string, b []byte, jsonLines bool) ([]Event, error) {
	if !jsonLines {
		t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
		jsonLines = len(t) > 0 && t[0] == '{'
	}
	var evs []Event
	var err error
	if jsonLines {
		evs, err = parseJSONLines(name, b)
	} else {
		evs, err = parseYAML(name, b)
	}
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if err := checkEvent(e); err != nil {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s:%d: %v", name, e.Line, err)
		}
	}
	return evs, nil
}

func parseYAML(name string, b []byte) ([]Event, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", name, err)
	}
	if len(root.Content) == 0 {
		return []Event{}, nil // an empty file: no event is expected
	}
	seq := root.Content[0]
	if seq.Kind == yaml.ScalarNode && seq.Tag == "!!null" {
		return []Event{}, nil
	}
	if seq.Kind != yaml.SequenceNode {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s:%d: want a list of events", name, seq.Line)
	}
	evs := []Event{}
	for _, n := range seq.Content {
		var e Event
		// Known fields only: a misspelt "enitity" must not silently match
		// every alert without an entity.
		if err := decodeStrict(n, &e); err != nil {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s:%d: %v", name, n.Line, err)
		}
		e.Line = n.Line
		evs = append(evs, e)
	}
	return evs, nil
}

func decodeStrict(n *yaml.Node, e *Event) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("want an event {kind, entity, day, term?, note?}")
	}
	known := map[string]bool{"kind": true, "entity": true, "day": true, "term": true, "note": true}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !known[k] {
			return fmt.Errorf("unknown field %q (want kind, entity, day, term, note)", k)
		}
	}
	return n.Decode(e)
}

func parseJSONLines(name string, b []byte) ([]Event, error) {
	evs := []Event{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		t := bytes.TrimSpace(sc.Bytes())
		if line == 1 {
			t = bytes.TrimPrefix(t, []byte("\xef\xbb\xbf"))
		}
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		var e Event
		dec := json.NewDecoder(bytes.NewReader(t))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil && err != io.EOF {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s:%d: %v", name, line, err)
		}
		e.Line = line
		evs = append(evs, e)
	}
	if err := sc.Err(); err != nil {
		return nil, trustwatch.Errorf(trustwatch.EINVALID, "%s: %v", name, err)
	}
	return evs, nil
}

func checkEvent(e Event) error {
	if strings.TrimSpace(e.Kind) == "" {
		return fmt.Errorf("kind is required")
	}
	for _, p := range strings.Split(e.Kind, "|") {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("kind %q has an empty alternative", e.Kind)
		}
	}
	if _, err := time.Parse(dayLayout, e.Day); err != nil {
		return fmt.Errorf("day %q: want 2006-01-02", e.Day)
	}
	return nil
}

// Check reports events whose entity the watch file does not define.
func Check(evs []Event, w *trustwatch.Watch) error {
	for _, e := range evs {
		if e.Entity == "" || e.Entity == "*" {
			continue
		}
		if w == nil || w.Entity(e.Entity) == nil {
			return trustwatch.Errorf(trustwatch.EINVALID, "expected event at line %d: entity %q is not in the watch file", e.Line, e.Entity)
		}
	}
	return nil
}
