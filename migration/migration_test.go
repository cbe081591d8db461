package migration

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// sha256 of "CREATE TABLE a (x);" and "CREATE TABLE b (y);", by sha256sum.
const (
	sumA = "5d4dfde3b9ddf0a46b24120bb95e8ec12aaf6782f4c94912c492152df44fac27"
	sumB = "763bd8eb1c65e85c2f805b01b1194f42d2b2acec504364909396d044997408c0"
)

func testFiles() fstest.MapFS {
	return fstest.MapFS{
		"m/0002_b.sql":   {Data: []byte("CREATE TABLE b (y);")},
		"m/0001_a.sql":   {Data: []byte("CREATE TABLE a (x);")},
		"m/README":       {Data: []byte("not a migration")},
		"other/0003.sql": {Data: []byte("elsewhere")},
	}
}

func TestFiles(t *testing.T) {
	files, err := Files(testFiles(), "m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name)
	}
	if want := []string{"0001_a.sql", "0002_b.sql"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("files %q; want %q in version order", got, want)
	}
	if files[0].Version != 1 || files[0].SQL != "CREATE TABLE a (x);" {
		t.Errorf("first file = %+v", files[0])
	}
	if files[0].Checksum != sumA || files[1].Checksum != sumB {
		t.Errorf("checksums %q, %q; want the files' SHA-256 %q, %q", files[0].Checksum, files[1].Checksum, sumA, sumB)
	}

	for _, tt := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no version", fstest.MapFS{"m/init.sql": {}}, "init.sql: the name must start with a version number"},
		{"version 0", fstest.MapFS{"m/0000_x.sql": {}}, "0000_x.sql"},
		{"same version twice", fstest.MapFS{"m/0001_a.sql": {}, "m/1_b.sql": {}}, "0001_a.sql and 1_b.sql have the same version"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Files(tt.fsys, "m"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v; want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestCheck(t *testing.T) {
	files, err := Files(testFiles(), "m")
	if err != nil {
		t.Fatal(err)
	}
	a, b := files[0], files[1]
	const hint = "rebuild it"
	for _, tt := range []struct {
		name       string
		history    []Applied
		wantLegacy []string
		wantErr    string
		wantTodo   []string
	}{
		{name: "new store", wantTodo: []string{"0001_a.sql", "0002_b.sql"}},
		{name: "up to date", history: []Applied{{1, a.Name, a.Checksum}, {2, b.Name, b.Checksum}}},
		{name: "one to apply", history: []Applied{{1, a.Name, a.Checksum}}, wantTodo: []string{"0002_b.sql"}},
		{name: "before checksums", history: []Applied{{1, a.Name, ""}}, wantLegacy: []string{"0001_a.sql"}, wantTodo: []string{"0002_b.sql"}},
		{name: "newer build", history: []Applied{{1, a.Name, a.Checksum}, {3, "0003_c.sql", "ff"}},
			wantErr: "records migration 3 (0003_c.sql), which this build of trustwatch does not have"},
		{name: "rewritten", history: []Applied{{1, a.Name, b.Checksum}},
			wantErr: "migration 0001_a.sql was applied to this store from a different file than this build's (checksum " + b.Checksum[:12] + "…, this build " + a.Checksum[:12] + "…)"},
		{name: "mixed", history: []Applied{{1, a.Name, ""}, {2, b.Name, b.Checksum}}, wantErr: "mixes migrations with and without checksums"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			legacy, err := Check(files, tt.history, hint)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasSuffix(err.Error(), hint) {
					t.Fatalf("err %v; want %q and the hint", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := names(legacy); !reflect.DeepEqual(got, tt.wantLegacy) {
				t.Errorf("legacy %q; want %q", got, tt.wantLegacy)
			}
			if got := names(Pending(files, tt.history)); !reflect.DeepEqual(got, tt.wantTodo) {
				t.Errorf("pending %q; want %q", got, tt.wantTodo)
			}
		})
	}
}

func names(fs []File) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Name)
	}
	return out
}

func TestDiff(t *testing.T) {
	want := map[string]string{"items": "table (id TEXT)", "items_time": "index on items", "a": "table (x)", "b": "table (x)", "c": "table (x)", "d": "table (x)"}
	for _, tt := range []struct {
		name string
		got  map[string]string
		want string
	}{
		{"same", want, ""},
		{"a column changed, an index missing, a view more", map[string]string{"items": "table (id INTEGER)", "v": "view on items", "a": "table (x)", "b": "table (x)", "c": "table (x)", "d": "table (x)"},
			"missing: index items_time; unexpected: view v; different: items"},
		{"more than three missing", map[string]string{"items": "table (id TEXT)", "items_time": "index on items"},
			"missing: table a, table b, table c, and 1 more"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := Diff(tt.got, want); got != tt.want {
				t.Errorf("Diff = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestCheckShipped(t *testing.T) {
	files, err := Files(testFiles(), "m")
	if err != nil {
		t.Fatal(err)
	}
	a, b := files[0], files[1]
	for _, tt := range []struct {
		name    string
		shipped string
		want    []string
	}{
		{"as shipped", a.Name + " " + a.Checksum + "\n" + b.Name + " " + b.Checksum + "\n", nil},
		{"new file", a.Name + " " + a.Checksum + "\n", []string{"new migration 0002_b.sql: add this line to testdata/migrations.sha256:\n0002_b.sql " + b.Checksum}},
		{"edited", a.Name + " " + b.Checksum + "\n" + b.Name + " " + b.Checksum + "\n", []string{"migration 0001_a.sql was edited after it shipped: write a new migration instead"}},
		{"removed", a.Name + " " + a.Checksum + "\n" + b.Name + " " + b.Checksum + "\n0003_c.sql ff\n", []string{"migration 0003_c.sql was removed after it shipped"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckShipped(files, []byte(tt.shipped)); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems %q; want %q", got, tt.want)
			}
		})
	}
}
