#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch_irqbalance for the host sides of the in-VM benchmarks (run.sh,
# nic.sh), sourced: they set CACHE, V (their log directory),
# FETCH_TIMEOUT and log().
# shellcheck shell=bash
# shellcheck disable=SC2154,SC2034 # the caller sets CACHE, V, FETCH_TIMEOUT, reads IRQB_*

# fetch_irqbalance: Debian's irqbalance package downloaded once into
# $CACHE/irqbalance (apt-get download, never installed) and unpacked
# there; sets IRQB_BIN and IRQB_VERSION, or IRQB_REASON.
fetch_irqbalance() {
	local dir=$CACHE/irqbalance deb='' f tmp root missing

	IRQB_BIN='' IRQB_VERSION='' IRQB_REASON=''
	mkdir -p "$dir"
	for f in "$dir"/irqbalance_*.deb; do
		[ -f "$f" ] && deb=$f
	done
	if [ -z "$deb" ]; then
		log "downloading Debian's irqbalance (apt-get download, once)"
		tmp=$(mktemp -d "$dir/.fetch.XXXXXX")
		chown _apt "$tmp" 2>/dev/null || true
		if ! (cd "$tmp" && timeout "$FETCH_TIMEOUT" apt-get download -q irqbalance) \
			>"$V/irqbalance-fetch.log" 2>&1; then
			IRQB_REASON="apt-get download irqbalance failed: $(tail -n 1 "$V/irqbalance-fetch.log")"
			rm -rf "$tmp"
			return 1
		fi
		for f in "$tmp"/irqbalance_*.deb; do
			[ -f "$f" ] && mv "$f" "$dir/" && deb=$dir/${f##*/}
		done
		rm -rf "$tmp"
	fi
	if [ -z "$deb" ]; then
		IRQB_REASON="apt-get download irqbalance left no .deb"
		return 1
	fi
	IRQB_VERSION=$(dpkg-deb -f "$deb" Version 2>/dev/null)
	root=$dir/root-$IRQB_VERSION
	if [ ! -x "$root/usr/sbin/irqbalance" ] &&
	   ! timeout "$FETCH_TIMEOUT" dpkg-deb -x "$deb" "$root"; then
		IRQB_REASON="dpkg-deb -x $deb failed"
		return 1
	fi
	missing=$(ldd "$root/usr/sbin/irqbalance" 2>&1 | awk '/not found/ { printf "%s ", $1 }')
	if [ -n "$missing" ]; then
		IRQB_REASON="shared libraries of irqbalance not on the host (vm.sh copies the host's): ${missing% }"
		return 1
	fi
	IRQB_BIN=$root/usr/sbin/irqbalance
}
