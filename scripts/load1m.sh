#!/bin/sh
# load1m.sh builds a store of more than a million real items and measures
# every page and API endpoint of the dashboard over it with 4 concurrent
# clients (cmd/pagetimes -clients 4): docs/benchmarks.md, "Dashboard at 1M
# items (issue 15)".
#
#   scripts/load1m.sh [DIR]        # DIR defaults to /tmp/load1m
#
# The store is made of (the readers accept nothing else in ../shared/data:
# the sentiment and emotion corpora have no times):
#   1. the whole hot-search archive, weibo_hot_search_daily.tsv.gz
#      (833,895 rows, 718,186 items after deduplication);
#   2. the SU7 launch comments, weibo_comments.csv;
#   3. the archive's first 400,000 rows (2020-11-24 … 2023-07-29) again,
#      with every date moved 2,100 days back (2015-02-24 … 2017-10-28,
#      before the archive begins), written to
#      hot_search_shifted_2100d.tsv.gz: a second source whose items are new
#      by their times (284,291 items after deduplication).
# 718,186 + 3,591 + 284,291 = 1,006,068 items.
# Nothing of it is committed; the data stays in ../shared/data.
set -eu
dir=${1:-/tmp/load1m}
data=${TRUSTWATCH_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
repo=$(cd "$(dirname "$0")/.." && pwd)
watch=$repo/cmd/pagetimes/testdata/hotsearch.yaml
mkdir -p "$dir"
tw=$dir/trustwatch
(cd "$repo" && nice -n 10 go build -o "$tw" ./cmd/trustwatch)

if [ ! -f "$dir/store.db" ]; then
	archive=$data/weibo_hot_search/weibo_hot_search_daily.tsv.gz
	shifted=$dir/hot_search_shifted_2100d.tsv.gz
	# Noon UTC, so that no zone moves a day across midnight.
	zcat "$archive" | head -n 400001 | TZ=UTC awk 'BEGIN { FS = OFS = "\t" }
		NR == 1 { print; next }
		{ split($1, d, "-"); $1 = strftime("%Y-%m-%d", mktime(d[1] " " d[2] " " d[3] " 12 00 00") - 2100 * 86400); print }' |
		gzip -1 >"$shifted"
	nice -n 10 "$tw" ingest --db "$dir/store.db" --config "$watch" --format csv --map text=title,time=date "$archive"
	nice -n 10 "$tw" ingest --db "$dir/store.db" --config "$watch" --format csv \
		--map text=content,time=date,author=author_hash,likes=likecount "$data/su7_launch_comments/weibo_comments.csv"
	nice -n 10 "$tw" ingest --db "$dir/store.db" --config "$watch" --format csv --map text=title,time=date "$shifted"
fi
cd "$repo"
exec go run ./cmd/pagetimes -bin "$tw" -db "$dir/store.db" -config "$watch" -clients 4 -n "${N:-40}"
