#!/usr/bin/env bash
# Memory soak: one gateway with -Xmx64m while MEMSOAK_BIG_CLIENTS (default 200) clients send 1 MiB bodies (the
# default limit) again and again, MEMSOAK_JSON_CLIENTS (default 8) send a megabyte of JSON made of half a million tiny
# values to a hook whose template reads it, MEMSOAK_FORWARD_CLIENTS (default 32) send 1 MiB bodies to two forward
# hooks, MEMSOAK_HEAD_HOLDERS (default 2500) connections hold request heads of 15 KiB that never end, and a probe
# client sends the seed's request every 10 ms. The forward hooks relay to the gateway's own /sink
# hook: one passes the body's bytes (a copy on the heap), the other renders it into a JSON template (a String, and
# the rendered bytes). Loopback only; bounded by MEMSOAK_SECONDS (default 60).
#
# Prints: the probe's answers, failures (must be none) and p50/p99; the load's answers by client kind (200, or 503
# when the body memory budget is full; a forward also passes back what /sink answered it); OutOfMemoryErrors in the
# gateway's log (must be none); the most the budget and the heap held; heap, direct memory and RSS. Exits non-zero if
# the probe failed, an OutOfMemoryError was logged or the gateway did not exit 0 on SIGTERM.
#
#   src/test/soak/memory-soak.sh
#   MEMSOAK_SECONDS=20 MEMSOAK_BIG_CLIENTS=100 src/test/soak/memory-soak.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

SECONDS_TO_RUN="${MEMSOAK_SECONDS:-60}"
BIG_CLIENTS="${MEMSOAK_BIG_CLIENTS:-200}"
JSON_CLIENTS="${MEMSOAK_JSON_CLIENTS:-8}"
FORWARD_CLIENTS="${MEMSOAK_FORWARD_CLIENTS:-32}"
HEAD_HOLDERS="${MEMSOAK_HEAD_HOLDERS:-2500}"
HEAP="${MEMSOAK_HEAP:-64m}"
# Extra JVM options for the gateway, such as -Dio.netty.leakDetection.level=advanced.
read -r -a GATEWAY_OPTS <<<"${MEMSOAK_JAVA_OPTS:-}"

source src/test/soak/soak-lib.sh
soak_build_jar

# The forwards name the gateway's own port in their URL, so the ports are chosen here rather than by the gateway.
MEMSOAK_PORT="$(soak_free_port)"
MEMSOAK_METRICS_PORT="$(soak_free_port)"
export MEMSOAK_PORT MEMSOAK_METRICS_PORT
cat > "$work/memory-soak.yaml" <<'YAML'
server:
  bind: 127.0.0.1
  port: ${MEMSOAK_PORT}
  access-log: false
metrics:
  bind: 127.0.0.1
  port: ${MEMSOAK_METRICS_PORT}
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
  # The forwards' downstream; a rendered body is a little over 1 MiB.
  - name: sink
    path: /sink
    max-body-size: 2MiB
    max-concurrent: 256
    max-queued: 256
    processor: {type: respond, body: "sunk\n"}
  - name: forward
    path: /forward
    max-body-size: 1MiB
    processor:
      type: forward
      url: "http://127.0.0.1:${MEMSOAK_PORT}/sink"
      retries: 0
  - name: forward-json
    path: /forward-json
    max-body-size: 1MiB
    processor:
      type: forward
      url: "http://127.0.0.1:${MEMSOAK_PORT}/sink"
      headers: {Content-Type: application/json}
      body: '{"received": "${body}"}'
      retries: 0
YAML

soak_start_gateway "$work/memory-soak.yaml" -Xmx"$HEAP" "${GATEWAY_OPTS[@]}"
rss_start="$(soak_rss)"
grep "request bodies may hold" "$work/gateway.log" | sed 's/^.*GatewayServer /soak: /' || true

# The most the body budget held, the heap held, and the old generation held after a collection (what stayed live),
# sampled every 100 ms while the load runs. ($NF: a label value such as id="G1 Old Gen" has spaces.)
echo "0 0 0" > "$work/peaks"
(
  while kill -0 "$gw" 2>/dev/null; do
    curl -s "http://127.0.0.1:$metrics_port/metrics" | awk -v peaks="$work/peaks" '
      BEGIN { getline line < peaks; split(line, p, " ") }
      /^hook_gateway_body_memory_used_bytes / { budget = $NF }
      /^jvm_memory_used_bytes\{/ && /area="heap"/ { heap += $NF }
      /^jvm_gc_live_data_size_bytes / { live = $NF }
      END { printf "%d %d %d\n", (budget > p[1] ? budget : p[1]), (heap > p[2] ? heap : p[2]),
            (live > p[3] ? live : p[3]) > peaks }'
    sleep 0.1
  done
) &
sampler=$!

echo "soak: gateway pid $gw on 127.0.0.1:$port, heap $HEAP; $BIG_CLIENTS clients of 1 MiB bodies," \
  "$JSON_CLIENTS of 1 MiB JSON, $FORWARD_CLIENTS of 1 MiB bodies to forward, $HEAD_HOLDERS slow heads of 15 KiB," \
  "one probe, for $SECONDS_TO_RUN s"
set +e
# The load runs at the lowest priority, as if from other machines; the probe at the normal one.
nice -n 19 java src/test/soak/MemorySoakDriver.java "$port" "$SECONDS_TO_RUN" "$BIG_CLIENTS" "$JSON_CLIENTS" \
  "$FORWARD_CLIENTS" "$HEAD_HOLDERS" load &
load=$!
java src/test/soak/MemorySoakDriver.java "$port" "$SECONDS_TO_RUN" 0 0 0 0 probe
driver=$?
wait "$load"
set -e
rss_end="$(soak_rss)"
metrics="$(curl -s "http://127.0.0.1:$metrics_port/metrics" || true)"
kill "$sampler" 2>/dev/null || true
soak_stop_gateway
ooms="$(grep -c 'OutOfMemoryError' "$work/gateway.log" || true)"
read -r peak_budget peak_heap peak_live < "$work/peaks"
mib() { awk '{s += $NF} END {printf "%.1f MiB", s / 1048576}'; }

echo "head memory max / at end:     $(awk '/^hook_gateway_head_memory_max_bytes / {printf "%d", $2}' <<<"$metrics")" \
  "/ $(awk '/^hook_gateway_head_memory_used_bytes / {printf "%d", $2}' <<<"$metrics") bytes"
echo "body memory max / peak used:  $(awk '/^hook_gateway_body_memory_max_bytes / {printf "%d", $2}' <<<"$metrics")" \
  "/ ${peak_budget} bytes"
echo "heap max / peak used / at end: $(grep '^jvm_memory_max_bytes{' <<<"$metrics" | grep 'area="heap"' \
  | awk '$NF > 0' | mib) / $(mib <<<"$peak_heap") / $(grep '^jvm_memory_used_bytes{' <<<"$metrics" \
  | grep 'area="heap"' | mib)"
echo "old gen live after GC, peak:  $(mib <<<"$peak_live")"
echo "GC pauses / total pause:      $(grep '^jvm_gc_pause_seconds_count{' <<<"$metrics" \
  | awk '{s += $NF} END {printf "%d", s}') / $(grep '^jvm_gc_pause_seconds_sum{' <<<"$metrics" \
  | awk '{s += $NF} END {printf "%.2f s", s}')"
echo "direct buffers at end:        $(grep '^jvm_buffer_memory_used_bytes{id="direct"' <<<"$metrics" | mib)"
echo "gateway RSS start / end:      ${rss_start} / ${rss_end}"
echo "OutOfMemoryError in the log:  ${ooms}"
echo "gateway exit status:          ${gw_exit}"
grep -E '^hook_gateway_decode_errors_total\{reason="(body|head)_memory_full"' <<<"$metrics" | sed 's/^/  /' || true
echo "forward attempts by outcome:"
grep -E '^hook_gateway_forward_attempts_seconds_count\{' <<<"$metrics" | awk '$NF != 0 {print "  " $0}' || true
if [ "$ooms" != "0" ]; then
  # Where each was thrown (the first frame of the gateway's own code), then the first one in full with its log line.
  echo "OutOfMemoryErrors by where they were thrown:"
  awk '/OutOfMemoryError/ { if (want) n["(no stack trace)"]++; want = 1; next }
       want && /^\tat io\.hookgateway\./ { sub(/^\tat /, ""); n[$0]++; want = 0 }
       want && !/^\t/ { n["(no stack trace)"]++; want = 0 }
       END { if (want) n["(no stack trace)"]++; for (k in n) printf "  %5d  %s\n", n[k], k }' "$work/gateway.log"
  echo "OutOfMemoryErrors in the answer to a hook's request, by hook:"
  grep -B1 'OutOfMemoryError' "$work/gateway.log" | grep -o "hook '[^']*' failed" | sort | uniq -c \
    | sed 's/^ */  /' || true
  echo "the first:"
  awk '/OutOfMemoryError/ && !done { print "  " previous; printing = 1 }
       printing && (/OutOfMemoryError/ || /^\t/ || /^Caused by/) { print "  " $0; next }
       printing { printing = 0; done = 1 }
       { previous = $0 }' "$work/gateway.log"
fi
cp "$work/gateway.log" target/memory-soak-gateway.log
echo "the gateway's log:            target/memory-soak-gateway.log"
[ "$driver" -eq 0 ] && [ "$ooms" = "0" ] && [ "$gw_exit" -eq 0 ]
