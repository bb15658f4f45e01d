#!/usr/bin/env bash
# Builds local stand-ins for the Dockerfile's two base images, for a machine that can build and run images but cannot
# pull from Docker Hub (CI here). Each is a Debian bookworm tree made by debootstrap, imported under the real image's
# name, so the Dockerfile builds unchanged:
#   eclipse-temurin:17-jre         Debian minbase + openjdk-17-jre-headless
#   maven:3.9-eclipse-temurin-17   Debian minbase + openjdk-17-jdk-headless + maven (mvn on PATH, as in the real one)
# They are stand-ins for a test, not releases: the real images are Ubuntu with Temurin, and Debian's Maven is 3.8.7.
#
# The packages and the finished trees (as tar files) are cached outside the repository, in
# ${XDG_CACHE_HOME:-$HOME/.cache}/hook-gateway/stand-ins, so a rerun only imports them. Delete that folder to start
# over. Needs root (debootstrap), and docker or podman to import into (see ../engine.sh).
#
# Usage: docker/stand-ins/build.sh     builds and imports what is missing (ENGINE=docker|podman to choose)
set -euo pipefail

cache="${XDG_CACHE_HOME:-$HOME/.cache}/hook-gateway/stand-ins"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
suite=bookworm

# The same engine and image store as the smoke test.
. "$(dirname "$0")/../engine.sh"

if [ "$(id -u)" -ne 0 ]; then
  echo "stand-ins: debootstrap needs root; run this as root (or pull the real base images instead)" >&2
  exit 2
fi

java_home="/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)"

# trust_local_cas TREE: the builder downloads from Maven Central, and where this machine reaches it through a proxy
# that signs with a local certificate authority (one in /usr/local/share/ca-certificates), the builder must trust that
# authority as this machine does: Java's trust store is made from the system's by update-ca-certificates.
trust_local_cas() {
  local tree="$1" found=no
  for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] || continue
    cp "$crt" "$tree/usr/local/share/ca-certificates/"
    found=yes
  done
  if [ "$found" = yes ]; then
    echo "stand-ins: the builder trusts this machine's local CAs too: $(cd /usr/local/share/ca-certificates && echo *.crt)"
    mount -t proc proc "$tree/proc"
    chroot "$tree" update-ca-certificates >>"$cache/debootstrap.log" 2>&1 || { umount "$tree/proc"; return 1; }
    umount "$tree/proc"
  fi
}

# stand_in NAME PACKAGES TRUST: makes the tree once (cached as a tar), imports it when NAME is not in the store yet;
# TRUST=yes adds this machine's local CAs.
stand_in() {
  local name="$1" packages="$2" trust_local_cas="$3"
  local file; file="$cache/$(echo "$name" | tr ':/' '__').tar"
  if "${engine[@]}" image inspect "$name" >/dev/null 2>&1; then
    echo "stand-ins: $name is there"
    return
  fi
  if [ ! -s "$file" ]; then
    echo "stand-ins: debootstrap $suite + $packages for $name (a few minutes, once)"
    local tree="$cache/tree"
    # A run cut off in trust_local_cas may have left /proc mounted in the tree: unmount it before deleting.
    if mountpoint -q "$tree/proc" 2>/dev/null; then umount "$tree/proc"; fi
    rm -rf "$tree"
    mkdir -p "$cache/debs"
    timeout 1200 debootstrap --variant=minbase --cache-dir="$cache/debs" --include="$packages" \
      "$suite" "$tree" "$mirror" >"$cache/debootstrap.log" 2>&1 \
      || { echo "stand-ins: debootstrap failed; see $cache/debootstrap.log" >&2; tail -20 "$cache/debootstrap.log" >&2; exit 1; }
    if [ "$trust_local_cas" = yes ]; then
      trust_local_cas "$tree"
    fi
    # What an image does not need: the package lists and archives, manuals and translations.
    rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/* \
      "$tree"/usr/share/man/* "$tree"/usr/share/doc/* "$tree"/usr/share/locale/*
    tar -C "$tree" --numeric-owner -cf "$file.part" .
    mv "$file.part" "$file"
    rm -rf "$tree"
  fi
  echo "stand-ins: importing $name"
  local imported
  imported="$("${engine[@]}" import \
    --change "ENV JAVA_HOME=$java_home" \
    --change "ENV PATH=$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    "$file" "$name" 2>&1)" || { echo "$imported" >&2; exit 1; }
}

mkdir -p "$cache"
# Fully qualified, as the short names in the Dockerfile resolve on Docker Hub.
stand_in docker.io/library/eclipse-temurin:17-jre openjdk-17-jre-headless no
stand_in docker.io/library/maven:3.9-eclipse-temurin-17 openjdk-17-jdk-headless,maven yes
