package migration

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// File is one embedded schema change.
type File struct {
	Version  int
	Name     string // NNNN_what.sql
	SQL      string
	Checksum string // hex SHA-256 of the file
}

// Files lists the .sql files of dir in fsys in version order. A file is
// named NNNN_what.sql, NNNN being its version; two files with one version
// are an error.
func Files(fsys fs.FS, dir string) ([]File, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, err
	}
	var files []File
	for _, name := range names {
		base := path.Base(name)
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: the name must start with a version number and _", base)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		files = append(files, File{Version: v, Name: base, SQL: string(b), Checksum: hex.EncodeToString(sum[:])})
	}
	slices.SortFunc(files, func(a, b File) int { return a.Version - b.Version })
	for i := 1; i < len(files); i++ {
		if files[i].Version == files[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s have the same version", files[i-1].Name, files[i].Name)
		}
	}
	return files, nil
}

// Applied is a row of a store's schema history.
type Applied struct {
	Version  int
	Name     string
	Checksum string // "" for a migration applied before checksums were kept
}

// Check compares a store's history with this build's files. A version the
// build does not have (a newer or another build made the store), a
// checksum that differs from the file's (the file was rewritten after it
// was applied), or a history mixing rows with and without checksums is
// refused, with rebuild (the store's command to rebuild) in the message.
// legacy are the files of a history kept before checksums: the caller
// adopts them only if its schema is what they make today (Diff).
func Check(files []File, history []Applied, rebuild string) (legacy []File, err error) {
	byVersion := make(map[int]File, len(files))
	for _, f := range files {
		byVersion[f.Version] = f
	}
	for _, h := range history {
		f, ok := byVersion[h.Version]
		switch {
		case !ok:
			return nil, fmt.Errorf("the store records migration %d (%s), which this build of trustwatch does not have: it was made by a newer or a different build; %s", h.Version, h.Name, rebuild)
		case h.Checksum == "":
			legacy = append(legacy, f)
		case h.Checksum != f.Checksum:
			return nil, fmt.Errorf("migration %s was applied to this store from a different file than this build's (checksum %.12s…, this build %.12s…): its schema history was rewritten; %s", f.Name, h.Checksum, f.Checksum, rebuild)
		}
	}
	if len(legacy) > 0 && len(legacy) < len(history) {
		return nil, fmt.Errorf("the store's schema history mixes migrations with and without checksums; %s", rebuild)
	}
	return legacy, nil
}

// NotAdopted is the error for a history kept before checksums whose
// schema is not what its files make today: diff says how (Diff).
func NotAdopted(legacy []File, diff, rebuild string) error {
	return fmt.Errorf("the store says it has migrations up to %s but its schema is not what they make (%s): it was made by an older build whose migrations were since rewritten; %s", legacy[len(legacy)-1].Name, diff, rebuild)
}

// Pending are the files history does not list, in version order.
func Pending(files []File, history []Applied) []File {
	done := make(map[int]bool, len(history))
	for _, h := range history {
		done[h.Version] = true
	}
	var todo []File
	for _, f := range files {
		if !done[f.Version] {
			todo = append(todo, f)
		}
	}
	return todo
}

// Diff says how the schema got differs from want in a few words ("" when
// it does not). A schema maps each object's name to its description,
// whose first word is its kind ("table (id TEXT NOT NULL PK, …)", "index
// on items"); the first three missing, unexpected and different objects
// are named.
func Diff(got, want map[string]string) string {
	var missing, extra, changed []string
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			missing = append(missing, kind(w)+name)
		case g != w:
			changed = append(changed, name)
		}
	}
	for name, g := range got {
		if _, ok := want[name]; !ok {
			extra = append(extra, kind(g)+name)
		}
	}
	var parts []string
	for _, l := range []struct {
		what  string
		names []string
	}{{"missing", missing}, {"unexpected", extra}, {"different", changed}} {
		if len(l.names) == 0 {
			continue
		}
		slices.Sort(l.names)
		if len(l.names) > 3 {
			l.names = append(l.names[:3], fmt.Sprintf("and %d more", len(l.names)-3))
		}
		parts = append(parts, l.what+": "+strings.Join(l.names, ", "))
	}
	return strings.Join(parts, "; ")
}

func kind(desc string) string {
	if k, _, _ := strings.Cut(desc, " "); k != "" {
		return k + " "
	}
	return ""
}

// CheckShipped compares the files with the list of shipped checksums
// (lines "NNNN_what.sql HEX"; testdata/migrations.sha256 in each store's
// package) and says what is wrong, one sentence a problem: a file
// edited or removed after it shipped, or a new file missing from the list
// (with the line to add).
func CheckShipped(files []File, shipped []byte) []string {
	listed := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(shipped))
	for sc.Scan() {
		if name, sum, ok := strings.Cut(strings.TrimSpace(sc.Text()), " "); ok {
			listed[name] = sum
		}
	}
	var problems []string
	for _, f := range files {
		switch want, ok := listed[f.Name]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("new migration %s: add this line to testdata/migrations.sha256:\n%s %s", f.Name, f.Name, f.Checksum))
		case f.Checksum != want:
			problems = append(problems, fmt.Sprintf("migration %s was edited after it shipped: write a new migration instead", f.Name))
		}
		delete(listed, f.Name)
	}
	var removed []string
	for name := range listed {
		removed = append(removed, name)
	}
	slices.Sort(removed)
	for _, name := range removed {
		problems = append(problems, fmt.Sprintf("migration %s was removed after it shipped", name))
	}
	return problems
}
