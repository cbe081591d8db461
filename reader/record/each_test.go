package record_test

import (
	"errors"
	"strings"
	"testing"

	"trustwatch/reader/record"
)

type pair struct {
	A record.Str `json:"a"`
	B record.Str `json:"b"`
}

func (p *pair) fields() []*record.Str { return []*record.Str{&p.A, &p.B} }

func TestEachRow(t *testing.T) {
	tab, err := record.NewTable(strings.NewReader("x,b,a\n1,2,3\n4,\"5\n"), ',')
	if err != nil {
		t.Fatal(err)
	}
	cols, err := tab.Columns(nil, []string{"a", "b"})
	if err != nil || cols[0] != 2 || cols[1] != 1 {
		t.Fatalf("Columns = %v, %v", cols, err)
	}
	var got []string
	err = record.EachRow(tab, "test", cols, (*pair).fields, func(line int, raw []byte, v *pair, reason string) error {
		got = append(got, string(v.A)+string(v.B)+"|"+reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Row 2 reads a=3, b=2; row 3 has a broken quote: a reason, no fields.
	if len(got) != 2 || got[0] != "32|" || got[1] == "|" || !strings.HasPrefix(got[1], "|") {
		t.Errorf("rows = %q", got)
	}
	stop := errors.New("stop")
	tab, _ = record.NewTable(strings.NewReader("a,b\n1,2\n3,4\n"), ',')
	n := 0
	err = record.EachRow(tab, "test", []int{0, 1}, (*pair).fields, func(int, []byte, *pair, string) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("fn's error does not stop the rows: %v after %d", err, n)
	}
}

func TestEachObject(t *testing.T) {
	var got []string
	err := record.EachObject(strings.NewReader("{\"a\":\"1\",\"b\":2}\n{broken\n"), 1<<20, func(line int, raw []byte, v *pair, reason string) error {
		got = append(got, string(v.A)+string(v.B)+"|"+reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != "12|" || !strings.HasPrefix(got[1], "|") || got[1] == "|" {
		t.Errorf("objects = %q", got)
	}
}
