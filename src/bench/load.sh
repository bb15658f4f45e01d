#!/usr/bin/env bash
# Side-by-side load benchmark, loopback only and bounded in time: the gateway on its default configuration (access log
# and metrics on), the same with the access log off and with metrics off, the low-memory profile (gateway-small:
# gateway/small.yaml with the JVM flags of gateway/small.jvm and a class data sharing archive built for it by
# packaging/cds-archive.sh), Netty's stock HttpServerCodec +
# HttpObjectAggregator answering the same SUCCESS (StockNettyServer), and adnanh/webhook (Debian package `webhook`)
# with an equivalent hook. Each is driven by wrk in interleaved rounds, keep-alive and with `Connection: close`, with
# the seed's 48-byte JSON POST; it prints req/s, p50/p99 latency and CPU per request (from /proc/PID/stat), medians
# over the rounds, the ratios the targets are written in, and each server's time from launch to its first answer
# (curl polling every 20 ms) and resident memory: idle, at its peak under the load (VmHWM) and after it.
#
#   src/bench/load.sh                      # 3 rounds of 10 s per server and mode
#   ROUNDS=5 DURATION=20 src/bench/load.sh
#   SERVERS="gateway stock" src/bench/load.sh
#
# Needs: wrk; webhook (skipped with a note when absent); a built jar (built when absent). Machine noise: run it on an
# otherwise idle machine; every figure is a median of ROUNDS, and the spread is printed beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
CLOSE_DURATION=${CLOSE_DURATION:-5}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
SERVERS=${SERVERS:-"gateway gateway-nolog gateway-nometrics gateway-small stock webhook"}
JAVA_OPTS=${JAVA_OPTS:-}

command -v wrk >/dev/null || { echo "load.sh: wrk is needed (apt-get install wrk)" >&2; exit 2; }
if [[ " $SERVERS " == *" webhook "* ]] && ! command -v webhook >/dev/null; then
  echo "note: adnanh/webhook is not installed (apt-get install webhook); it is left out"
  SERVERS=${SERVERS/webhook/}
fi

. src/bench/lib.sh
bench_setup load
build_jar
compile_stock_server

if [[ " $SERVERS " == *" gateway-small "* ]]; then
  # Built for this jar and these flags before any server runs, so the training run competes with nothing measured.
  packaging/cds-archive.sh target/hook-gateway.jar "$work/small.jsa" @gateway/small.jvm > /dev/null
fi

derive_nolog_config
awk '/^metrics:/{m=1} m && /^  enabled: true/{sub(/true/,"false"); m=0} {print}' gateway/gateway.yaml \
  > "$work/nometrics.yaml"
grep -q 'enabled: false' "$work/nometrics.yaml" \
  || { echo "load.sh: could not derive the metrics-off configuration" >&2; exit 2; }
cat > "$work/hooks.json" <<'JSON'
[{"id": "post", "execute-command": "/bin/true", "response-message": "SUCCESS", "http-methods": ["POST"]}]
JSON
seed_request_lua > "$work/post.lua"

declare -A port url pid ready_ms idle_rss
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
# The most the process has been resident with since it started: under the load, as it starts below the idle RSS.
peak_rss_mib() { awk '/^VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }
start() {
  local name=$1 p m t0
  t0=$(now_ms)
  p=$(free_port)
  m=$(free_port)
  port[$name]=$p
  case $name in
    gateway)
      java $JAVA_OPTS -jar target/hook-gateway.jar --bind 127.0.0.1 --port "$p" --metrics-port "$m" \
        > "$work/$name.log" 2>&1 &
      url[$name]="http://127.0.0.1:$p/post" ;;
    gateway-nolog|gateway-nometrics)
      java $JAVA_OPTS -jar target/hook-gateway.jar --config "$work/${name#gateway-}.yaml" --bind 127.0.0.1 \
        --port "$p" --metrics-port "$m" > "$work/$name.log" 2>&1 &
      url[$name]="http://127.0.0.1:$p/post" ;;
    gateway-small)
      java @gateway/small.jvm -XX:SharedArchiveFile="$work/small.jsa" -jar target/hook-gateway.jar \
        --config gateway/small.yaml --bind 127.0.0.1 --port "$p" --metrics-port "$m" > "$work/$name.log" 2>&1 &
      url[$name]="http://127.0.0.1:$p/post" ;;
    stock)
      java $JAVA_OPTS -cp "$work/classes:target/hook-gateway.jar" io.hookgateway.bench.StockNettyServer "$p" \
        > "$work/$name.log" 2>&1 &
      url[$name]="http://127.0.0.1:$p/post" ;;
    webhook)
      webhook -hooks "$work/hooks.json" -ip 127.0.0.1 -port "$p" > "$work/$name.log" 2>&1 &
      url[$name]="http://127.0.0.1:$p/hooks/post" ;;
  esac
  pid[$name]=$!
  pids+=("$!")
  for _ in $(seq 1 500); do
    if curl -fs -o /dev/null -X POST --data x "${url[$name]}" 2>/dev/null; then
      ready_ms[$name]=$(( $(now_ms) - t0 ))
      return 0
    fi
    sleep 0.02
  done
  echo "load.sh: $name did not answer ${url[$name]} within 10 s; its log:" >&2
  tail -20 "$work/$name.log" >&2
  exit 1
}

# CPU seconds (user + system) the process has used so far, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)

# Waits (at most 30 s) until the process is idle: under 4% of a core over half a second. A server may go on working
# after wrk stops (adnanh/webhook still runs the commands of requests it took), which would be counted against the
# next server driven, and belongs to this one's CPU per request.
settle() {
  local before now
  for _ in $(seq 1 60); do
    before=$(ticks "$1")
    sleep 0.5
    now=$(ticks "$1")
    [ $((now - before)) -le $((HZ / 50)) ] && return 0
  done
}

# One wrk run; appends "rps p50_ms p99_ms cpu_us_per_request errors" to $work/$name.$mode.
drive() {
  local name=$1 mode=$2 seconds=$3 before after out requests rps p50 p99 errors extra=()
  [ "$mode" = close ] && extra=(-H 'Connection: close')
  before=$(ticks "${pid[$name]}")
  out=$(wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$work/post.lua" "${extra[@]}" "${url[$name]}")
  settle "${pid[$name]}"
  after=$(ticks "${pid[$name]}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
  echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(awk -v t=$((after - before)) -v hz="$HZ" -v n="$requests" \
    'BEGIN {printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0)}') $errors" >> "$work/$name.$mode"
}

# wrk prints latencies as 512.00us, 1.20ms or 2.00s.
to_ms() {
  awk -v v="$1" 'BEGIN {
    if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
    else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
    else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
    else print "nan" }'
}

# Median of column $2 of file $1, and its min-max spread.
median() {
  sort -g -k"$2","$2" "$1" | awk -v c="$2" '{v[NR] = $c} END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%s %s %s\n", m, v[1], v[NR] }'
}

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1)"
echo "wrk -t1 -c$CONNECTIONS, ${DURATION}s keep-alive and ${CLOSE_DURATION}s Connection: close per round," \
  "$ROUNDS interleaved rounds, ${WARMUP}s warm-up each"
# Started one at a time, so that each one's time to ready is its own; idle RSS read once all are up and quiet.
for name in $SERVERS; do start "$name"; done
sleep 2
for name in $SERVERS; do idle_rss[$name]=$(rss_mib "${pid[$name]}"); done
for name in $SERVERS; do drive "$name" warmup "$WARMUP" >/dev/null; done
rm -f "$work"/*.warmup
# Each round starts with another server: the first run of a round follows the last round's Connection: close runs
# (thousands of sockets in TIME_WAIT) and measured lower whichever server it was.
read -r -a order <<<"$SERVERS"
for round in $(seq 1 "$ROUNDS"); do
  for mode in keepalive close; do
    seconds=$DURATION
    [ "$mode" = close ] && seconds=$CLOSE_DURATION
    for i in "${!order[@]}"; do
      drive "${order[$(( (i + round - 1) % ${#order[@]} ))]}" "$mode" "$seconds"
    done
  done
  echo "round $round of $ROUNDS done"
done

declare -A rps
printf '\n%-18s %-10s %22s %9s %9s %10s %7s\n' server mode "req/s (min-max)" "p50 ms" "p99 ms" "CPU us/req" errors
for mode in keepalive close; do
  for name in $SERVERS; do
    read -r r rmin rmax < <(median "$work/$name.$mode" 1)
    read -r p50 _ _ < <(median "$work/$name.$mode" 2)
    read -r p99 _ _ < <(median "$work/$name.$mode" 3)
    read -r cpu _ _ < <(median "$work/$name.$mode" 4)
    errors=$(awk '{n += $5} END {print n}' "$work/$name.$mode")
    rps[$name.$mode]=$r
    printf '%-18s %-10s %10.0f (%.0f-%.0f) %9s %9s %10s %7s\n' "$name" "$mode" "$r" "$rmin" "$rmax" "$p50" "$p99" \
      "$cpu" "$errors"
  done
done

printf '\n%-18s %10s %14s %20s %20s\n' server "ready ms" "idle RSS MiB" "RSS under load MiB" "RSS after load MiB"
for name in $SERVERS; do
  printf '%-18s %10s %14s %20s %20s\n' "$name" "${ready_ms[$name]}" "${idle_rss[$name]}" \
    "$(peak_rss_mib "${pid[$name]}")" "$(rss_mib "${pid[$name]}")"
done

[[ " $SERVERS " == *" gateway-small "* ]] && echo "targets: gateway-small idle RSS <= 64 MiB, ready <= 500 ms," \
  "0 errors"

ratio() {
  local a=${rps[$1]:-} b=${rps[$2]:-}
  [ -n "$a" ] && [ -n "$b" ] && awk -v a="$a" -v b="$b" -v l="$3" 'BEGIN {printf "%-52s %.2fx\n", l, a / b}'
  return 0
}
echo
ratio gateway.keepalive stock.keepalive "gateway / stock netty, keep-alive (>= 1.1)"
ratio gateway.close stock.close "gateway / stock netty, Connection: close (>= 1.0)"
ratio gateway.keepalive webhook.keepalive "gateway / adnanh/webhook, keep-alive (>= 4)"
ratio gateway.close webhook.close "gateway / adnanh/webhook, Connection: close"
ratio gateway.keepalive gateway-nolog.keepalive "access log on / off, keep-alive (>= 0.95)"
ratio gateway.keepalive gateway-nometrics.keepalive "metrics on / off, keep-alive (>= 0.95)"
ratio gateway-small.keepalive gateway.keepalive "low-memory profile / default, keep-alive"
