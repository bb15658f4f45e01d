#!/bin/sh
# notify.sh [TITLE] — records a notification whose text arrives on standard input.
#
# A stand-in for a real notifier (ntfy, Pushover, a desktop notification, a chat message). It appends one line per
# notification to $NOTIFY_LOG (default ./state/notifications.log): the time, the title, and the message with newlines
# folded to spaces, so a webhook cannot forge extra lines.
set -eu

title="${1:-notification}"
log="${NOTIFY_LOG:-./state/notifications.log}"
mkdir -p "$(dirname "$log")"
message="$(head -c 4096 | tr '\r\n' '  ')"
printf '%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$title" "$message" >> "$log"
echo "notified: $title"
