#!/usr/bin/env bash
# Builds a class data sharing archive (AppCDS, JDK 17's -XX:ArchiveClassesAtExit) for the gateway's jar: the classes a
# start and a few requests load, already parsed and verified, mapped from one file at the next start instead of read
# from the jar one by one. The JVM's own work until the first answer drops by about half (README.md, "Start-up time").
#
#   packaging/cds-archive.sh                                   # target/hook-gateway.jar -> target/hook-gateway.jsa
#   packaging/cds-archive.sh /opt/hook-gateway/hook-gateway.jar /opt/hook-gateway/hook-gateway.jsa -XX:+UseSerialGC
#   java -XX:SharedArchiveFile=target/hook-gateway.jsa -jar target/hook-gateway.jar ...
#
# Arguments: the jar, the archive to write, then the JVM flags it will run with (a heap size, a GC: the archive is
# refused, with a warning, when they do not fit it). HOOK_GATEWAY_CONFIG picks the configuration the training run
# starts (the embedded default when unset; its respond hooks, templates and /metrics are what it asks for).
#
# The archive belongs to that jar (its path, size and time) and that JVM: build it again after either changes. A
# stale or missing archive is not an error: the JVM says so on stderr and starts without it. Needs bash only (no curl),
# so it runs in the container image too.
set -euo pipefail

jar=${1:-target/hook-gateway.jar}
archive=${2:-${jar%.jar}.jsa}
shift $(( $# < 2 ? $# : 2 ))
[ -f "$jar" ] || { echo "cds-archive.sh: no jar at $jar (./mvnw package first)" >&2; exit 2; }

log=$(mktemp "${TMPDIR:-/tmp}/hook-gateway-cds.XXXXXX")
rm -f "$archive"
# Ports 0: the gateway picks free ones and logs them; the training run must not clash with a gateway already running.
java "$@" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" --bind 127.0.0.1 --port 0 --metrics-port 0 > "$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

hook_port=
metrics_port=
for _ in $(seq 1 600); do
  line=$(grep -m1 'listening for hooks on' "$log" || true)
  if [ -n "$line" ]; then
    hook_port=$(sed -E 's|.*http://127\.0\.0\.1:([0-9]+).*|\1|' <<<"$line")
    metrics_port=$(sed -nE 's|.*metrics on http://127\.0\.0\.1:([0-9]+)/metrics.*|\1|p' <<<"$line")
    break
  fi
  kill -0 "$pid" 2>/dev/null || { echo "cds-archive.sh: the gateway did not start:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.05
done
[ -n "$hook_port" ] || { echo "cds-archive.sh: the gateway did not start within 30 s:" >&2; cat "$log" >&2; exit 1; }

# One request over bash's /dev/tcp, the answer read to the end (Connection: close) and dropped.
request() {
  local port=$1 head=$2 body=${3:-}
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  printf '%s\r\nHost: localhost\r\nConnection: close\r\nContent-Length: %d\r\nContent-Type: application/json\r\n\r\n%s' \
    "$head" "${#body}" "$body" >&3
  cat <&3 > /dev/null
  exec 3<&-
}
# The paths of the embedded default; under another configuration they answer 404, which loads the same classes.
for _ in 1 2 3; do
  request "$hook_port" 'POST /post HTTP/1.1' '{"value1":"on"}'
  request "$hook_port" 'GET /hello/world HTTP/1.1'
  request "$hook_port" 'POST /ifttt/lights HTTP/1.1' '{"value1":"on","value2":"kitchen"}'
  request "$hook_port" 'GET /nowhere HTTP/1.1'
  [ -z "$metrics_port" ] || request "$metrics_port" 'GET /metrics HTTP/1.1'
done

# A clean stop: the archive is written as the JVM exits.
kill -TERM "$pid"
wait "$pid" || true
trap 'rm -f "$log"' EXIT
if [ ! -s "$archive" ]; then
  echo "cds-archive.sh: the JVM wrote no archive; its output:" >&2
  cat "$log" >&2
  exit 1
fi
echo "cds-archive.sh: wrote $archive ($(( $(wc -c < "$archive") / 1048576 )) MiB); use it with" \
  "-XX:SharedArchiveFile=$archive"
