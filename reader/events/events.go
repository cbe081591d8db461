package events

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/reader/record"
)

// Format is the name of the format, used in errors.
const Format = "events"

// Kinds are the event kinds accepted.
var Kinds = []string{
	trustwatch.EventLawsuit, trustwatch.EventJurisdictionObjection, trustwatch.EventRecall,
	trustwatch.EventApology, trustwatch.EventPriceCut, trustwatch.EventStatement, trustwatch.EventOther,
}

// rawEvent mirrors one JSON object or CSV row.
type rawEvent struct {
	ID     record.Str `json:"id"`
	Time   record.Str `json:"time"`
	Entity record.Str `json:"entity"`
	Kind   record.Str `json:"kind"`
	Title  record.Str `json:"title"`
	Text   record.Str `json:"text"`
	URL    record.Str `json:"url"`
}

var fieldNames = []string{"id", "time", "entity", "kind", "title", "text", "url"}

func (e *rawEvent) fields() []*record.Str {
	return []*record.Str{&e.ID, &e.Time, &e.Entity, &e.Kind, &e.Title, &e.Text, &e.URL}
}

// Parse calls fn for every event of r (CSV or JSON lines), in order.
func Parse(r io.Reader, cfg record.Config, fn func(record.Record) error) error {
	cfg = cfg.WithDefaults()
	br, shape, err := record.Sniff(r)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	emit := func(line int, raw []byte, v *rawEvent, reason string) error {
		rec := record.Record{Line: line, Raw: raw}
		if reason == "" {
			rec.Event, reason = adapt(v, &cfg)
		}
		if reason != "" {
			rec.Event, rec.Err = nil, record.Errorf(Format, line, reason)
		}
		return fn(rec)
	}
	if shape == record.ShapeJSON {
		return record.EachObject(br, record.LineLimit(cfg.MaxField), emit)
	}
	t, err := record.NewTableLimit(br, cfg.Comma, cfg.MaxField)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	cols, err := t.Columns(cfg.Map, fieldNames)
	if err != nil {
		return fmt.Errorf("%s: %w", Format, err)
	}
	if cols[1] < 0 || cols[2] < 0 || cols[3] < 0 || cols[4] < 0 {
		return fmt.Errorf("%s: the header needs time, entity, kind and title: %s", Format, strings.Join(t.Header, ", "))
	}
	return record.EachRow(t, Format, cols, (*rawEvent).fields, emit)
}

func adapt(e *rawEvent, cfg *record.Config) (*trustwatch.Event, string) {
	ev := &trustwatch.Event{
		ID:     e.ID.Trim(),
		Entity: e.Entity.Trim(),
		Kind:   strings.ToLower(e.Kind.Trim()),
		Title:  strings.TrimSpace(string(e.Title)),
		Text:   string(e.Text),
		URL:    e.URL.Trim(),
	}
	for _, f := range [...]struct {
		name  string
		value *string
	}{{"id", &ev.ID}, {"entity", &ev.Entity}, {"kind", &ev.Kind}, {"title", &ev.Title}, {"text", &ev.Text}, {"url", &ev.URL}} {
		if r := record.CleanField(f.name, f.value, cfg.MaxField); r != "" {
			return nil, r
		}
	}
	var reason string
	if ev.Time, reason = record.Time(string(e.Time), cfg); reason != "" {
		return nil, reason
	}
	switch {
	case ev.Time.IsZero():
		return nil, "missing time"
	case ev.Entity == "":
		return nil, "missing entity"
	case ev.Kind == "":
		return nil, "missing kind"
	case !validKind(ev.Kind):
		return nil, fmt.Sprintf("unknown kind %q (want %s)", ev.Kind, strings.Join(Kinds, ", "))
	case ev.Title == "":
		return nil, "missing title"
	}
	if ev.ID == "" {
		ev.ID = HashID(ev.Time, ev.Entity, ev.Kind, ev.Title)
	}
	return ev, ""
}

func validKind(k string) bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// HashID is the identity of an event that came without one.
func HashID(t time.Time, entity, kind, title string) string {
	h := sha256.New()
	for _, s := range []string{strconv.FormatInt(t.Unix(), 10), entity, kind, title} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "e" + hex.EncodeToString(h.Sum(nil))[:23]
}
