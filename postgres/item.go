package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"trustwatch"
	"trustwatch/query"
)

// stageColumns are the columns of the staging table PutItems copies a
// batch into, in the order of stageRow.
var stageColumns = []string{"idx", "platform", "id", "kind", "parent_id", "author", "author_followers",
	"title", "text", "time", "url", "likes", "reposts", "replies", "entities", "sentiment", "p_pos",
	"aspects", "aspect_names", "source", "words", "views", "favorites", "tags", "keyword", "lang", "via"}

// createStage makes the session's staging table if this connection has
// none yet. ON COMMIT DELETE ROWS empties it at every commit, so it is
// made once per connection rather than once per batch (a temporary table
// per batch would write the system catalogs every time).
const createStage = `CREATE TEMP TABLE IF NOT EXISTS tw_stage (
	idx integer NOT NULL, platform text NOT NULL, id text NOT NULL, kind text NOT NULL,
	parent_id text NOT NULL, author text NOT NULL, author_followers bigint NOT NULL,
	title text NOT NULL, text text NOT NULL, time timestamptz NOT NULL, url text NOT NULL,
	likes bigint NOT NULL, reposts bigint NOT NULL, replies bigint NOT NULL,
	entities text[] NOT NULL, sentiment text NOT NULL, p_pos double precision NOT NULL,
	aspects text NOT NULL, aspect_names text[] NOT NULL, source text NOT NULL, words text NOT NULL,
	views bigint NOT NULL, favorites bigint NOT NULL, tags text[] NOT NULL, keyword text NOT NULL,
	lang text NOT NULL, via text[] NOT NULL,
	pk bigint
) ON COMMIT DELETE ROWS`

// claimIDs claims the identity of every staged item not stored yet and
// marks those rows with their pk, returning their idx. Identities are
// claimed in (platform, id) order, bytewise: two writers of overlapping
// batches then wait for each other's keys in the same order and cannot
// deadlock. A key another transaction has claimed but not committed makes
// this one wait; if that one commits, the key is a duplicate here.
const claimIDs = `WITH new AS (
	INSERT INTO item_ids (platform, id, time)
	SELECT platform, id, time FROM tw_stage ORDER BY platform COLLATE "C", id COLLATE "C"
	ON CONFLICT (platform, id) DO NOTHING
	RETURNING platform, id, pk)
UPDATE tw_stage s SET pk = new.pk FROM new WHERE s.platform = new.platform AND s.id = new.id
RETURNING s.idx`

// insertItems moves the claimed rows of the staging table into items; the
// partition is chosen by time.
const insertItems = `INSERT INTO items (pk, platform, id, kind, parent_id, author, author_followers,
	title, text, time, url, likes, reposts, replies, entities, sentiment, p_pos, aspects, aspect_names,
	source, words, views, favorites, tags, keyword, lang, via)
SELECT pk, platform, id, kind, parent_id, author, author_followers,
	title, text, time, url, likes, reposts, replies, entities, sentiment, p_pos, aspects::jsonb, aspect_names,
	source, words::tsvector, views, favorites, tags, keyword, lang, via
FROM tw_stage WHERE pk IS NOT NULL`

// PutItems stores the items not stored yet (same Platform and ID) and adds
// them to the rollups, in one transaction: the batch is copied into a
// staging table, the new identities are claimed in item_ids, the new items
// inserted with one INSERT ... SELECT, and the rollups incremented. An item
// that appears twice in items counts once as stored and once as a
// duplicate.
func (db *DB) PutItems(ctx context.Context, items []trustwatch.Item) (stored, duplicates int, err error) {
	if len(items) == 0 {
		return 0, 0, nil
	}
	b, err := db.prepareItems(ctx, items)
	if err != nil {
		return 0, 0, err
	}
	err = db.update(ctx, "put items", func(tx pgx.Tx) (err error) {
		stored, err = b.put(ctx, tx)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, len(items) - stored, nil
}

// itemBatch is a batch of items ready to be put in a transaction: checked,
// their partitions made, their staging rows built.
type itemBatch struct {
	loc      *time.Location
	items    []trustwatch.Item
	entities [][]string // distinct entities, by index in items
	rows     [][]any    // staging rows, the first occurrence of each key
}

// prepareItems checks items, makes the partitions they go in (each in a
// short transaction of its own: a partition left empty by a failed put is
// harmless) and builds their staging rows.
func (db *DB) prepareItems(ctx context.Context, items []trustwatch.Item) (*itemBatch, error) {
	months := make(map[time.Time]bool)
	for i := range items {
		if items[i].ID == "" {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "item %d: missing id", i)
		} else if items[i].Time.IsZero() {
			return nil, trustwatch.Errorf(trustwatch.EINVALID, "item %d (%s): missing time", i, items[i].ID)
		}
		months[month(items[i].Time)] = true
	}
	if err := db.ensurePartitions(ctx, months); err != nil {
		return nil, err
	}

	// The first occurrence of a key in the batch is the one stored.
	type key struct{ platform, id string }
	seen := make(map[key]bool, len(items))
	b := &itemBatch{loc: db.location(), items: items, entities: make([][]string, len(items)),
		rows: make([][]any, 0, len(items))}
	for i := range items {
		it := &items[i]
		k := key{it.Platform, it.ID}
		if seen[k] {
			continue
		}
		seen[k] = true
		b.entities[i] = distinct(nil, it.Entities)
		b.rows = append(b.rows, []any{int32(i), it.Platform, it.ID, string(it.Kind), it.ParentID, it.Author,
			it.AuthorFollowers, it.Title, it.Text, utc(it.Time), it.URL, it.Likes, it.Reposts, it.Replies,
			b.entities[i], string(it.Sentiment), it.PPos, encodeAspects(it.Aspects), aspectNames(it.Aspects),
			it.Source, unitsVector(it), it.Views, it.Favorites, strs(it.Tags), it.Keyword, it.Lang, strs(it.Via)})
	}
	return b, nil
}

// put stores the batch's new items in tx and adds them to the rollups; it
// returns how many it stored. It runs once per transaction: the staging
// table empties only at commit.
func (b *itemBatch) put(ctx context.Context, tx pgx.Tx) (stored int, err error) {
	if _, err := tx.Exec(ctx, createStage); err != nil {
		return 0, err
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"tw_stage"}, stageColumns, pgx.CopyFromRows(b.rows)); err != nil {
		return 0, err
	}
	newRows, err := tx.Query(ctx, claimIDs)
	if err != nil {
		return 0, err
	}
	idxs, err := pgx.CollectRows(newRows, pgx.RowTo[int32])
	if err != nil {
		return 0, err
	}
	if len(idxs) == 0 {
		return 0, nil
	}
	if _, err := tx.Exec(ctx, insertItems); err != nil {
		return 0, err
	}
	agg := newRollupAgg(b.loc)
	for _, i := range idxs {
		agg.add(&b.items[i], b.entities[i])
	}
	return len(idxs), agg.flush(ctx, tx)
}

// distinct appends to dst the non-empty strings of src, each once, in order.
func distinct(dst, src []string) []string {
next:
	for _, s := range src {
		if s == "" {
			continue
		}
		for _, d := range dst {
			if d == s {
				continue next
			}
		}
		dst = append(dst, s)
	}
	if dst == nil {
		dst = []string{} // NOT NULL: no entities is an empty array
	}
	return dst
}

// aspectNames returns the distinct aspects an item mentions, for the
// aspect filter's index.
func aspectNames(hits []trustwatch.AspectHit) []string {
	names := make([]string, 0, len(hits))
	for _, h := range hits {
		names = append(names, h.Aspect)
	}
	return distinct(nil, names)
}

// maxPosition is the largest position a tsvector keeps: PostgreSQL sets
// larger ones to it.
const maxPosition = 16383

// unitsVector is an item's text index entry: the units of its normalised
// title and text with their positions (from 1), as a tsvector literal,
// 'unit':pos ... (a lexeme given twice gathers its positions). Units past
// position 16383 all sit at 16383 (PostgreSQL's bound): such a unit is
// found as a word, but phrases and NEAR past that point are not. PostgreSQL
// also keeps at most 256 positions of one lexeme, which only NEAR and
// phrases over a unit repeated more often in one item could notice.
func unitsVector(it *trustwatch.Item) string {
	var b strings.Builder
	for i, u := range query.ItemIndexUnits(it) {
		if len(u) > maxLexeme {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(u))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(min(i+1, maxPosition)))
	}
	return b.String()
}

// maxLexeme is PostgreSQL's bound on the length of one lexeme, in bytes;
// a longer unit could not be indexed (nor searched for) anyway.
const maxLexeme = 2047

// quoteLexeme quotes a unit for a tsvector or tsquery literal. A unit is
// letters and digits only; quotes and backslashes are escaped all the same.
func quoteLexeme(u string) string {
	return "'" + lexemeEscaper.Replace(u) + "'"
}

var lexemeEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

// strs is ss, or an empty array for none (the columns are NOT NULL).
func strs(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// encodeAspects writes aspect hits as a JSON array of [aspect, label,
// word, clause], as the SQLite store does.
func encodeAspects(hits []trustwatch.AspectHit) string {
	rows := make([][4]string, len(hits))
	for i, h := range hits {
		rows[i] = [4]string{h.Aspect, string(h.Label), h.Word, h.Clause}
	}
	buf, _ := json.Marshal(rows) // strings always marshal
	return string(buf)
}

// decodeAspects reads what encodeAspects wrote; none is nil.
func decodeAspects(b []byte) ([]trustwatch.AspectHit, error) {
	var rows [][4]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	hits := make([]trustwatch.AspectHit, len(rows))
	for i, r := range rows {
		hits[i] = trustwatch.AspectHit{Aspect: r[0], Label: trustwatch.Label(r[1]), Word: r[2], Clause: r[3]}
	}
	return hits, nil
}

// itemColumns are the columns scanItem reads, of items aliased i.
const itemColumns = `i.platform, i.id, i.kind, i.parent_id, i.author, i.author_followers,
	i.title, i.text, i.time, i.url, i.likes, i.reposts, i.replies, i.sentiment, i.p_pos,
	i.source, i.entities, i.aspects, i.views, i.favorites, i.tags, i.keyword, i.lang, i.via`

func scanItem(row pgx.Row) (*trustwatch.Item, error) {
	var it trustwatch.Item
	var kind, label string
	var aspects []byte
	if err := row.Scan(&it.Platform, &it.ID, &kind, &it.ParentID, &it.Author, &it.AuthorFollowers,
		&it.Title, &it.Text, &it.Time, &it.URL, &it.Likes, &it.Reposts, &it.Replies, &label, &it.PPos,
		&it.Source, &it.Entities, &aspects, &it.Views, &it.Favorites, &it.Tags, &it.Keyword, &it.Lang, &it.Via); err != nil {
		return nil, err
	}
	it.Kind = trustwatch.Kind(kind)
	it.Sentiment = trustwatch.Label(label)
	it.Time = it.Time.UTC()
	if len(it.Entities) == 0 {
		it.Entities = nil
	}
	if len(it.Tags) == 0 {
		it.Tags = nil
	}
	if len(it.Via) == 0 {
		it.Via = nil
	}
	var err error
	if it.Aspects, err = decodeAspects(aspects); err != nil {
		return nil, fmt.Errorf("item %s: aspects: %w", it.ID, err)
	}
	return &it, nil
}

// itemWhere renders the conditions of f over items aliased i.
func itemWhere(f trustwatch.ItemFilter, a *args) (string, error) {
	var conds []string
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = "+a.add(v))
		}
	}
	eq("i.platform", f.Platform)
	eq("i.kind", string(f.Kind))
	if f.Author != "" {
		// The author index is partial (non-empty authors only).
		conds = append(conds, "i.author = "+a.add(f.Author)+" AND i.author <> ''")
	}
	if f.ParentID != "" {
		// The parent index is partial (replies only): a parameter does
		// not prove the predicate to a generic plan, the condition does.
		conds = append(conds, "i.parent_id = "+a.add(f.ParentID)+" AND i.parent_id <> ''")
	}
	eq("i.sentiment", string(f.Label))
	if f.Entity != "" {
		conds = append(conds, "i.entities @> "+a.add([]string{f.Entity})+"::text[]")
	}
	if f.Aspect != "" {
		conds = append(conds, "i.aspect_names @> "+a.add([]string{f.Aspect})+"::text[]")
	}
	if len(f.IDs) > 0 {
		conds = append(conds, "i.id = ANY("+a.add(f.IDs)+"::text[])")
	}
	if !f.From.IsZero() {
		conds = append(conds, "i.time >= "+a.add(ceilSecond(f.From)))
	}
	if !f.To.IsZero() {
		conds = append(conds, "i.time < "+a.add(ceilSecond(f.To)))
	}
	if strings.TrimSpace(f.Query) != "" {
		q, err := query.Parse(f.Query, query.Options{})
		if err != nil {
			return "", trustwatch.Errorf(trustwatch.EINVALID, "query: %v", err)
		}
		c, err := queryCond(q.Root, a)
		if err != nil {
			return "", err
		}
		conds = append(conds, c)
	}
	return whereClause(conds), nil
}

// itemOrder returns the ORDER BY of an ItemFilter.Order; pk breaks ties
// in the order items were stored.
func itemOrder(order string) (string, error) {
	switch order {
	case "", "time":
		return " ORDER BY i.time DESC, i.pk DESC", nil
	case "time_asc":
		return " ORDER BY i.time, i.pk", nil
	case "engagement":
		return " ORDER BY i.likes + i.reposts + i.replies DESC, i.time DESC, i.pk DESC", nil
	}
	return "", trustwatch.Errorf(trustwatch.EINVALID, "unknown order %q (want time, time_asc or engagement)", order)
}

// FindItems returns the items matching f and how many match in all, the
// count and the page from one snapshot.
func (db *DB) FindItems(ctx context.Context, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	order, err := itemOrder(f.Order)
	if err != nil {
		return nil, 0, err
	}
	var a args
	where, err := itemWhere(f, &a)
	if err != nil {
		return nil, 0, err
	}
	items := make([]trustwatch.Item, 0)
	var n int
	err = db.read(ctx, "find items", func(tx pgx.Tx) error {
		// Counting every item would read all of them; the rollups know.
		count := `SELECT count(*) FROM items i` + where
		if where == "" {
			count = countAllItems
		}
		if f.Estimate >= 0 { // below 0 the caller does not use the total
			if err := tx.QueryRow(ctx, count, a...).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return nil
			}
		}
		rows, err := tx.Query(ctx, `SELECT `+itemColumns+` FROM items i`+where+order+limitOffset(f.Limit, f.Offset), a...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			it, err := scanItem(rows)
			if err != nil {
				return err
			}
			items = append(items, *it)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return items, n, nil
}

// ItemByID returns the item with the given id (the first stored, should two
// platforms use the same id), or ENOTFOUND.
func (db *DB) ItemByID(ctx context.Context, id string) (*trustwatch.Item, error) {
	row := db.pool.QueryRow(ctx, `SELECT `+itemColumns+` FROM item_ids d
		JOIN items i ON i.pk = d.pk AND i.time = d.time
		WHERE d.id = $1 ORDER BY d.pk LIMIT 1`, id)
	it, err := scanItem(row)
	if err == pgx.ErrNoRows {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "item %q not found", id)
	} else if err != nil {
		return nil, wrap("item by id", err)
	}
	return it, nil
}

// EachItem calls fn for each item matching f, oldest first (f.Order is
// ignored), as the rows arrive from the server. fn may use the store: the
// walk holds one connection of the pool. An error from fn stops the walk
// and is returned as is.
func (db *DB) EachItem(ctx context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	var a args
	where, err := itemWhere(f, &a)
	if err != nil {
		return err
	}
	rows, err := db.pool.Query(ctx, `SELECT `+itemColumns+` FROM items i`+where+
		` ORDER BY i.time, i.pk`+limitOffset(f.Limit, f.Offset), a...)
	if err != nil {
		return wrap("each item", err)
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return wrap("each item", err)
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return wrap("each item", rows.Err())
}

// countAllItems counts the stored items from the daily rollup of all of
// them, which the ingest and re-tagging keep exact.
const countAllItems = `SELECT coalesce(sum(count), 0)::bigint FROM rollups WHERE period = 'day' AND entity = ''`

// Span returns the times of the oldest and newest items and their number:
// min and max each one step down the time index (an aggregate beside them,
// as in SELECT min(time), max(time), count(*), makes PostgreSQL read every
// row), the number from the rollups.
func (db *DB) Span(ctx context.Context) (first, last time.Time, n int64, err error) {
	var lo, hi *time.Time
	err = db.read(ctx, "span", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT min(time) FROM items`).Scan(&lo); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT max(time) FROM items`).Scan(&hi); err != nil {
			return err
		}
		return tx.QueryRow(ctx, countAllItems).Scan(&n)
	})
	if err != nil {
		return first, last, 0, err
	}
	if lo != nil {
		first, last = lo.UTC(), hi.UTC()
	}
	return first, last, n, nil
}
