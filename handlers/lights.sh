#!/bin/sh
# lights.sh ROOM STATE [LEVEL] — switches a (pretend) light and remembers its state.
#
# A stand-in for the script that talks to your real lights (a Tasmota HTTP call, a GPIO pin, an MQTT message). Its
# arguments come from a webhook, so it checks each against exactly what it may be before using it:
#
#   ROOM   1 to 32 of a-z, 0-9 and '-', starting with a letter or digit (kitchen, living-room): a file name that
#          cannot be an option (-x), a path (a/b, ..) or a glob
#   STATE  on or off
#   LEVEL  0 to 100, optional (default 100): digits only, no sign, space or leading zero
#
# The checks are case patterns that list their characters, because a range such as [a-z] or [0-9] depends on the
# locale (POSIX XBD 9.3.5). LEVEL is matched, never compared as a number: test(1) fails on 20 digits, which an `if`
# reads as false, and shell arithmetic evaluates a value as an expression (see "Shell scripts" in the README).
#
# State files go to $LIGHTS_STATE_DIR (default ./state/lights), one per room, holding "on 80" or "off".
# Exit codes: 0 switched; 2 bad arguments (map it to 400 in the hook's exit-codes).
set -eu

lower=abcdefghijklmnopqrstuvwxyz
digits=0123456789

bad() {
  echo "lights: $1" >&2
  exit 2
}

[ $# -ge 2 ] && [ $# -le 3 ] || bad "usage: lights.sh ROOM on|off [LEVEL]"
room=$1
state=$2
level=${3-100}

case $room in
  [$lower$digits]*) ;;
  *) bad "room must start with a letter or digit" ;;
esac
case $room in
  *[!$lower$digits-]*) bad "room must be a-z, 0-9 and '-'" ;;
esac
[ ${#room} -le 32 ] || bad "room must be at most 32 characters"
case $state in
  on|off) ;;
  *) bad "state must be on or off" ;;
esac
case $level in
  [$digits]|[123456789][$digits]|100) ;;
  *) bad "level must be a number from 0 to 100" ;;
esac

dir=${LIGHTS_STATE_DIR:-./state/lights}
mkdir -p -- "$dir"
if [ "$state" = on ]; then
  printf 'on %s\n' "$level" > "$dir/$room"
  echo "$room light on at $level%"
else
  printf 'off\n' > "$dir/$room"
  echo "$room light off"
fi
