#!/usr/bin/env bash
# Time from launch to the first answer, for three starts of the gateway: the default configuration, the same with an
# AppCDS archive (packaging/cds-archive.sh), and 1,000 templated hooks. Each is started RUNS times, interleaved, on
# loopback; the time is from just before `java` is run to the first 200 that curl, asking every 10 ms, gets from a
# hook. Prints the median and the min-max spread of each, in milliseconds, and the median time the gateway logged
# until its hook port was bound (JVM start excluded), and the CPU time (user + system, every thread, the JIT's
# included) the process had used when it answered: on a busy machine the CPU time is the steadier figure.
#
#   src/bench/startup.sh                      # RUNS=7
#   RUNS=11 JAVA_OPTS='-XX:+UseSerialGC' src/bench/startup.sh
#   JAR=/tmp/main/target/hook-gateway.jar src/bench/startup.sh   # the same for another build
#
# The machine may be shared: look at the spread, and compare figures of one run only. Issue 10's target: 500 ms.
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-7}
JAR=${JAR:-target/hook-gateway.jar}   # another build to compare, e.g. main's
JAVA_OPTS=${JAVA_OPTS:-}
read -r -a java_opts <<<"$JAVA_OPTS"
command -v curl >/dev/null || { echo "startup.sh: curl is needed" >&2; exit 2; }

. src/bench/lib.sh
bench_setup startup
build_jar "$JAR"
packaging/cds-archive.sh "$JAR" "$work/gateway.jsa" "${java_opts[@]}" > /dev/null

# 1,000 hooks under templated paths, as routing sees them in the field; the last one is asked.
{
  echo 'hooks:'
  for i in $(seq 1 1000); do
    printf '  - name: hook-%d\n    path: /h%d/{event}\n    methods: [POST]\n    processor:\n' "$i" "$i"
    printf '      type: respond\n      body: "${path.event} %d"\n' "$i"
  done
} > "$work/hooks-1000.yaml"

HZ=$(getconf CLK_TCK)

# One start: prints "ms-to-first-answer ms-logged-to-bound cpu-ms-to-first-answer".
one() {
  local kind=$1 port metrics t0 path extra=()
  port=$(free_port)
  metrics=$(free_port)
  path=/post
  case $kind in
    default) ;;
    cds) extra=(-XX:SharedArchiveFile="$work/gateway.jsa") ;;
    hooks-1000) path=/h1000/ping ;;
  esac
  local args=(--bind 127.0.0.1 --port "$port" --metrics-port "$metrics")
  [ "$kind" != hooks-1000 ] || args+=(--config "$work/hooks-1000.yaml")
  t0=$(now_ms)
  java "${java_opts[@]}" "${extra[@]}" -jar "$JAR" "${args[@]}" > "$work/$kind.log" 2>&1 &
  gateway=$!
  pids=("$gateway")
  for _ in $(seq 1 2000); do
    if curl -fs -o /dev/null -X POST --data x "http://127.0.0.1:$port$path" 2>/dev/null; then
      local took=$(( $(now_ms) - t0 )) cpu
      cpu=$(awk -v hz="$HZ" '{printf "%d", ($14 + $15) * 1000 / hz}' "/proc/$gateway/stat")
      kill "$gateway"
      wait "$gateway" 2>/dev/null || true
      pids=()
      echo "$took $(logged_ms "$work/$kind.log") $cpu"
      return 0
    fi
    kill -0 "$gateway" 2>/dev/null || break
    sleep 0.01
  done
  echo "startup.sh: $kind did not answer on port $port; its log:" >&2
  tail -20 "$work/$kind.log" >&2
  exit 1
}

# From the first log line to "listening for hooks": the gateway's own part, without the JVM's start.
logged_ms() {
  awk '/^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:/ {
      split(substr($0, 12, 12), t, /[:.]/); ms = ((t[1] * 60 + t[2]) * 60 + t[3]) * 1000 + t[4]
      if (first == "") first = ms
      if ($0 ~ /listening for hooks/) { print ms - first; found = 1; exit } }
    END { if (!found) print "nan" }' "$1"
}

median() {
  sort -g | awk '{v[NR] = $1} END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%8s %6s-%-6s", m, v[1], v[NR] }'
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); $(java -version 2>&1 | head -1);" \
  "JAVA_OPTS='$JAVA_OPTS'; $JAR; $RUNS runs each, interleaved"
kinds=(default cds hooks-1000)
for kind in "${kinds[@]}"; do one "$kind" > /dev/null; done   # warms the page cache; not counted
for _ in $(seq 1 "$RUNS"); do
  for kind in "${kinds[@]}"; do one "$kind" >> "$work/$kind.times"; done
done
printf '%-12s %8s %13s %22s %21s\n' start "median ms" "min-max" "logged until bound ms" "CPU ms until answer"
for kind in "${kinds[@]}"; do
  printf '%-12s %s %14s %21s\n' "$kind" "$(cut -d' ' -f1 "$work/$kind.times" | median)" \
    "$(cut -d' ' -f2 "$work/$kind.times" | median | awk '{print $1}')" \
    "$(cut -d' ' -f3 "$work/$kind.times" | median | awk '{print $1}')"
done
