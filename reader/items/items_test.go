package items_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"trustwatch"
	"trustwatch/reader/items"
	"trustwatch/reader/record"
)

var shanghai = trustwatch.DefaultLocation()

func parse(t *testing.T, in []byte, cfg record.Config) []record.Record {
	t.Helper()
	var recs []record.Record
	if err := items.Parse(bytes.NewReader(in), cfg, func(r record.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return recs
}

func file(t *testing.T, name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParseLines(t *testing.T) {
	recs := parse(t, file(t, "items.jsonl"), record.Config{Platform: "forum"})
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	for _, r := range recs {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
	}
	a, b, c := recs[0].Item, recs[1].Item, recs[2].Item
	if a.ID != "w1" || a.Author != "雷军" || a.AuthorFollowers != 24000000 || a.Likes != 12000 || a.Reposts != 9800 || a.Replies != 30250 {
		t.Errorf("first item %+v", a)
	}
	if got := a.Time.In(shanghai).Format(time.DateTime); got != "2024-03-30 12:22:33" {
		t.Errorf("first time %s", got)
	}
	// No id: validation hashes one; the kind and parent are the file's.
	if b.ID != trustwatch.HashID("xhs", "车主", b.Time, "刹车有点软") || b.Kind != trustwatch.KindComment || b.ParentID != "n1" {
		t.Errorf("second item %+v", b)
	}
	if got := b.Time.In(shanghai).Format(time.DateTime); got != "2024-03-30 14:26:40" {
		t.Errorf("second time %s", got)
	}
	// A numeric id is kept as text; no platform in the data: the hint.
	if c.ID != "12345" || c.Platform != "forum" || c.Kind != trustwatch.KindPost {
		t.Errorf("third item %+v", c)
	}
	if got := c.Time.In(shanghai).Format(time.DateTime); got != "2024-03-30 12:22:33" {
		t.Errorf("third time %s", got)
	}
}

func TestParseArray(t *testing.T) {
	recs := parse(t, file(t, "items.json"), record.Config{})
	if len(recs) != 2 || recs[0].Line != 2 || recs[1].Line != 3 {
		t.Fatalf("records %+v", recs)
	}
	want := []string{"w1 2024-03-30 12:22:00", "w2 2024-03-30 13:00:00"}
	for i, r := range recs {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if got := r.Item.ID + " " + r.Item.Time.In(shanghai).Format(time.DateTime); got != want[i] {
			t.Errorf("record %d: %s, want %s", i, got, want[i])
		}
	}
}

func TestBrokenLines(t *testing.T) {
	recs := parse(t, file(t, "broken.jsonl"), record.Config{})
	var got []string
	for _, r := range recs {
		if r.Err != nil {
			got = append(got, r.Err.Error())
		} else {
			got = append(got, fmt.Sprintf("line %d: ok %s", r.Line, r.Item.ID))
		}
	}
	want := []string{
		"line 1: ok ok1",
		"items: line 2: invalid JSON: unexpected end",
		"items: line 3: missing text",
		"items: line 4: missing time",
		`items: line 5: unparseable time "someday"`,
		"items: line 6: invalid UTF-8 / undecodable bytes",
		"line 8: ok ok2", // line 7 is blank
		"items: line 9: invalid JSON: not an object",
		`items: line 10: unknown kind "tweet"`,
		`items: line 11: unparseable likes "lots"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !bytes.Equal(recs[1].Raw, []byte(`{"id":"bad","text":"abc","time":`)) {
		t.Errorf("raw of the broken line: %q", recs[1].Raw)
	}
	if code := trustwatch.ErrorCode(recs[2].Err); code != trustwatch.EINVALID {
		t.Errorf("error code %q, want invalid", code)
	}
	if msg := trustwatch.ErrorMessage(recs[2].Err); msg != "missing text" {
		t.Errorf("error message %q, want missing text", msg)
	}
}

func TestOversizedField(t *testing.T) {
	big := strings.Repeat("长", 450_000) // 1.35 MB of UTF-8
	in := `{"id":"ok","text":"small","time":"2024-03-30 12:00"}` + "\n" +
		`{"id":"big","text":"` + big + `","time":"2024-03-30 12:00"}` + "\n" +
		`{"id":"after","text":"next","time":"2024-03-30 12:00"}` + "\n"
	recs := parse(t, []byte(in), record.Config{})
	if len(recs) != 3 || recs[0].Err != nil || recs[2].Err != nil {
		t.Fatalf("records %v", recs)
	}
	if got, want := recs[1].Err.Error(), "items: line 2: field text is 1.3 MiB, over the 1 MiB limit"; got != want {
		t.Errorf("err %q, want %q", got, want)
	}
	// A line far over the limit is refused without being decoded.
	recs = parse(t, []byte(`{"text":"`+big+`"}`+"\n"+`{"text":"x","time":"2024-03-30"}`), record.Config{MaxField: 100_000})
	if len(recs) != 2 || recs[0].Err == nil || recs[1].Err != nil {
		t.Fatalf("records %v", recs)
	}
	if got, want := recs[0].Err.Error(), "items: line 1: line longer than the 454.6 KiB limit; skipped to the next line"; got != want {
		t.Errorf("err %q, want %q", got, want)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"items.jsonl", "items.json", "broken.jsonl"} {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_ = items.Parse(bytes.NewReader(b), record.Config{Now: time.Unix(1711800000, 0)}, func(r record.Record) error {
			if (r.Err == nil) == (r.Item == nil) {
				t.Fatalf("record at line %d: item %v and error %v", r.Line, r.Item, r.Err)
			}
			return nil
		})
	})
}
