#!/bin/sh
# deploy.sh REPOSITORY REF COMMIT — a pretend deployment, for GitHub push hooks.
#
# Prints each step as it goes (watch it with a streamed hook, or read it later from an async run's state) and
# appends a line to $DEPLOY_LOG (default ./state/deploys.log). DEPLOY_STEP_SECONDS (default 1) paces the steps.
# Exit codes: 0 deployed; 2 bad arguments.
set -eu

repo="${1:-}"
ref="${2:-}"
commit="${3:-}"
case "$repo" in ''|*[!A-Za-z0-9._/-]*) echo "deploy: bad repository '$repo'" >&2; exit 2 ;; esac
case "$commit" in ''|*[!0-9a-f]*) echo "deploy: bad commit '$commit'" >&2; exit 2 ;; esac
pause="${DEPLOY_STEP_SECONDS:-1}"

for step in "fetching $repo at $commit" "building" "testing" "switching over"; do
  echo "deploy: $step"
  sleep "$pause"
done
log="${DEPLOY_LOG:-./state/deploys.log}"
mkdir -p "$(dirname "$log")"
printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$repo" "$ref" "$commit" >> "$log"
echo "deploy: done, $repo $ref at $commit"
