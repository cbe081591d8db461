#!/bin/sh
# dense300k.sh builds the dense store of docs/benchmarks.md, "analyze over
# 133 days (issue 16)", and analyses it: 300,000 posts of real Weibo texts
# joined to at least 85 characters (cmd/denseposts), one every 47 s from
# 2025-01-27 for 163 days, ingested once into DIR/dense.db with a watch
# file of 小米 (brand), 雷军 (person) and 小米SU7 (product); each analysis
# of 2025-02-26 … 2025-07-08 runs on a fresh copy (analyze stores its
# alerts and results), with a CPU profile in DIR/analyze.prof. The
# command's output, the alerts and the results (scripts/dumpanalysis.sh)
# tell two binaries' analyses apart.
#
#   scripts/dense300k.sh [DIR]     # DIR defaults to /tmp/dense300k
#
# TW names another trustwatch binary to analyse with (default: built from
# this checkout into DIR). Nothing of the data is committed.
set -eu
dir=${1:-/tmp/dense300k}
data=${TRUSTWATCH_DATA:-$(cd "$(dirname "$0")/../.." && pwd)/shared/data}
repo=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$dir"
tw=${TW:-$dir/trustwatch}
if [ -z "${TW:-}" ]; then
	(cd "$repo" && go build -o "$tw" ./cmd/trustwatch)
fi
cat >"$dir/watch.yaml" <<'YAML'
timezone: Asia/Shanghai
entities:
  - {id: xiaomi, kind: brand, name: 小米}
  - {id: leijun, kind: person, name: 雷军, parent: xiaomi}
  - {id: su7, kind: product, name: 小米SU7, parent: xiaomi}
YAML
if [ ! -f "$dir/dense.db" ]; then
	(cd "$repo" && go run ./cmd/denseposts -data "$data" -n 300000 -chars 85 \
		-start 2025-01-27T00:00:00Z -every 47s) >"$dir/dense300k.jsonl"
	/usr/bin/time -f "ingest: %e s, %M KB" "$tw" ingest --db "$dir/dense.db" --config "$dir/watch.yaml" "$dir/dense300k.jsonl"
	# Opened once, a store over 256 MiB records its quick check, which a
	# store in use runs at most once a day; its copies then skip it.
	"$tw" stats --db "$dir/dense.db" --config "$dir/watch.yaml" >/dev/null
fi
cp "$dir/dense.db" "$dir/a.db"
uptime
/usr/bin/time -f "analyze: %e s wall, %U s user, %M KB" "$tw" analyze --db "$dir/a.db" --config "$dir/watch.yaml" \
	--from 2025-02-26 --to 2025-07-08 --cpuprofile "$dir/analyze.prof"
uptime
