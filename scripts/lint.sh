#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of the kernel-side code: checkpatch.pl --strict on every
# C/H file (and Kconfig/Makefile) in drivers/, include/evsteer/ and
# tests/kunit/, then a W=1 build and a sparse (C=2) pass of the module
# and of the KUnit suites against the installed kernel headers.
# tools/ (userspace) is checkpatched too, but only reported unless
# --strict-tools is given.  One TAP line per check, then the summary;
# exits non-zero if anything is not clean.
#
# Usage: scripts/lint.sh [--strict-tools]
# Env:   KDIR (default: scripts/kdir.sh, else /lib/modules/$(uname -r)/build,
#        else /usr/src/linux-headers-*-amd64), EVSTEER_JOBS (2)

set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JOBS=${EVSTEER_JOBS:-2}
LINT=$ROOT/build/lint
BUILD_TIMEOUT=${EVSTEER_LINT_TIMEOUT:-900}
STRICT_TOOLS=0
n=0 passed=0 failed=0 skipped=0

case ${1:-} in
--strict-tools) STRICT_TOOLS=1 ;;
"") ;;
*) echo "usage: $0 [--strict-tools]" >&2; exit 2 ;;
esac

log() { echo "# lint: $*"; }

result() {	# result STATUS NAME: STATUS is ok, fail or skip
	n=$((n + 1))
	case $1 in
	ok) passed=$((passed + 1)); echo "ok $n - $2" ;;
	skip) skipped=$((skipped + 1)); echo "ok $n - $2 # SKIP" ;;
	*) failed=$((failed + 1)); echo "not ok $n - $2" ;;
	esac
}


find_kdir() {
	local d

	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR"
	elif [ -x "$ROOT/scripts/kdir.sh" ]; then
		"$ROOT/scripts/kdir.sh"
	elif [ -d "/lib/modules/$(uname -r)/build" ]; then
		echo "/lib/modules/$(uname -r)/build"
	else
		for d in /usr/src/linux-headers-*-amd64; do
			[ -d "$d" ] && echo "$d"
		done | sort -V | tail -n 1
	fi
}

# Sources and build files under the given directories, sorted: what git
# tracks or would track, so that build outputs (*.mod.c) stay out.
project_files() {
	(cd "$ROOT" || exit
	 if git rev-parse --git-dir >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard -- "$@"
	 else
		find "$@" -type f -not -name '*.mod.c' 2>/dev/null
	 fi | grep -E '(\.[ch]|/Kconfig|/Kbuild|/Makefile)$' |
		while read -r f; do [ -f "$f" ] && echo "$f"; done | sort -u)
}

run_checkpatch() {
	local checkpatch=$1 advisory=$2 f out
	shift 2

	for f in "$@"; do
		out=$(cd "$ROOT" && timeout 120 "$checkpatch" --strict \
		      --no-tree --show-types --quiet --no-summary -f "$f" 2>&1)
		if [ -z "$out" ]; then
			result ok "checkpatch $f"
			continue
		fi
		printf '# %s\n' "${out//$'\n'/$'\n'# }"
		if [ "$advisory" = 1 ]; then
			result skip "checkpatch $f (advisory, not clean)"
		else
			result fail "checkpatch $f"
		fi
	done
}

# A fresh mirror of the sources (symlinks to files, real directories),
# so objects land under build/lint and every file is compiled and
# checked again, whatever an earlier in-tree build left behind.
make_mirror() {
	local f

	rm -rf "$LINT"
	mkdir -p "$LINT"
	[ -f "$ROOT/Kbuild" ] && ln -s "$ROOT/Kbuild" "$LINT/Kbuild"
	project_files drivers include/evsteer tests/kunit | while read -r f; do
		mkdir -p "$LINT/$(dirname "$f")"
		ln -s "$ROOT/$f" "$LINT/$f"
	done
	# what the builds run: kcompat-gen.sh writes kcompat_generated.h
	for f in "$ROOT"/drivers/evsteer/*.sh; do
		ln -s "$f" "$LINT/drivers/evsteer/${f##*/}"
	done
}

# Findings of a build log: compiler or sparse warnings and errors, with
# mirror paths turned back into project paths.
findings() {
	sed "s|$LINT/||g" "$1" |
		grep -E '(warning|error|Error|ERROR)[: ]' | grep -v '^make'
}

# kbuild NAME LOG ARGS...: one build of the mirror; prints its findings.
kbuild() {
	local name=$1 logf=$2 rc
	shift 2

	timeout --kill-after=30 "$BUILD_TIMEOUT" \
		make -C "$KDIR" -j"$JOBS" W=1 "$@" >"$logf" 2>&1
	rc=$?
	[ $rc = 124 ] && echo "timed out after $BUILD_TIMEOUT s" >>"$logf"
	if [ $rc != 0 ] || findings "$logf" >/dev/null; then
		sed "s|$LINT/||g" "$logf" | grep -v '^  [A-Z]' | sed 's/^/# /'
		result fail "$name"
	else
		result ok "$name"
	fi
}

# The module (top-level Kbuild) and the KUnit suites, each built with
# W=1, then checked with sparse: C=2 checks every file without
# rebuilding, so the second pass shows sparse's findings alone.
run_builds() {
	local kunit_objs=() f

	for f in "$LINT"/tests/kunit/*.c; do
		kunit_objs+=("$(basename "${f%.c}.o")")
	done

	if [ -f "$LINT/Kbuild" ] && [ -d "$LINT/drivers" ]; then
		kbuild "W=1 build: module" "$LINT/module-w1.log" \
			M="$LINT" modules
		kbuild "sparse: module" "$LINT/module-sparse.log" \
			M="$LINT" C=2 modules
	else
		result skip "W=1 build: module (no Kbuild or drivers/ yet)"
		result skip "sparse: module (no Kbuild or drivers/ yet)"
	fi
	# Objects only: KUnit is off in distribution kernels, so linking
	# the test modules would only report KUnit's symbols as missing.
	kbuild "W=1 build: tests/kunit" "$LINT/kunit-w1.log" \
		M="$LINT/tests/kunit" CONFIG_EVSTEER_KUNIT_TEST=m \
		"${kunit_objs[@]}"
	kbuild "sparse: tests/kunit" "$LINT/kunit-sparse.log" \
		M="$LINT/tests/kunit" CONFIG_EVSTEER_KUNIT_TEST=m C=2 \
		"${kunit_objs[@]}"
}

"$ROOT/scripts/deps.sh" >&2 || log "installing packages failed"
if TREE=$("$ROOT/scripts/kernel-src.sh"); then
	log "checkpatch --strict (from $TREE)"
	mapfile -t files < <(project_files drivers include/evsteer tests/kunit)
	run_checkpatch "$TREE/scripts/checkpatch.pl" 0 "${files[@]}"
	mapfile -t files < <(project_files tools)
	if [ ${#files[@]} -gt 0 ]; then
		log "checkpatch --strict on tools/ (userspace;" \
		    "$([ $STRICT_TOOLS = 1 ] && echo enforced ||
		       echo advisory))"
		run_checkpatch "$TREE/scripts/checkpatch.pl" \
			$((1 - STRICT_TOOLS)) "${files[@]}"
	fi
else
	result fail "checkpatch.pl from the kernel source tree"
fi

KDIR=$(find_kdir)
if [ -z "$KDIR" ] || [ ! -d "$KDIR" ]; then
	log "no kernel headers found (set KDIR or run scripts/deps.sh)"
	result fail "kernel headers for the W=1 and sparse builds"
else
	log "W=1 and sparse builds against $KDIR"
	make_mirror
	run_builds
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
