#!/bin/sh
# deploy.sh REPOSITORY REF COMMIT — a pretend deployment, for GitHub push hooks.
#
# Prints each step as it goes (watch it with a streamed hook, or read it later from an async run's state) and
# appends a line to $DEPLOY_LOG (default ./state/deploys.log). DEPLOY_STEP_SECONDS (0 to 99, default 1) paces the
# steps. Its arguments come from a webhook, and a real deployment would use them as paths and git arguments, so each
# is checked against exactly what it may be first:
#
#   REPOSITORY  OWNER/NAME as GitHub spells them: OWNER 1 to 39 of letters, digits and '-', not starting with '-';
#               NAME 1 to 100 of letters, digits, '.', '_' and '-', not starting with '-', and not . or ..
#   REF         refs/heads/BRANCH or refs/tags/TAG, by git's rules for ref names (git-check-ref-format(1)): letters,
#               digits and . _ / -, no component that starts with '.' or '-' or ends with .lock, no '..' or '//',
#               not ending in '/' or '.'
#   COMMIT      a commit id, 7 to 64 of 0-9 and a-f, not all zeros (a push that deletes a branch has after=0000...)
#
# The checks list their characters, because a range such as [a-z] depends on the locale (POSIX XBD 9.3.5).
# Exit codes: 0 deployed; 2 bad arguments.
set -eu

alnum=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789
hex=0123456789abcdef

bad() {
  echo "deploy: $1" >&2
  exit 2
}

[ $# -eq 3 ] || bad "usage: deploy.sh OWNER/NAME refs/heads/BRANCH COMMIT"
repo=$1
ref=$2
commit=$3

owner=${repo%%/*}
name=${repo#*/}
case $repo in
  */*/*) bad "repository must be OWNER/NAME" ;;
  [$alnum]*/[$alnum._]*) ;;
  *) bad "repository must be OWNER/NAME, each starting with a letter or digit ('.' or '_' in NAME too)" ;;
esac
case $owner in
  *[!$alnum-]*) bad "repository owner must be letters, digits and '-'" ;;
esac
case $name in
  .|..) bad "repository name cannot be . or .." ;;
  *[!$alnum._-]*) bad "repository name must be letters, digits, '.', '_' and '-'" ;;
esac
[ ${#owner} -le 39 ] && [ ${#name} -le 100 ] || bad "repository owner or name is too long"

case $ref in
  refs/heads/?*|refs/tags/?*) ;;
  *) bad "ref must be refs/heads/BRANCH or refs/tags/TAG" ;;
esac
case ${ref#refs/*/} in
  *[!$alnum._/-]*) bad "ref must be letters, digits and . _ / -" ;;
  /*|.*|-*|*/.*|*/-*|*..*|*//*|*/|*.|*.lock|*.lock/*) bad "ref is not a valid git ref name" ;;
esac
[ ${#ref} -le 255 ] || bad "ref is too long"

case $commit in
  *[!$hex]*|'') bad "commit must be 7 to 64 of 0-9 and a-f" ;;
esac
[ ${#commit} -ge 7 ] && [ ${#commit} -le 64 ] || bad "commit must be 7 to 64 of 0-9 and a-f"
case $commit in
  *[!0]*) ;;
  *) bad "commit is all zeros: the push deleted the branch, so there is nothing to deploy" ;;
esac

pause=${DEPLOY_STEP_SECONDS:-1}
case $pause in
  [0123456789]|[0123456789][0123456789]) ;;
  *) echo "deploy: DEPLOY_STEP_SECONDS must be 0 to 99" >&2; exit 1 ;;
esac

for step in "fetching $repo at $commit" "building" "testing" "switching over"; do
  echo "deploy: $step"
  sleep "$pause"
done
log=${DEPLOY_LOG:-./state/deploys.log}
mkdir -p -- "$(dirname -- "$log")"
printf '%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$repo" "$ref" "$commit" >> "$log"
echo "deploy: done, $repo $ref at $commit"
