#!/bin/sh
# dumpanalysis.sh DB prints what `trustwatch analyze` stored in a SQLite
# store, one line each, to compare two binaries' analyses with diff: every
# column of the alerts (evidence included) but their ids' order, and a
# digest of each saved dashboard result without the report's generated
# time. It needs the sqlite3 command.
#
#   scripts/dumpanalysis.sh a.db >a.txt; scripts/dumpanalysis.sh b.db >b.txt; diff a.txt b.txt
set -eu
db=$1
sqlite3 "$db" "SELECT rule, kind, entity, series, subject, severity, opened, updated, resolved, value, statement, evidence
	FROM alerts ORDER BY opened, kind, entity, subject, id"
sqlite3 "$db" "SELECT key FROM results ORDER BY key" | while IFS= read -r key; do
	sum=$(sqlite3 "$db" "SELECT data FROM results WHERE key = '$key'" | sed 's/"generated":"[^"]*"//' | sha256sum | cut -c1-16)
	echo "$key $sum"
done
