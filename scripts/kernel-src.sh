#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack Debian's linux-source-<version> tarball (6.1 by default, or
# 6.12) into the kernel cache, once, and print the path of the tree.
# Later calls reuse the tree; a stamp names the tarball it came from, so
# a new package version unpacks afresh.  The kernel cache is outside the
# clone (~/.cache/evsteer): every clone on the machine shares the trees
# and the kernels built in them (scripts/kunit.sh).
# Several scripts may run this at the same time: a lock serialises them.
#
# Usage: scripts/kernel-src.sh [VERSION]   (6.1 or 6.12, default 6.1;
#                                          prints the tree's path on stdout)
# Env:   EVSTEER_KCACHE (default ${XDG_CACHE_HOME:-~/.cache}/evsteer)
#        EVSTEER_KSRC_TARBALL (default /usr/src/linux-source-VERSION.tar.xz)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${EVSTEER_KCACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/evsteer}
VER=${1:-6.1}
case $VER in
6.1|6.12) ;;
*) echo "usage: $0 [6.1|6.12]" >&2; exit 2 ;;
esac
TARBALL=${EVSTEER_KSRC_TARBALL:-/usr/src/linux-source-$VER.tar.xz}
PKG=linux-source-$VER
TREE=$CACHE/linux-source-$VER
UNPACK_TIMEOUT=${EVSTEER_UNPACK_TIMEOUT:-1200}

log() { echo "kernel-src: $*" >&2; }

install_pkg() {
	if [ ! -e "$TARBALL" ] && ! dpkg -s "$PKG" >/dev/null 2>&1; then
		log "installing $PKG (Debian's kernel source tarball)"
		"$ROOT/scripts/deps.sh" >&2
	fi
	if [ ! -e "$TARBALL" ]; then
		log "$TARBALL not found"
		exit 1
	fi
}

# Identify the tarball by size and mtime: cheap, and changes on upgrade.
tarball_id() {
	stat -c '%s %Y' "$TARBALL"
}

unpack() {
	local tmp

	tmp=$(mktemp -d "$CACHE/.unpack.XXXXXX")
	log "unpacking $TARBALL into $TREE (once; takes a minute or two)"
	if ! timeout "$UNPACK_TIMEOUT" tar -xJf "$TARBALL" -C "$tmp"; then
		rm -rf "$tmp"
		log "unpacking failed or timed out"
		exit 1
	fi
	rm -rf "$TREE"
	mv "$tmp/linux-source-$VER" "$TREE"
	rmdir "$tmp"
	tarball_id >"$TREE/.evsteer-unpacked"
}

install_pkg
mkdir -p "$CACHE"
exec 9>"$CACHE/.kernel-src.lock"
flock -w "$UNPACK_TIMEOUT" 9 || { log "lock timed out"; exit 1; }
if [ "$(cat "$TREE/.evsteer-unpacked" 2>/dev/null)" != "$(tarball_id)" ]; then
	unpack
fi
echo "$TREE"
