# Sourced by .ci/run: makes sure nats-server (Debian's package) is
# installed, starts it with JetStream on a free loopback port in a temp dir
# and exports TRUSTWATCH_NATS for the bus tests. The server is stopped, and
# its dir removed, when the sourcing shell exits.
if ! command -v nats-server >/dev/null 2>&1; then
	echo "== installing nats-server (bus tests)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq nats-server >/dev/null
fi
nats_dir=$(mktemp -d)
# A free port: bind :0 and read back what the kernel chose.
nats_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)))
nats-server -js -sd "$nats_dir" -a 127.0.0.1 -p "$nats_port" >"$nats_dir/server.log" 2>&1 &
nats_pid=$!
stop_nats() { kill "$nats_pid" 2>/dev/null || true; wait "$nats_pid" 2>/dev/null || true; rm -rf "$nats_dir"; }
# Chain onto an EXIT trap set before (postgres.sh's), rather than replace it.
prev_exit_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
trap "stop_nats${prev_exit_trap:+; $prev_exit_trap}" EXIT
for _ in $(seq 50); do
	(exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null && break
	sleep 0.1
done
if (exec 3<>"/dev/tcp/127.0.0.1/$nats_port") 2>/dev/null; then
	export TRUSTWATCH_NATS="nats://127.0.0.1:$nats_port"
	echo "== nats-server $(nats-server --version | awk '{print $2}') on $TRUSTWATCH_NATS"
else
	echo "nats-server did not start:"; cat "$nats_dir/server.log"; exit 1
fi
