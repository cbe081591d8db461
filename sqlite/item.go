package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"trustwatch"
	"trustwatch/query"
)

// PutItems stores the items not stored yet (same Platform and ID), with
// their entities, aspects and words, and adds them to the rollups, all in
// one transaction. An item that appears twice in items counts once as
// stored and once as a duplicate.
func (db *DB) PutItems(ctx context.Context, items []trustwatch.Item) (stored, duplicates int, err error) {
	if len(items) == 0 {
		return 0, 0, nil
	}
	if err := db.syncRollupZone(ctx); err != nil {
		return 0, 0, err
	}
	err = db.update(ctx, "put items", func(tx *Tx) (err error) {
		stored, duplicates, err = putItems(ctx, tx, items)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return stored, duplicates, nil
}

// itemsPerInsert is how many items one INSERT statement carries. Each
// statement costs far more than a row in modernc's SQLite, so rows go in
// many at a time (25 columns x 100 rows stays well under SQLite's 32766
// bound parameters).
const itemsPerInsert = 100

// itemKey is an item's identity.
type itemKey struct{ platform, id string }

// putItems inserts the new items, their entities, aspects and words, and
// adds them to the rollups.
func putItems(ctx context.Context, tx *Tx, items []trustwatch.Item) (stored, duplicates int, err error) {
	for i := range items {
		if items[i].ID == "" {
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "item %d: missing id", i)
		} else if items[i].Time.IsZero() {
			return 0, 0, trustwatch.Errorf(trustwatch.EINVALID, "item %d (%s): missing time", i, items[i].ID)
		}
	}
	// Rowids of new rows are above every existing one (pk is never near
	// its maximum, and the write lock is ours), so the rows this call
	// inserts are exactly those with pk > before.
	var before int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(pk), 0) FROM items`).Scan(&before); err != nil {
		return 0, 0, err
	}

	// 1. The items. A row that conflicts, with a stored item or with an
	// earlier row of the batch, is not inserted.
	files, err := sourceFiles(ctx, tx, items)
	if err != nil {
		return 0, 0, err
	}
	insItems := newBulkInsert(tx, `INSERT INTO items (platform, id, kind, parent_id, author, author_followers,
		title, text, time, url, likes, reposts, replies, entities, sentiment, p_pos, aspects, source_file, source_line,
		views, favorites, tags, keyword, lang, via)`,
		25, itemsPerInsert, ` ON CONFLICT (id, platform) DO NOTHING`)
	defer insItems.close()
	entities := make([][]string, len(items)) // distinct entities of each item
	first := make(map[itemKey]int, len(items))
	for i := range items {
		it := &items[i]
		entities[i] = distinct(nil, it.Entities)
		file, line := splitSource(it.Source)
		if err := insItems.add(ctx, it.Platform, it.ID, string(it.Kind), it.ParentID, it.Author,
			it.AuthorFollowers, it.Title, it.Text, it.Time.Unix(), it.URL, it.Likes, it.Reposts, it.Replies,
			encodeStrings(entities[i]), string(it.Sentiment), it.PPos,
			encodeAspects(it.Aspects), files[file], line,
			it.Views, it.Favorites, encodeStrings(it.Tags), it.Keyword, it.Lang, encodeStrings(it.Via)); err != nil {
			return 0, 0, err
		}
		if _, ok := first[itemKey{it.Platform, it.ID}]; !ok {
			first[itemKey{it.Platform, it.ID}] = i
		}
	}
	if err := insItems.flush(ctx); err != nil {
		return 0, 0, err
	}

	// 2. Which of them are new: the first occurrence of each inserted key.
	pks := make([]int64, len(items))
	rows, err := tx.QueryContext(ctx, `SELECT pk, platform, id FROM items WHERE pk > ?`, before)
	if err != nil {
		return 0, 0, err
	}
	for rows.Next() {
		var pk int64
		var k itemKey
		if err := rows.Scan(&pk, &k.platform, &k.id); err != nil {
			rows.Close()
			return 0, 0, err
		}
		pks[first[k]] = pk
	}
	if err := rows.Close(); err != nil {
		return 0, 0, err
	}

	// 3. Their entities, aspects, tags, text units and rollups.
	insEntities := newBulkInsert(tx, `INSERT INTO item_entities (entity, item)`, 2, 400, "")
	defer insEntities.close()
	insTags := newBulkInsert(tx, `INSERT INTO item_tags (tag, item)`, 2, 400, "")
	defer insTags.close()
	insAspects := newBulkInsert(tx, `INSERT INTO item_aspects (aspect, item, seq, label)`, 4, 250, "")
	defer insAspects.close()
	insUnits := newBulkInsert(tx, `INSERT INTO items_fts (rowid, units)`, 2, 500, "")
	defer insUnits.close()
	agg := newRollupAgg(tx.db.location())
	for i, pk := range pks {
		if pk == 0 {
			duplicates++
			continue
		}
		stored++
		it := &items[i]
		for _, e := range entities[i] {
			if err := insEntities.add(ctx, e, pk); err != nil {
				return 0, 0, err
			}
		}
		for seq, a := range it.Aspects {
			if err := insAspects.add(ctx, a.Aspect, pk, seq, string(a.Label)); err != nil {
				return 0, 0, err
			}
		}
		for _, tag := range distinct(nil, it.Tags) {
			if err := insTags.add(ctx, tag, pk); err != nil {
				return 0, 0, err
			}
		}
		if units := indexText(it); units != "" {
			if err := insUnits.add(ctx, pk, units); err != nil {
				return 0, 0, err
			}
		}
		agg.add(it, entities[i])
	}
	for _, b := range []*bulkInsert{insEntities, insAspects, insTags, insUnits} {
		if err := b.flush(ctx); err != nil {
			return 0, 0, err
		}
	}
	return stored, duplicates, agg.flush(ctx, tx)
}

// bulkInsert gathers rows and inserts them many per statement. The
// statement for a full set of rows is prepared once and reused.
type bulkInsert struct {
	tx         *Tx
	head, tail string // "INSERT INTO t (a, b)", " ON CONFLICT ..."
	cols, max  int
	args       []any
	full       *sql.Stmt
}

func newBulkInsert(tx *Tx, head string, cols, max int, tail string) *bulkInsert {
	return &bulkInsert{tx: tx, head: head, tail: tail, cols: cols, max: max, args: make([]any, 0, cols*max)}
}

// stmt returns the statement inserting n rows.
func (b *bulkInsert) stmt(ctx context.Context, n int) (*sql.Stmt, bool, error) {
	if n == b.max && b.full != nil {
		return b.full, false, nil
	}
	row := "(?" + strings.Repeat(", ?", b.cols-1) + ")"
	st, err := b.tx.PrepareContext(ctx, b.head+" VALUES "+row+strings.Repeat(", "+row, n-1)+b.tail)
	if err != nil {
		return nil, false, err
	}
	if n == b.max {
		b.full = st
		return st, false, nil
	}
	return st, true, nil // a one-off: the caller closes it
}

// add appends one row, inserting the gathered rows when there are max.
func (b *bulkInsert) add(ctx context.Context, vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) == b.cols*b.max {
		return b.flush(ctx)
	}
	return nil
}

// flush inserts the gathered rows.
func (b *bulkInsert) flush(ctx context.Context) error {
	n := len(b.args) / b.cols
	if n == 0 {
		return nil
	}
	st, oneOff, err := b.stmt(ctx, n)
	if err != nil {
		return err
	}
	if oneOff {
		defer st.Close()
	}
	_, err = st.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return err
}

func (b *bulkInsert) close() {
	if b.full != nil {
		b.full.Close()
	}
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
	return dst
}

// FindItems returns the items matching f and how many match in all.
func (db *DB) FindItems(ctx context.Context, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, 0, wrap("find items", err)
	}
	defer tx.Rollback()

	items, n, err := findItems(ctx, tx, f)
	if err != nil {
		return nil, 0, wrap("find items", err)
	}
	return items, n, nil
}

// ItemByID returns the item with the given id (the first stored, should two
// platforms use the same id), or ENOTFOUND.
func (db *DB) ItemByID(ctx context.Context, id string) (*trustwatch.Item, error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return nil, wrap("item by id", err)
	}
	defer tx.Rollback()

	it, err := itemByID(ctx, tx, id)
	if err != nil {
		return nil, wrap("item by id", err)
	}
	return it, nil
}

// EachItem calls fn for each item matching f, oldest first (f.Order is
// ignored), reading them one row at a time. fn runs inside the read
// transaction: it must not write to a ":memory:" store, whose single
// connection the transaction holds. An error from fn stops the walk and is
// returned as is.
func (db *DB) EachItem(ctx context.Context, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return wrap("each item", err)
	}
	defer tx.Rollback()

	f.Order = "time_asc"
	return eachItem(ctx, tx, f, fn)
}

// countAllItems counts the stored items from the daily rollup of all of
// them, which PutItems and UpdateAnalysis keep exact.
const countAllItems = `SELECT COALESCE(SUM(count), 0) FROM rollups WHERE period = 'day' AND entity = ''`

// Span returns the times of the oldest and newest items and their number.
// Three queries, not one: MIN and MAX alone are one step down the time
// index each, where a single SELECT MIN(time), MAX(time), COUNT(*) reads
// the whole index (~50 ms at a million items, on every windowed page); the
// count is the sum of the daily rollup of every item, which the ingest
// keeps exact, a few thousand rows instead of a million.
func (db *DB) Span(ctx context.Context) (first, last time.Time, n int64, err error) {
	tx, err := db.beginRead(ctx)
	if err != nil {
		return first, last, 0, wrap("span", err)
	}
	defer tx.Rollback()

	var lo, hi sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(time) FROM items`).Scan(&lo); err != nil {
		return first, last, 0, wrap("span", err)
	}
	if err := tx.QueryRowContext(ctx, `SELECT MAX(time) FROM items`).Scan(&hi); err != nil {
		return first, last, 0, wrap("span", err)
	}
	if err := tx.QueryRowContext(ctx, countAllItems).Scan(&n); err != nil {
		return first, last, 0, wrap("span", err)
	}
	return fromUnix(lo.Int64), fromUnix(hi.Int64), n, nil
}

func itemByID(ctx context.Context, tx *Tx, id string) (*trustwatch.Item, error) {
	var found *trustwatch.Item
	err := queryItems(ctx, tx, ` WHERE i.id = ?`, []any{id}, orderStored, 1, 0, func(it *trustwatch.Item) error {
		found = it
		return nil
	})
	if err != nil {
		return nil, err
	} else if found == nil {
		return nil, trustwatch.Errorf(trustwatch.ENOTFOUND, "item %q not found", id)
	}
	return found, nil
}

// minDense is the smallest ItemFilter.Estimate that estimates: fewer
// matches say too little about how they spread, and a caller that counts
// fewer only wants to skip the count (it gets a capped count, and the plan
// SQLite chooses for the page).
const minDense = 100

// estimateCount counts the items matching where up to limit, in the order
// they were stored; past it, it scales the count by how far into the
// stored items the limit was reached (matches spread like the items), and
// says the matches are dense.
func estimateCount(ctx context.Context, tx *Tx, where string, args []any, limit int) (n int, dense bool, err error) {
	if limit < minDense {
		// Too few to estimate from: the caller skips the count, so let
		// SQLite find any limit+1 matches by the best index.
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM items i`+where+` LIMIT `+strconv.Itoa(limit+1)+`)`, args...).Scan(&n)
		return n, false, err
	}
	var reached sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*), MAX(pk) FROM (SELECT i.pk AS pk FROM items i`+where+
		` ORDER BY i.pk LIMIT `+strconv.Itoa(limit+1)+`)`, args...).Scan(&n, &reached); err != nil {
		return 0, false, err
	}
	if n <= limit {
		return n, false, nil
	}
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(pk) FROM items`).Scan(&last); err != nil {
		return 0, false, err
	}
	est := float64(n) * float64(last) / float64(max(reached.Int64, 1))
	return roundEstimate(est), true, nil
}

// roundEstimate keeps two significant figures of an estimate: the others
// would be noise.
func roundEstimate(x float64) int {
	unit := 1.0
	for x/unit >= 100 {
		unit *= 10
	}
	return int(math.Round(x/unit) * unit)
}

func findItems(ctx context.Context, tx *Tx, f trustwatch.ItemFilter) ([]trustwatch.Item, int, error) {
	where, args, err := itemWhere(f)
	if err != nil {
		return nil, 0, err
	}
	order, err := itemOrder(f.Order)
	if err != nil {
		return nil, 0, err
	}
	// Counting every item would read a whole index; the rollups know.
	var n int
	dense := false
	switch {
	case f.Estimate < 0: // the caller does not use the total
	case where == "":
		err = tx.QueryRowContext(ctx, countAllItems).Scan(&n)
	case f.Estimate > 0:
		n, dense, err = estimateCount(ctx, tx, where, args, f.Estimate)
	default:
		err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM items i`+where, args...).Scan(&n)
	}
	if err != nil {
		return nil, 0, err
	}
	if dense && order.byTime {
		// More matches than Estimate: walking the time index down, the
		// first page of them comes after a few thousand rows at most,
		// where sorting every match by time reads them all (100 ms for
		// 中国 in a million titles).
		order.from = ` FROM items i INDEXED BY items_time`
	}
	items := make([]trustwatch.Item, 0)
	err = queryItems(ctx, tx, where, args, order, f.Limit, f.Offset, func(it *trustwatch.Item) error {
		items = append(items, *it)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return items, n, nil
}

func eachItem(ctx context.Context, tx *Tx, f trustwatch.ItemFilter, fn func(*trustwatch.Item) error) error {
	where, args, err := itemWhere(f)
	if err != nil {
		return err
	}
	order, err := itemOrder(f.Order)
	if err != nil {
		return err
	}
	var fnErr error
	err = queryItems(ctx, tx, where, args, order, f.Limit, f.Offset, func(it *trustwatch.Item) error {
		fnErr = fn(it)
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return wrap("each item", err)
}

// itemColumns are the columns scanItem reads, of items aliased i.
const itemColumns = `i.platform, i.id, i.kind, i.parent_id, i.author, i.author_followers,
	i.title, i.text, i.time, i.url, i.likes, i.reposts, i.replies, i.sentiment, i.p_pos,
	COALESCE((SELECT s.path FROM sources s WHERE s.id = i.source_file), ''), i.source_line,
	i.entities, i.aspects, i.views, i.favorites, i.tags, i.keyword, i.lang, i.via`

// queryItems calls fn for each item matching where (over items aliased i)
// in the given order, limit 0 meaning all. An inner query chooses and
// sorts the rows by their sort keys and pk alone; the outer one reads the
// chosen rows whole. So sorting many matches to keep a page moves small
// records, not whole items, and streaming a large set in time order does
// not hold it in memory. (The inner LIMIT, -1 when there is none, also
// keeps SQLite from flattening the two into one sort of whole rows.) The
// *Item passed to fn is fresh for each row.
func queryItems(ctx context.Context, tx *Tx, where string, args []any, order itemSort, limit, offset int, fn func(*trustwatch.Item) error) error {
	from := cmp.Or(order.from, ` FROM items i`)
	q := `SELECT ` + itemColumns + ` FROM (SELECT i.pk AS pk` + order.keys + from + where + order.inner +
		limitOffset(limit, offset) + `) AS p CROSS JOIN items i ON i.pk = p.pk` + order.outer
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return err
		}
		if err := fn(it); err != nil {
			return err
		}
	}
	return rows.Err()
}

func scanItem(rows *sql.Rows) (*trustwatch.Item, error) {
	var it trustwatch.Item
	var kind, label, file string
	var t, line int64
	var entities, aspects, tags, via []byte
	if err := rows.Scan(&it.Platform, &it.ID, &kind, &it.ParentID, &it.Author, &it.AuthorFollowers,
		&it.Title, &it.Text, &t, &it.URL, &it.Likes, &it.Reposts, &it.Replies, &label, &it.PPos, &file, &line,
		&entities, &aspects, &it.Views, &it.Favorites, &tags, &it.Keyword, &it.Lang, &via); err != nil {
		return nil, err
	}
	it.Kind = trustwatch.Kind(kind)
	it.Sentiment = trustwatch.Label(label)
	it.Time = fromUnix(t)
	it.Source = joinSource(file, line)
	var err error
	if it.Entities, err = decodeStrings(entities); err != nil {
		return nil, fmt.Errorf("item %s: entities: %w", it.ID, err)
	}
	if it.Aspects, err = decodeAspects(aspects); err != nil {
		return nil, fmt.Errorf("item %s: aspects: %w", it.ID, err)
	}
	if it.Tags, err = decodeStrings(tags); err != nil {
		return nil, fmt.Errorf("item %s: tags: %w", it.ID, err)
	}
	if it.Via, err = decodeStrings(via); err != nil {
		return nil, fmt.Errorf("item %s: via: %w", it.ID, err)
	}
	return &it, nil
}

// indexText is what the text index holds for an item: the units of its
// normalised title and text, joined by spaces ("" for none).
func indexText(it *trustwatch.Item) string {
	return query.ItemIndexText(it)
}

// encodeStrings writes a list of strings (entity ids, tags, via) as a
// JSON array; none is "[]".
func encodeStrings(es []string) string {
	if len(es) == 0 {
		return "[]"
	}
	buf, _ := json.Marshal(es) // strings always marshal
	return string(buf)
}

// decodeStrings reads what encodeStrings wrote; "[]" is nil.
func decodeStrings(b []byte) ([]string, error) {
	if len(b) <= 2 {
		return nil, nil
	}
	var es []string
	err := json.Unmarshal(b, &es)
	return es, err
}

// encodeAspects writes aspect hits as a JSON array of [aspect, label,
// word, clause]; none is "[]".
func encodeAspects(hits []trustwatch.AspectHit) string {
	if len(hits) == 0 {
		return "[]"
	}
	rows := make([][4]string, len(hits))
	for i, h := range hits {
		rows[i] = [4]string{h.Aspect, string(h.Label), h.Word, h.Clause}
	}
	buf, _ := json.Marshal(rows)
	return string(buf)
}

// decodeAspects reads what encodeAspects wrote; "[]" is nil.
func decodeAspects(b []byte) ([]trustwatch.AspectHit, error) {
	if len(b) <= 2 {
		return nil, nil
	}
	var rows [][4]string
	if err := json.Unmarshal(b, &rows); err != nil {
		return nil, err
	}
	hits := make([]trustwatch.AspectHit, len(rows))
	for i, r := range rows {
		hits[i] = trustwatch.AspectHit{Aspect: r[0], Label: trustwatch.Label(r[1]), Word: r[2], Clause: r[3]}
	}
	return hits, nil
}

// itemWhere renders the conditions of f over items aliased i.
func itemWhere(f trustwatch.ItemFilter) (string, []any, error) {
	var conds []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			conds = append(conds, col+" = ?")
			args = append(args, v)
		}
	}
	eq("i.platform", f.Platform)
	eq("i.kind", string(f.Kind))
	if f.Author != "" {
		// The author index is partial (non-empty authors only).
		conds = append(conds, "i.author = ? AND i.author <> ''")
		args = append(args, f.Author)
	}
	if f.ParentID != "" {
		// The parent index is partial (replies only), like the author's.
		conds = append(conds, "i.parent_id = ? AND i.parent_id <> ''")
		args = append(args, f.ParentID)
	}
	eq("i.sentiment", string(f.Label))
	if f.Entity != "" {
		conds = append(conds, "i.pk IN (SELECT e.item FROM item_entities e WHERE e.entity = ?)")
		args = append(args, f.Entity)
	}
	if f.Aspect != "" {
		conds = append(conds, "i.pk IN (SELECT a.item FROM item_aspects a WHERE a.aspect = ?)")
		args = append(args, f.Aspect)
	}
	if len(f.IDs) > 0 {
		ids, err := json.Marshal(f.IDs)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, "i.id IN (SELECT value FROM json_each(?))")
		args = append(args, string(ids))
	}
	if !f.From.IsZero() {
		conds = append(conds, "i.time >= ?")
		args = append(args, ceilUnix(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "i.time < ?")
		args = append(args, ceilUnix(f.To))
	}
	if strings.TrimSpace(f.Query) != "" {
		q, err := query.Parse(f.Query, query.Options{})
		if err != nil {
			return "", nil, trustwatch.Errorf(trustwatch.EINVALID, "query: %v", err)
		}
		c, err := queryCond(q.Root, &args)
		if err != nil {
			return "", nil, err
		}
		conds = append(conds, c)
	}
	return whereClause(conds), args, nil
}

// itemSort is an item order as queryItems needs it: the sort keys the
// inner query selects (after pk), its ORDER BY, and the outer ORDER BY over
// the inner query's columns. byTime says the order is the time index's;
// from, when set, replaces the inner query's " FROM items i" (to name the
// index).
type itemSort struct {
	keys, inner, outer string
	byTime             bool
	from               string
}

// orderStored is the order items were stored in.
var orderStored = itemSort{inner: " ORDER BY i.pk", outer: " ORDER BY p.pk"}

// itemOrder returns the sort for an ItemFilter.Order.
func itemOrder(order string) (itemSort, error) {
	switch order {
	case "", "time":
		return itemSort{keys: ", i.time AS t", inner: " ORDER BY i.time DESC, i.pk DESC", outer: " ORDER BY p.t DESC, p.pk DESC", byTime: true}, nil
	case "time_asc":
		return itemSort{keys: ", i.time AS t", inner: " ORDER BY i.time, i.pk", outer: " ORDER BY p.t, p.pk", byTime: true}, nil
	case "engagement":
		return itemSort{keys: ", i.likes + i.reposts + i.replies AS eng, i.time AS t",
			inner: " ORDER BY eng DESC, i.time DESC, i.pk DESC", outer: " ORDER BY p.eng DESC, p.t DESC, p.pk DESC"}, nil
	}
	return itemSort{}, trustwatch.Errorf(trustwatch.EINVALID, "unknown order %q (want time, time_asc or engagement)", order)
}

// splitSource cuts an item's Source "path:line" into its file and line; a
// source without a line number is all file.
func splitSource(src string) (string, int64) {
	if i := strings.LastIndexByte(src, ':'); i > 0 && canonicalLine(src[i+1:]) {
		if n, err := strconv.ParseInt(src[i+1:], 10, 64); err == nil {
			return src[:i], n
		}
	}
	return src, 0
}

// joinSource is the inverse of splitSource.
func joinSource(file string, line int64) string {
	if line == 0 {
		return file
	}
	return file + ":" + strconv.FormatInt(line, 10)
}

// sourceFiles returns the sources.id of every file the items were read
// from, adding the files not known yet; "" maps to 0.
func sourceFiles(ctx context.Context, tx *Tx, items []trustwatch.Item) (map[string]int64, error) {
	ids := map[string]int64{"": 0}
	for i := range items {
		file, _ := splitSource(items[i].Source)
		if _, ok := ids[file]; ok {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sources (path) VALUES (?) ON CONFLICT (path) DO NOTHING`, file); err != nil {
			return nil, err
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM sources WHERE path = ?`, file).Scan(&id); err != nil {
			return nil, err
		}
		ids[file] = id
	}
	return ids, nil
}

// canonicalLine reports whether s is a line number as joinSource writes it:
// digits, no sign, no leading zero, not 0; anything else stays in the path.
func canonicalLine(s string) bool {
	if s == "" || s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
