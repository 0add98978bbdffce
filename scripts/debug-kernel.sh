#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug guest kernel of scripts/vm.sh --debug-kernel: Linux
# 6.12 from Debian's linux-source-6.12 (scripts/kernel-src.sh unpacks it
# into the kernel cache), with KASAN, lockdep, the atomic-sleep check,
# kmemleak, debug objects, full preemption and fault injection, all
# built in.  The config is tests/vm/debug.config put through make
# olddefconfig; every option of it must end up so, or this stops.
#
# This script writes nothing to the source tree but one symlink: the
# tree's drivers/Kconfig sources the KUnit suites that scripts/kunit.sh
# links in, and a link left to a clone since removed would stop the
# build, so it points the link at this clone's tests/kunit.  The build
# goes to <cache>/debug-kernel-6.12 (make O=).  A lock lets one run build at a
# time (others wait, then find it built); a stamp names the fragment and
# the tree it was built from, so an unchanged config is not rebuilt and a
# changed one is rebuilt incrementally (a new source tree: from scratch).
# A cold build took 16 minutes here (2 cores, nice -n 10, other kernel
# builds beside it; 1340 objects); the bzImage is 9.9 MB.  A changed
# option rebuilds in a minute or less.
#
# Usage: scripts/debug-kernel.sh
#   prints two lines on stdout: the kernel image, then the build dir
#   (make -C <dir> M=... builds modules for it); progress on stderr
# Env:   EVSTEER_KCACHE  kernel cache (default ~/.cache/evsteer)
#        EVSTEER_JOBS    make jobs (default: nproc)
#        EVSTEER_DEBUG_KERNEL_TIMEOUT  seconds for the build (default 5400)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${EVSTEER_KCACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/evsteer}
JOBS=${EVSTEER_JOBS:-$(nproc)}
BUILD_TIMEOUT=${EVSTEER_DEBUG_KERNEL_TIMEOUT:-5400}
VER=6.12
FRAGMENT=$ROOT/tests/vm/debug.config
OUT=$CACHE/debug-kernel-$VER
IMAGE=$OUT/arch/x86/boot/bzImage
STAMP=$OUT/.evsteer-built

log() { echo "debug-kernel: $*" >&2; }
die() { log "$*"; exit 1; }

# What a build is of: the fragment's options (not its comments) and the
# unpacked tree.
build_id() {
	grep '^CONFIG_' "$FRAGMENT" | sha256sum | cut -d' ' -f1
	cat "$TREE/.evsteer-unpacked"
}

kmake() {
	nice -n 10 timeout "$BUILD_TIMEOUT" make -C "$TREE" O="$OUT" "$@"
}

# check_config: every option of the fragment is so in .config ("=n":
# not set), or say which are not.
check_config() {
	local line opt want bad=0

	while IFS= read -r line; do
		[[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]] || continue
		opt=${BASH_REMATCH[1]} want=${BASH_REMATCH[2]}
		if [ "$want" = n ]; then
			! grep -q "^$opt=" "$OUT/.config" && continue
		else
			grep -qxF "$opt=$want" "$OUT/.config" && continue
		fi
		log "$opt=$want did not stick: .config has" \
		    "'$(grep -E "^(# )?${opt}[= ]" "$OUT/.config" || echo nothing)'"
		bad=1
	done <"$FRAGMENT"
	[ $bad = 0 ] || die "${FRAGMENT#"$ROOT"/} is not what Kconfig made of it" \
			    "(a dependency missing?); see $OUT/.config"
	if grep -q '=m$' "$OUT/.config"; then
		log "note: modules in the config: $(grep '=m$' "$OUT/.config" | paste -sd ' ')"
	fi
}

configure() {
	cp "$FRAGMENT" "$OUT/.config"
	kmake -s olddefconfig >&2 || die "make olddefconfig failed"
	check_config
}

build() {
	local t0=$SECONDS

	log "building $(kmake -s kernelrelease) in $OUT with $JOBS jobs" \
	    "(a cold build takes some 16 minutes)"
	kmake -j "$JOBS" >"$OUT/build.log" 2>&1 ||
		{ tail -n 30 "$OUT/build.log" >&2; die "build failed (log: $OUT/build.log)"; }
	log "built in $((SECONDS - t0)) s: $IMAGE ($(du -h "$IMAGE" | cut -f1))"
}

main() {
	local id

	[ $# = 0 ] || { sed -n '/^# Usage/,/^# Env/p' "$0" >&2; exit 2; }
	TREE=$("$ROOT/scripts/kernel-src.sh" "$VER") ||
		die "no linux-source-$VER tree (scripts/kernel-src.sh $VER)"
	mkdir -p "$OUT"
	exec 9>"$CACHE/.debug-kernel-$VER.lock"
	flock -w "$BUILD_TIMEOUT" 9 || die "lock wait timed out"
	id=$(build_id)
	if [ ! -s "$IMAGE" ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$id" ]; then
		# objects of another source tree would look up to date
		if [ -e "$STAMP" ] && [ "$(sed -n 2p "$STAMP")" != "$(sed -n 2p <<<"$id")" ]; then
			log "new source tree: building from scratch"
			rm -rf "$OUT"
			mkdir -p "$OUT"
		fi
		rm -f "$STAMP"
		# the tree's Kconfig sources what the link names (see above)
		[ -L "$TREE/drivers/evsteer_kunit" ] &&
			ln -sfn "$ROOT/tests/kunit" "$TREE/drivers/evsteer_kunit"
		configure
		build
		echo "$id" >"$STAMP"
	fi
	echo "$IMAGE"
	echo "$OUT"
}

main "$@"
