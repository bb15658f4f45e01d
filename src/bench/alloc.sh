#!/usr/bin/env bash
# Bytes allocated on the Java heap per request, loopback only: the gateway on its default configuration, the same with
# the access log off, and Netty's stock HttpServerCodec + HttpObjectAggregator server answering the same SUCCESS
# (StockNettyServer), each served the seed's 48-byte JSON POST over wrk -t1 -c32 keep-alive.
#
#   src/bench/alloc.sh                                 # 100,000 requests per server, 2 interleaved rounds
#   REQUESTS=200000 ROUNDS=3 SERVERS="gateway stock" src/bench/alloc.sh
#
# Method: exact totals, not samples. After a warm-up (so the JIT has compiled, and escape analysis removed, what it
# will), a JFR recording with only jdk.ThreadAllocationStatistics is started with jcmd; that event is each thread's
# ThreadMXBean.getThreadAllocatedBytes, written when a recording's chunk begins and when it ends. wrk then sends
# exactly REQUESTS requests (its Lua script counts the answers and exits at REQUESTS; the at most CONNECTIONS - 1
# requests still in flight then, and the 32 connections' resets, are the error: well under 1 B/request at 100,000)
# and the recording is stopped. Allocated = the sum over all threads of end minus start (a thread started meanwhile
# counts from 0). An idle baseline, a recording of the same shape without load, gives what the process allocates
# anyway (JFR's own threads, jcmd's attach listener, timers); it is scaled to the loaded window's length and
# subtracted. Printed: bytes/request per server (median over ROUNDS, the spread beside it) and the idle figure.
# Direct and pooled buffer memory is not heap allocation and is not counted here.
#
# Needs: wrk, jcmd and jfr (the JDK's), python3; a built jar (built when absent). Allocation per request barely
# depends on machine load, unlike throughput.
set -euo pipefail
cd "$(dirname "$0")/../.."

REQUESTS=${REQUESTS:-100000}
ROUNDS=${ROUNDS:-2}
WARMUP=${WARMUP:-5}
IDLE_SECONDS=${IDLE_SECONDS:-3}
CONNECTIONS=${CONNECTIONS:-32}
SERVERS=${SERVERS:-"gateway gateway-nolog stock"}
JAVA_OPTS=${JAVA_OPTS:-}

for tool in wrk jcmd jfr python3; do
  command -v "$tool" >/dev/null || { echo "alloc.sh: $tool is needed" >&2; exit 2; }
done

. src/bench/lib.sh
bench_setup alloc
build_jar
compile_stock_server
derive_nolog_config
{ seed_request_lua; cat <<'LUA'
local answered = 0
function response(status, headers, body)
  answered = answered + 1
  if answered >= tonumber(os.getenv("ALLOC_REQUESTS")) then os.exit(0) end
end
LUA
} > "$work/post.lua"

declare -A url pid
start() {
  local name=$1 p m
  p=$(free_port)
  m=$(free_port)
  case $name in
    gateway)
      java $JAVA_OPTS -jar target/hook-gateway.jar --bind 127.0.0.1 --port "$p" --metrics-port "$m" \
        > "$work/$name.log" 2>&1 & ;;
    gateway-nolog)
      java $JAVA_OPTS -jar target/hook-gateway.jar --config "$work/nolog.yaml" --bind 127.0.0.1 --port "$p" \
        --metrics-port "$m" > "$work/$name.log" 2>&1 & ;;
    stock)
      java $JAVA_OPTS -cp "$work/classes:target/hook-gateway.jar" io.hookgateway.bench.StockNettyServer "$p" \
        > "$work/$name.log" 2>&1 & ;;
    *) echo "alloc.sh: unknown server $name" >&2; exit 2 ;;
  esac
  pid[$name]=$!
  pids+=("$!")
  url[$name]="http://127.0.0.1:$p/post"
  for _ in $(seq 1 500); do
    curl -fs -o /dev/null -X POST --data x "${url[$name]}" 2>/dev/null && return 0
    sleep 0.02
  done
  echo "alloc.sh: $name did not answer ${url[$name]} within 10 s; its log:" >&2
  tail -20 "$work/$name.log" >&2
  exit 1
}

# Sends exactly $2 requests to server $1 (none: waits IDLE_SECONDS instead) inside a recording of every thread's
# allocated bytes; prints "bytes seconds".
record() {
  local name=$1 requests=$2 file="$work/$name.$RANDOM.jfr"
  jcmd "${pid[$name]}" JFR.start name=alloc settings=none +jdk.ThreadAllocationStatistics#enabled=true >/dev/null
  if [ "$requests" -gt 0 ]; then
    ALLOC_REQUESTS=$requests wrk -t1 -c"$CONNECTIONS" -d600s -s "$work/post.lua" "${url[$name]}" >/dev/null
  else
    sleep "$IDLE_SECONDS"
  fi
  jcmd "${pid[$name]}" JFR.stop name=alloc filename="$file" >/dev/null
  jfr print --json --events jdk.ThreadAllocationStatistics "$file" | python3 -c '
import json, sys
from datetime import datetime
seen, times = {}, []
for e in json.load(sys.stdin)["recording"]["events"]:
    v = e["values"]
    at = datetime.fromisoformat(v["startTime"][:26])
    seen.setdefault(v["thread"]["javaThreadId"] if v["thread"] else None, []).append((at, v["allocated"]))
    times.append(at)
# A thread seen only at the end was started during the recording: all it allocated is in the window; one seen only at
# the start ended during it, and what it allocated meanwhile is lost (no such thread serves requests).
middle = min(times) + (max(times) - min(times)) / 2
total = sum(a[-1][1] - a[0][1] if len(a) > 1 else a[0][1] if a[0][0] > middle else 0 for a in seen.values())
print(total, (max(times) - min(times)).total_seconds())'
  rm -f "$file"
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "wrk -t1 -c$CONNECTIONS keep-alive, $REQUESTS requests per server and round, $ROUNDS interleaved rounds"
for name in $SERVERS; do
  start "$name"
  ALLOC_REQUESTS=1000000000 timeout "$WARMUP" wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$work/post.lua" \
    "${url[$name]}" >/dev/null || true
done
read -r -a order <<<"$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
  for i in "${!order[@]}"; do
    name=${order[$(( (i + round - 1) % ${#order[@]} ))]}
    read -r idle idle_s < <(record "$name" 0)
    read -r loaded loaded_s < <(record "$name" "$REQUESTS")
    awk -v l="$loaded" -v ls="$loaded_s" -v i="$idle" -v is="$idle_s" -v n="$REQUESTS" 'BEGIN {
      base = is > 0 ? i / is * ls : 0
      printf "%.0f %.0f %.1f\n", (l - base) / n, i / (is > 0 ? is : 1), ls }' >> "$work/$name.result"
  done
  echo "round $round of $ROUNDS done"
done

printf '\n%-16s %26s %18s\n' server "B/request (min-max)" "idle B/s"
for name in $SERVERS; do
  sort -n "$work/$name.result" | awk -v s="$name" '{b[NR] = $1; i[NR] = $2} END {
    m = NR % 2 ? b[(NR + 1) / 2] : (b[NR / 2] + b[NR / 2 + 1]) / 2
    printf "%-16s %12.0f (%.0f-%.0f) %18.0f\n", s, m, b[1], b[NR], i[1] }'
done
