# Shared by the benchmark scripts in src/bench (sourced, not run): a work directory removed at exit with every
# server started into $pids, free loopback ports, the built jar, the stock Netty server and the seed's request.
# The script that sources it has already changed to the repository's root.

# bench_setup NAME: a work directory in $work; every PID appended to the array $pids is killed at exit.
bench_setup() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/hook-gateway-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}

# A free TCP port on 127.0.0.1 (free when asked; the server binds it a moment later).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

now_ms() { date +%s%3N; }

# build_jar [JAR]: builds target/hook-gateway.jar when the given (or default) jar is absent.
build_jar() {
  [ -f "${1:-target/hook-gateway.jar}" ] || ./mvnw -q -B package -DskipTests
}

# The stock server into $work/classes, compiled against the jar, which carries the Netty the gateway runs on.
compile_stock_server() {
  mkdir -p "$work/classes"
  javac -d "$work/classes" -cp target/hook-gateway.jar src/bench/java/io/hookgateway/bench/StockNettyServer.java
}

# $work/nolog.yaml: the default configuration with the access log off.
derive_nolog_config() {
  sed 's/^  access-log: true /  access-log: false/' gateway/gateway.yaml > "$work/nolog.yaml"
  grep -q 'access-log: false' "$work/nolog.yaml" \
    || { echo "$0: could not derive the log-off configuration from gateway/gateway.yaml" >&2; exit 2; }
}

# The seed's request as a wrk script, to stdout; callers append their own Lua after it.
seed_request_lua() {
  cat <<'LUA'
wrk.method = "POST"
wrk.body = '{"value1":"on","value2":"kitchen","value3":"42"}'
wrk.headers["Content-Type"] = "application/json"
LUA
}
