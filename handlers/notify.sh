#!/bin/sh
# notify.sh [TITLE] — records a notification whose text arrives on standard input.
#
# A stand-in for a real notifier (ntfy, Pushover, a desktop notification, a chat message). It appends one line per
# notification to $NOTIFY_LOG (default ./state/notifications.log): the time, a tab, the title, a tab, the message.
#
#   TITLE    optional (default "notification"): 1 to 64 of letters, digits, spaces, '.', '_' and '-', starting with
#            a letter or digit, so that it can neither break the line nor pass for an option
#   message  standard input, at most 4096 bytes; control characters (newlines, tabs, escapes, C1) and characters
#            that reorder or hide text (bidi controls, zero-width ones) become spaces, so a webhook cannot forge
#            lines or columns, or make the line read otherwise than it is
#
# The checks list their characters, because a range such as [a-z] depends on the locale (POSIX XBD 9.3.5); LC_ALL=C
# makes tr and ${#…} count bytes.
# Exit codes: 0 recorded; 2 bad arguments.
set -eu
LC_ALL=C
export LC_ALL

alnum=abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789

bad() {
  echo "notify: $1" >&2
  exit 2
}

[ $# -le 1 ] || bad "usage: notify.sh [TITLE] < message"
title=${1-notification}
case $title in
  [$alnum]*) ;;
  *) bad "title must start with a letter or digit" ;;
esac
case $title in
  *[!$alnum' ._-']*) bad "title must be letters, digits, spaces, '.', '_' and '-'" ;;
esac
[ ${#title} -le 64 ] || bad "title must be at most 64 characters"

# One byte more than allowed tells a message at the limit from one over it.
message=$(head -c 4097 | tr '\000-\037\177' '[ *]')
[ ${#message} -le 4096 ] || bad "message must be at most 4096 bytes"
# C1 controls (U+0080..U+009F: a terminal reads some as escapes) and the format characters that reorder or hide text
# (bidi marks, embeddings, overrides and isolates, zero-width characters, the byte order mark) become spaces too. In
# UTF-8 they are these byte sequences; each gets one expression of its own, as POSIX sed has no alternation.
message=$(printf '%s' "$message" | sed \
  -e "s/$(printf '\302[\200-\237]')/ /g" \
  -e "s/$(printf '\330\234')/ /g" \
  -e "s/$(printf '\342\200[\213-\217\252-\256]')/ /g" \
  -e "s/$(printf '\342\201[\240-\244\246-\251]')/ /g" \
  -e "s/$(printf '\357\273\277')/ /g")

log=${NOTIFY_LOG:-./state/notifications.log}
mkdir -p -- "$(dirname -- "$log")"
printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$title" "$message" >> "$log"
echo "notified: $title"
