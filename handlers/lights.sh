#!/bin/sh
# lights.sh ROOM STATE [LEVEL] — switches a (pretend) light and remembers its state.
#
# A stand-in for the script that talks to your real lights (a Tasmota HTTP call, a GPIO pin, an MQTT message). It
# checks its arguments like a real one must: they come from a webhook, so never trust them.
#
#   ROOM   letters, digits and '-' (kitchen, living-room)
#   STATE  on or off
#   LEVEL  0-100, optional (default 100 when on)
#
# State files go to $LIGHTS_STATE_DIR (default ./state/lights), one per room, holding "on 80" or "off".
# Exit codes: 0 switched; 2 bad arguments (map it to 400 in the hook's exit-codes).
set -eu

room="${1:-}"
state="${2:-}"
level="${3:-100}"

case "$room" in
  ''|*[!a-z0-9-]*) echo "lights: room must be letters, digits and '-', not '$room'" >&2; exit 2 ;;
esac
case "$state" in
  on|off) ;;
  *) echo "lights: state must be on or off, not '$state'" >&2; exit 2 ;;
esac
case "$level" in
  ''|*[!0-9]*) echo "lights: level must be a number from 0 to 100, not '$level'" >&2; exit 2 ;;
esac
if [ "$level" -gt 100 ]; then
  echo "lights: level must be a number from 0 to 100, not '$level'" >&2; exit 2
fi

dir="${LIGHTS_STATE_DIR:-./state/lights}"
mkdir -p "$dir"
if [ "$state" = on ]; then
  printf 'on %s\n' "$level" > "$dir/$room"
  echo "$room light on at $level%"
else
  printf 'off\n' > "$dir/$room"
  echo "$room light off"
fi
