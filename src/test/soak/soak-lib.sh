# What soak.sh and memory-soak.sh both do, sourced by them from the repository's root: build the jar, start the
# gateway on a configuration and read its ports from its log, pick a free port, read its RSS, stop it with SIGTERM.
#
# Sets: work (a temporary directory, removed on exit), gw (the gateway's pid), port and metrics_port (read from its
# log), gw_exit (its exit status, after soak_stop_gateway). The gateway's log is "$work/gateway.log".

work="$(mktemp -d)"
gw=""
soak_cleanup() {
  if [ -n "$gw" ]; then kill "$gw" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap soak_cleanup EXIT

# Builds target/hook-gateway.jar when it is missing or older than a source, so that a soak never measures old code.
soak_build_jar() {
  if [ ! -f target/hook-gateway.jar ] \
      || [ -n "$(find pom.xml src/main -newer target/hook-gateway.jar -print -quit)" ]; then
    ./mvnw -q -DskipTests package
  fi
}

# A TCP port on 127.0.0.1 that is free now, for a configuration that must name its own port.
soak_free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# soak_start_gateway CONFIG [JVM OPTION...]: starts the jar on CONFIG and waits until it listens; sets gw, port and
# metrics_port. Fails, with the gateway's log, when it does not start within 10 s.
soak_start_gateway() {
  local config="$1" line
  shift
  ulimit -n 20000 2>/dev/null || true
  java "$@" -jar target/hook-gateway.jar --config "$config" > "$work/gateway.log" 2>&1 &
  gw=$!
  for _ in $(seq 1 100); do
    if grep -q "listening for hooks" "$work/gateway.log" || ! kill -0 "$gw" 2>/dev/null; then
      break
    fi
    sleep 0.1
  done
  if ! line="$(grep "listening for hooks" "$work/gateway.log")"; then
    echo "soak: the gateway did not start:" >&2
    cat "$work/gateway.log" >&2
    return 1
  fi
  port="$(sed -E 's|.*hooks on http://[^ ]*:([0-9]+) .*|\1|' <<<"$line")"
  metrics_port="$(sed -E 's|.*metrics on http://[^ ]*:([0-9]+)/.*|\1|' <<<"$line")"
}

# The gateway's resident set size, such as "183420 kB".
soak_rss() {
  awk '/VmRSS/ {print $2 " " $3}' "/proc/$gw/status"
}

# Stops the gateway with SIGTERM, as an orchestrator does, and sets gw_exit to its exit status.
soak_stop_gateway() {
  kill -TERM "$gw"
  if wait "$gw"; then gw_exit=0; else gw_exit=$?; fi
  gw=""
}
