#!/usr/bin/env bash
# Starts a throwaway PostgreSQL for the postgres package's tests and exports
# TRUSTWATCH_PG. Source it (". .ci/postgres.sh") so the variable and the
# EXIT trap that stops the server reach the caller; run on its own
# ("bash .ci/postgres.sh CMD ...") it starts PostgreSQL, runs CMD with
# TRUSTWATCH_PG set, and stops it.
#
# It installs Debian's postgresql when initdb is missing, and runs the server
# as a non-root user (postgres refuses to run as root): the caller when it is
# not root, else trustwatch-ci, created if needed. The cluster lives in a
# temporary directory, listens on 127.0.0.1 only, on a free port, with
# trust authentication: it is for tests, never for data.

set -euo pipefail

tw_pg_find_bin() {
	if command -v initdb >/dev/null 2>&1; then
		return 0
	fi
	# Debian installs the binaries per version, off PATH.
	local d
	for d in /usr/lib/postgresql/*/bin; do
		if [ -x "$d/initdb" ]; then
			PATH="$d:$PATH"
			export PATH
			return 0
		fi
	done
	return 1
}

if ! tw_pg_find_bin; then
	echo "postgres.sh: installing postgresql (initdb not found)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq postgresql >/dev/null
	tw_pg_find_bin || { echo "postgres.sh: initdb still missing after install" >&2; exit 1; }
fi

# A free port: one nothing on 127.0.0.1 answers on.
tw_pg_port=""
for p in $(shuf -i 20000-60000 -n 50); do
	if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
		tw_pg_port=$p
		break
	fi
done
[ -n "$tw_pg_port" ] || { echo "postgres.sh: no free port found" >&2; exit 1; }

tw_pg_dir=$(mktemp -d /tmp/trustwatch-pg.XXXXXX)
tw_pg_run=()
if [ "$(id -u)" = 0 ]; then
	if ! id trustwatch-ci >/dev/null 2>&1; then
		useradd --system --no-create-home --shell /usr/sbin/nologin trustwatch-ci
	fi
	chown trustwatch-ci "$tw_pg_dir"
	tw_pg_run=(runuser -u trustwatch-ci --)
fi

"${tw_pg_run[@]}" initdb -D "$tw_pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$tw_pg_dir/initdb.log" 2>&1 ||
	{ cat "$tw_pg_dir/initdb.log" >&2; exit 1; }
"${tw_pg_run[@]}" pg_ctl -D "$tw_pg_dir/data" -l "$tw_pg_dir/server.log" -w -t 60 \
	-o "-c listen_addresses=127.0.0.1 -p $tw_pg_port -k $tw_pg_dir" start >/dev/null ||
	{ cat "$tw_pg_dir/server.log" >&2; exit 1; }

tw_pg_stop() {
	"${tw_pg_run[@]}" pg_ctl -D "$tw_pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$tw_pg_dir"
}
trap tw_pg_stop EXIT

createdb -h 127.0.0.1 -p "$tw_pg_port" -U postgres trustwatch
export TRUSTWATCH_PG="postgres://postgres@127.0.0.1:$tw_pg_port/trustwatch?sslmode=disable"
echo "postgres.sh: PostgreSQL $(postgres --version | awk '{print $3}') on port $tw_pg_port (TRUSTWATCH_PG set)"

# Run on its own with a command: run it with the server up.
if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
	"$@"
fi
