#!/usr/bin/env bash
# Smoke test of the container image: builds it from this checkout and runs it the way a user does, with the
# configuration directory mounted, then checks from outside and inside:
#   - a hook answers (POST /post -> 200 SUCCESS) and /metrics, /healthz, /readyz answer on the metrics port;
#   - the image's HEALTHCHECK command, run inside the container, passes;
#   - PID 1 is the JVM (exec), running as a user other than root;
#   - SIGTERM during a request in flight (a command hook that sleeps 2 s) lets that request finish with 200, and the
#     container exits 0;
#   - the image's own configuration passes --check, its version label is the jar's version, and JAVA_OPTS reaches
#     the JVM;
# and prints the image's size.
#
# With a Docker engine (`docker info` answers) it uses docker. Otherwise it builds with buildah and runs with podman
# (see docker/engine.sh); base images it cannot pull are built from Debian by docker/stand-ins/build.sh. Every step
# has a time limit; the containers are removed at the end; the exit status is 0 only when every check passed.
#
# Usage: docker/smoke-test.sh         (root, or a user who may run docker; needs curl)
set -euo pipefail
cd "$(dirname "$0")/.."
. docker/engine.sh

image="${SMOKE_IMAGE:-localhost/hook-gateway:smoke}"
name="hook-gateway-smoke-$$"
work="$(mktemp -d)"
failures=0
started=$SECONDS

say() { printf '%s\n' "smoke: $*"; }
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; failures=$((failures + 1)); }
# The end: whatever happened, no container is left behind.
cleanup() {
  "${engine[@]}" rm -f "$name" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
# A step that fails outside a check (a build of the stand-ins, say) still ends with a FAIL line.
trap 'echo "FAIL smoke test: line $LINENO of docker/smoke-test.sh failed (status $?)"' ERR

command -v curl >/dev/null || { echo "FAIL curl is needed (apt-get install curl)"; exit 1; }
say "engine: $ENGINE"

# --- Base images: there, pulled, or stand-ins ------------------------------------------------------------------
bases=(docker.io/library/maven:3.9-eclipse-temurin-17 docker.io/library/eclipse-temurin:17-jre)
missing=()
for base in "${bases[@]}"; do
  if ! "${engine[@]}" image inspect "$base" >/dev/null 2>&1 \
      && ! timeout 120 "${engine[@]}" pull -q "$base" >/dev/null 2>&1; then
    missing+=("$base")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "cannot pull ${missing[*]}: building stand-ins from Debian"
  ENGINE="$ENGINE" timeout 1800 docker/stand-ins/build.sh
fi

# --- Build ---------------------------------------------------------------------------------------------------------
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
say "building $image (version $version)"
build_started=$SECONDS
# Labels given here rather than as the Dockerfile's build arguments: buildah 1.28 reuses a cached LABEL step when
# only an argument's value changed, which would leave the first build's revision on every later image.
oci=org.opencontainers.image
if timeout 1800 "${build[@]}" --label "$oci.version=$version" --label "$oci.revision=$revision" \
    --label "$oci.created=$(date -u +%Y-%m-%dT%H:%M:%SZ)" -t "$image" . >"$work/build.log" 2>&1; then
  pass "image built in $((SECONDS - build_started)) s"
else
  tail -40 "$work/build.log"
  fail "image build (log above)"
  exit 1
fi

# --- Run -----------------------------------------------------------------------------------------------------------
# A port free on this machine: the preferred one, else the first free one from 18080 on.
free_port() {
  local port="$1"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port < 18080 ? 18080 : port + 1))
  done
  echo "$port"
}
hook_port="$(free_port 8080)"
metrics_port="$(free_port 8081)"
[ "$metrics_port" != "$hook_port" ] || metrics_port="$(free_port $((hook_port + 1)))"

# The shipped configuration as a user starts from, in a mounted directory, plus a slow hook for the drain check.
# podman here shares the host's network, so the gateway itself listens on the free ports; docker maps them.
mkdir -p "$work/config"
if [ "$ENGINE" = docker ]; then
  gateway_ports=(8080 8081)
  network=(-p "127.0.0.1:$hook_port:8080" -p "127.0.0.1:$metrics_port:8081")
else
  gateway_ports=("$hook_port" "$metrics_port")
  network=(--network host)
fi
sed -e "s/^  port: 8080 /  port: ${gateway_ports[0]} /" -e "s/^  port: 8081 /  port: ${gateway_ports[1]} /" \
  gateway/gateway.yaml >"$work/config/gateway.yaml"
cat >>"$work/config/gateway.yaml" <<'YAML'

  # Smoke test: a request that takes two seconds, to send SIGTERM while it is in flight.
  - name: slow
    path: /slow
    methods: [POST]
    processor:
      type: command
      command: [sleep, "2"]
YAML
if ! grep -q "^  port: ${gateway_ports[0]} " "$work/config/gateway.yaml" \
    || ! grep -q "^  port: ${gateway_ports[1]} " "$work/config/gateway.yaml"; then
  fail "gateway/gateway.yaml no longer has the lines '  port: 8080 ' and '  port: 8081 ' this script rewrites"
  exit 1
fi
chmod -R a+rX "$work"

say "running $name: hooks on 127.0.0.1:$hook_port, metrics on 127.0.0.1:$metrics_port"
run_started=$SECONDS
# podman without systemd complains that it cannot schedule the health check; that is shown only if the run fails.
"${engine[@]}" run -d --name "$name" "${run_options[@]}" "${network[@]}" -v "$work/config:/etc/hook-gateway:ro" \
  "$image" >/dev/null 2>"$work/run.log" || { cat "$work/run.log"; fail "cannot start the container"; exit 1; }

hooks="http://127.0.0.1:$hook_port"
metrics="http://127.0.0.1:$metrics_port"
status_of() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@" || true; }

deadline=$((SECONDS + 60))
until [ "$(status_of "$metrics/readyz")" = 200 ]; do
  if [ "$("${engine[@]}" inspect --format '{{.State.Running}}' "$name" 2>/dev/null)" != true ] \
      || [ $SECONDS -ge $deadline ]; then
    "${engine[@]}" logs "$name" 2>&1 | tail -20
    fail "the gateway did not become ready within 60 s (log above)"
    exit 1
  fi
  sleep 0.5
done
pass "ready (/readyz 200) $((SECONDS - run_started)) s after start"

# --- Checks from outside ---------------------------------------------------------------------------------------
answer="$(curl -s --max-time 5 -w ' %{http_code}' -X POST -H 'Content-Type: application/json' -d '{"value1":"x"}' \
  "$hooks/post" || true)"
[ "$answer" = "SUCCESS 200" ] && pass "POST /post answers 200 SUCCESS" || fail "POST /post answered '$answer'"

scrape="$(curl -s --max-time 5 "$metrics/metrics" || true)"
if grep -q '^hook_gateway_requests_seconds_count{hook="post",method="POST",status="200"} [1-9]' <<<"$scrape"; then
  pass "/metrics counts the request"
else
  fail "/metrics does not count POST /post"
fi
for path in /healthz /readyz; do
  code="$(status_of "$metrics$path")"
  [ "$code" = 200 ] && pass "$path answers 200" || fail "$path answered $code"
done

# --- Checks inside ---------------------------------------------------------------------------------------------
# The HEALTHCHECK exactly as the image declares it, run where Docker runs it.
if [ "$ENGINE" = docker ]; then health_format='{{json .Config.Healthcheck.Test}}'; else health_format='{{json .HealthCheck.Test}}'; fi
health_json="$("${engine[@]}" image inspect --format "$health_format" "$image")"
# ["CMD","java",...,"--healthcheck"]: the words after CMD (none holds a space or a quote).
read -r -a health <<<"$(sed -e 's/^\["CMD",//' -e 's/\]$//' -e 's/","/" "/g' -e 's/"//g' <<<"$health_json")"
if [ "${health[0]:-}" = java ] && out="$(timeout 60 "${engine[@]}" exec "$name" "${health[@]}" 2>&1)"; then
  pass "HEALTHCHECK passes inside the container (${health[*]})"
else
  fail "HEALTHCHECK '$health_json' inside the container: ${out:-not run}"
fi

uid="$("${engine[@]}" exec "$name" stat -c %u /proc/1 2>/dev/null || echo '?')"
comm="$("${engine[@]}" exec "$name" cat /proc/1/comm 2>/dev/null || echo '?')"
[ "$uid" != 0 ] && [ "$uid" != '?' ] && pass "runs as uid $uid, not root" || fail "PID 1 runs as uid $uid"
[ "$comm" = java ] && pass "PID 1 is the JVM" || fail "PID 1 is '$comm', not java (no exec?)"

# Output is read whole before it is searched: with pipefail, `grep -q` quitting at its match would fail the writer.
logs="$("${engine[@]}" logs "$name" 2>&1 || true)"
transport="$(grep -o 'listening for hooks on .*' <<<"$logs" || true)"
say "start line: $transport"

# --- SIGTERM with a request in flight ------------------------------------------------------------------------------
curl -s --max-time 20 -o "$work/slow.body" -w '%{http_code}' -X POST "$hooks/slow" >"$work/slow.status" 2>&1 &
slow=$!
deadline=$((SECONDS + 10))
until grep -q '^hook_gateway_hook_active{hook="slow"} 1' <<<"$(curl -s --max-time 5 "$metrics/metrics" || true)"; do
  if [ $SECONDS -ge $deadline ]; then
    fail "POST /slow never showed as under way (hook_gateway_hook_active); SIGTERM is sent anyway"
    break
  fi
  sleep 0.1
done
"${engine[@]}" kill --signal TERM "$name" >/dev/null
stop_started=$SECONDS
wait "$slow" || true
exit_code="$(timeout 30 "${engine[@]}" wait "$name" 2>/dev/null || echo 'none within 30 s')"
slow_answer="$(cat "$work/slow.status") $(cat "$work/slow.body" 2>/dev/null)"
[ "$slow_answer" = "200 command exited with 0" ] && pass "the request in flight at SIGTERM finished: $slow_answer" \
  || fail "the request in flight at SIGTERM answered '$slow_answer'"
[ "$exit_code" = 0 ] && pass "the container exited 0, $((SECONDS - stop_started)) s after SIGTERM" \
  || fail "the container's exit status after SIGTERM: $exit_code"
logs="$("${engine[@]}" logs "$name" 2>&1 || true)"
grep -q 'stopping: draining requests in flight' <<<"$logs" \
  && pass "the log shows the drain" || fail "no drain in the log"

# --- The image itself ----------------------------------------------------------------------------------------------
check="$(timeout 60 "${engine[@]}" run --rm "${run_options[@]}" --network none "$image" --check 2>/dev/null | head -1 || true)"
[[ "$check" == "configuration OK: /etc/hook-gateway/gateway.yaml"* ]] && pass "the image's own configuration: $check" \
  || fail "--check of the image's own configuration: '$check'"
label="$("${engine[@]}" image inspect --format "{{index .Config.Labels \"$oci.version\"}}" "$image")"
jar_version="$(timeout 60 "${engine[@]}" run --rm "${run_options[@]}" --network none "$image" --version 2>/dev/null || true)"
[ "hook-gateway $label" = "$jar_version" ] && pass "version label $label is the jar's" \
  || fail "version label '$label', jar says '$jar_version'"

# JAVA_OPTS comes after the image's own flags, so it wins: -Xmx64m is the heap, whatever MaxRAMPercentage gives.
heap="$(timeout 60 "${engine[@]}" run --rm "${run_options[@]}" --network none -e JAVA_OPTS='-Xmx64m -XshowSettings:vm' \
  "$image" --version 2>&1 | grep -o 'Max. Heap Size.*' || true)"
[[ "$heap" == *": 64.00M" ]] && pass "JAVA_OPTS=-Xmx64m sets the heap ($heap)" || fail "JAVA_OPTS=-Xmx64m: '$heap'"

# A plain `docker build` labels the image with the Dockerfile's default version: it must be the pom's.
grep -q "^ARG VERSION=$version\$" Dockerfile && pass "the Dockerfile's default version is the pom's ($version)" \
  || fail "the Dockerfile's ARG VERSION is not the pom's $version"

size="$("${engine[@]}" image inspect --format '{{.Size}}' "$image")"
say "image size: $((size / 1000000)) MB ($size bytes, uncompressed)"
say "took $((SECONDS - started)) s"
if [ "$failures" -eq 0 ]; then
  echo "PASS smoke test"
else
  echo "FAIL smoke test: $failures check(s) failed"
  exit 1
fi
