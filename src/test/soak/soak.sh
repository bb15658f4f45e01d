#!/usr/bin/env bash
# Soak test: one gateway with -Xmx64m serves SOAK_REQUESTS (default 1,000,000) valid requests, each checked byte for
# byte, while hostile clients hit it at the same time: a thousand slowloris connections dripping a header byte a
# second, malformed requests, oversized bodies, aborted requests, random bytes, and clients that never read.
# Loopback only; bounded by the request count and SOAK_MAX_SECONDS (default 900).
#
# Prints: valid requests answered correctly (must be all), leak reports (must be none), RSS at start and end, and
# the well-behaved probe client's p50/p99. Exits non-zero if a valid request was answered wrongly or a leak was seen.
#
#   src/test/soak/soak.sh                      # full run
#   SOAK_REQUESTS=100000 src/test/soak/soak.sh # a quicker one
set -euo pipefail
cd "$(dirname "$0")/../../.."

REQUESTS="${SOAK_REQUESTS:-1000000}"
MAX_SECONDS="${SOAK_MAX_SECONDS:-900}"
HEAP="${SOAK_HEAP:-64m}"
LEAK_LEVEL="${SOAK_LEAK_LEVEL:-advanced}"

source src/test/soak/soak-lib.sh
soak_build_jar

cat > "$work/soak.yaml" <<'YAML'
server:
  bind: 127.0.0.1
  port: 0
  request-head-timeout: 5s
  request-body-timeout: 5s
  idle-timeout: 10s
  access-log: false
metrics:
  bind: 127.0.0.1
  port: 0
hooks:
  - name: post
    path: /post
    methods: [POST]
    processor: {type: respond, body: SUCCESS}
YAML

soak_start_gateway "$work/soak.yaml" -Xmx"$HEAP" -Dio.netty.leakDetection.level="$LEAK_LEVEL"
rss_start="$(soak_rss)"

echo "soak: gateway pid $gw on 127.0.0.1:$port (metrics $metrics_port), heap $HEAP, leak detection $LEAK_LEVEL"
echo "soak: $REQUESTS valid requests, at most $MAX_SECONDS s"
start=$(date +%s)
set +e
java src/test/soak/SoakDriver.java "$port" "$REQUESTS" "$MAX_SECONDS"
driver=$?
set -e
elapsed=$(( $(date +%s) - start ))
rss_end="$(soak_rss)"

metrics="$(curl -s "http://127.0.0.1:$metrics_port/metrics" || true)"
soak_stop_gateway
leaks="$(grep -c 'LEAK:' "$work/gateway.log" || true)"

echo "elapsed:                    ${elapsed} s"
echo "gateway RSS start / end:    ${rss_start} / ${rss_end}"
echo "leak reports:               ${leaks}"
echo "gateway exit status:        ${gw_exit}"
echo "decode errors by reason:"
grep '^hook_gateway_decode_errors_total' <<<"$metrics" | grep -v ' 0.0$' | sed 's/^/  /' || true
grep -E '^hook_gateway_(connections_total|connections_rejected_total)' <<<"$metrics" | sed 's/^/  /' || true
if [ "$leaks" != "0" ]; then
  grep -A20 'LEAK:' "$work/gateway.log" | head -60
fi
[ "$driver" -eq 0 ] && [ "$leaks" = "0" ] && [ "$gw_exit" -eq 0 ]
