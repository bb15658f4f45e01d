#!/usr/bin/env bash
# Memory soak: one gateway with -Xmx64m while MEMSOAK_BIG_CLIENTS (default 200) clients send 1 MiB bodies (the
# default limit) again and again, MEMSOAK_JSON_CLIENTS (default 8) send a megabyte of JSON made of half a million tiny
# values to a hook whose template reads it, and a probe client sends the seed's request every 10 ms.
# Loopback only; bounded by MEMSOAK_SECONDS (default 60).
#
# Prints: the probe's answers, failures (must be none) and p50/p99; the large bodies' answers (200, or 503 when the
# body memory budget is full); OutOfMemoryErrors in the gateway's log (must be none); the most the budget held; heap,
# direct memory and RSS. Exits non-zero if the probe failed, an OutOfMemoryError was logged or the gateway did not
# exit 0 on SIGTERM.
#
#   src/test/soak/memory-soak.sh
#   MEMSOAK_SECONDS=20 MEMSOAK_BIG_CLIENTS=100 src/test/soak/memory-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

SECONDS_TO_RUN="${MEMSOAK_SECONDS:-60}"
BIG_CLIENTS="${MEMSOAK_BIG_CLIENTS:-200}"
JSON_CLIENTS="${MEMSOAK_JSON_CLIENTS:-8}"
HEAP="${MEMSOAK_HEAP:-64m}"
# Extra JVM options for the gateway, such as -Dio.netty.leakDetection.level=advanced.
read -r -a GATEWAY_OPTS <<<"${MEMSOAK_JAVA_OPTS:-}"

source src/test/soak/soak-lib.sh
soak_build_jar

cat > "$work/memory-soak.yaml" <<'YAML'
server:
  bind: 127.0.0.1
  port: 0
  access-log: false
metrics:
  bind: 127.0.0.1
  port: 0
hooks:
  - name: post
    path: /post
    processor: {type: respond, body: SUCCESS}
  - name: upload
    path: /upload
    max-body-size: 1MiB
    max-concurrent: 256
    max-queued: 256
    processor: {type: respond, body: "stored\n"}
  - name: json
    path: /json
    max-body-size: 1MiB
    processor:
      type: respond
      content-type: application/json
      body: '{"x": "${json:/x}"}'
YAML

soak_start_gateway "$work/memory-soak.yaml" -Xmx"$HEAP" "${GATEWAY_OPTS[@]}"
rss_start="$(soak_rss)"
grep "request bodies may hold" "$work/gateway.log" | sed 's/^.*GatewayServer /soak: /' || true

# The most the body budget held, sampled every 100 ms while the load runs.
peak_file="$work/peak"
echo 0 > "$peak_file"
(
  while kill -0 "$gw" 2>/dev/null; do
    used="$(curl -s "http://127.0.0.1:$metrics_port/metrics" | awk '/^hook_gateway_body_memory_used_bytes / {print int($2)}')"
    if [ -n "$used" ] && [ "$used" -gt "$(cat "$peak_file")" ]; then echo "$used" > "$peak_file"; fi
    sleep 0.1
  done
) &
sampler=$!

echo "soak: gateway pid $gw on 127.0.0.1:$port, heap $HEAP; $BIG_CLIENTS clients of 1 MiB bodies," \
  "$JSON_CLIENTS of 1 MiB JSON, one probe, for $SECONDS_TO_RUN s"
set +e
# The load runs at the lowest priority, as if from other machines; the probe at the normal one.
nice -n 19 java src/test/soak/MemorySoakDriver.java "$port" "$SECONDS_TO_RUN" "$BIG_CLIENTS" "$JSON_CLIENTS" load &
load=$!
java src/test/soak/MemorySoakDriver.java "$port" "$SECONDS_TO_RUN" 0 0 probe
driver=$?
wait "$load"
set -e
rss_end="$(soak_rss)"
metrics="$(curl -s "http://127.0.0.1:$metrics_port/metrics" || true)"
kill "$sampler" 2>/dev/null || true
soak_stop_gateway
ooms="$(grep -c 'OutOfMemoryError' "$work/gateway.log" || true)"

echo "body memory max / peak used:  $(awk '/^hook_gateway_body_memory_max_bytes / {printf "%d", $2}' <<<"$metrics")" \
  "/ $(cat "$peak_file") bytes"
echo "heap used at end:             $(grep '^jvm_memory_used_bytes{' <<<"$metrics" | grep 'area="heap"' \
  | awk '{s += $2} END {printf "%.1f MiB", s / 1048576}')"
echo "direct buffers at end:        $(grep '^jvm_buffer_memory_used_bytes{id="direct"' <<<"$metrics" \
  | awk '{printf "%.1f MiB", $2 / 1048576}')"
echo "gateway RSS start / end:      ${rss_start} / ${rss_end}"
echo "OutOfMemoryError in the log:  ${ooms}"
echo "gateway exit status:          ${gw_exit}"
grep -E '^hook_gateway_decode_errors_total\{reason="body_memory_full"' <<<"$metrics" | sed 's/^/  /' || true
if [ "$ooms" != "0" ]; then
  grep -B2 -A10 'OutOfMemoryError' "$work/gateway.log" | head -40
fi
[ "$driver" -eq 0 ] && [ "$ooms" = "0" ] && [ "$gw_exit" -eq 0 ]
