package sqlite

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// quickCheckEvery is how often a large store is checked on open; a store
// under quickCheckAlways is checked on every open (it takes well under a
// second).
const (
	quickCheckEvery  = 24 * time.Hour
	quickCheckAlways = 256 << 20
)

// quickCheck runs PRAGMA quick_check, so that a damaged file is refused on
// open instead of being written into. A large store is checked at most once
// a day; the time of its last clean check is kept in settings.
func (db *DB) quickCheck(ctx context.Context) error {
	fi, err := os.Stat(db.Path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil // a new store
		}
		return fmt.Errorf("sqlite: %s: %w", db.Path, err)
	}
	large := fi.Size() > quickCheckAlways
	if large {
		var last string
		err := db.db.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'quick_check'`).Scan(&last)
		if err == nil {
			if t, perr := strconv.ParseInt(last, 10, 64); perr == nil && db.Now().Sub(time.Unix(t, 0)) < quickCheckEvery {
				return nil
			}
		}
	}
	rows, err := db.db.QueryContext(ctx, `PRAGMA quick_check(5)`)
	if err != nil {
		return damaged(db.Path, FormatError(err).Error())
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return damaged(db.Path, err.Error())
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return damaged(db.Path, FormatError(err).Error())
	}
	if len(problems) > 0 {
		return damaged(db.Path, strings.Join(problems, "; "))
	}
	if large {
		// Best effort: a store made before settings existed has no table yet.
		db.db.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ('quick_check', ?)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, strconv.FormatInt(db.Now().Unix(), 10))
	}
	return nil
}

func damaged(path, detail string) error {
	return fmt.Errorf("sqlite: %s is damaged (PRAGMA quick_check: %s): nothing was written to it; "+
		"restore it from a backup, or rebuild it from its source files (trustwatch ingest --db NEW.db ...)", path, detail)
}
