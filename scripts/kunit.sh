#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the project's KUnit suites (tests/kunit/) with the kernel's kunit.py
# from Debian's linux-source-6.1 (default) or linux-source-6.12
# (--kernel 6.12), under QEMU x86_64 on TCG (default) or under UML
# (--uml), in the plain configuration or under the kernel's sanitizers
# (--config kasan: KASAN, lockdep, atomic-sleep and debug-objects checks,
# full preemption; --config kcsan: KCSAN).  Prints one TAP line per KUnit
# case (parameterised cases: one per parameter), one per report that the
# kernel's console shows while the cases run (KASAN, KCSAN, lockdep,
# "BUG:", "WARNING:" ...; named after the case it came in), and, last,
# "N passed, N failed, N skipped".  Case names start with "6.12: " on
# 6.12 and with the configuration's name under a sanitizer, so that make
# check's output tells the runs apart.
#
# The kernels are built in the kernel cache outside the clone, which
# every clone on the machine shares: a first build takes minutes, a
# later one in any clone only rebuilds the suites.
#
# Usage: scripts/kunit.sh [--kernel 6.1|6.12] [--config plain|kasan|kcsan]
#                         [--uml] [--smp N] [FILTER_GLOB]
# Env:   EVSTEER_KCACHE         kernel cache (default ~/.cache/evsteer)
#        EVSTEER_JOBS           make jobs (default: nproc)
#        EVSTEER_KUNIT_TIMEOUT  seconds for build and run together (3600)
#        EVSTEER_KUNIT_TEST_TIMEOUT  seconds for the test run alone (600;
#                               twice that under a sanitizer)
#        EVSTEER_INCLUDE        another copy of include/ to build the suites
#                               against (tests/kunit/mutants.sh uses it)
#        EVSTEER_DRIVER         likewise, of drivers/evsteer/ (the files the
#                               suites compile in)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${EVSTEER_KCACHE:-${XDG_CACHE_HOME:-${HOME:-/var/tmp}/.cache}/evsteer}
JOBS=${EVSTEER_JOBS:-$(nproc)}
TOTAL_TIMEOUT=${EVSTEER_KUNIT_TIMEOUT:-3600}
TEST_TIMEOUT=${EVSTEER_KUNIT_TEST_TIMEOUT:-600}
KUNIT_DIR=$ROOT/tests/kunit
LINK_NAME=evsteer_kunit
ARCH=x86_64
SMP=4
KERNEL=6.1
CONFIG=plain
FILTER=

usage() {
	echo "usage: $0 [--kernel 6.1|6.12] [--config plain|kasan|kcsan] [--uml] [--smp N] [FILTER_GLOB]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--uml) ARCH=um ;;
	--kernel) KERNEL=${2:?}; shift ;;
	--kernel=*) KERNEL=${1#--kernel=} ;;
	--config) CONFIG=${2:?}; shift ;;
	--config=*) CONFIG=${1#--config=} ;;
	--smp) SMP=${2:?}; shift ;;
	--smp=*) SMP=${1#--smp=} ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) FILTER=$1 ;;
	esac
	shift
done
case $KERNEL in
6.1) TAG='' SUFFIX='' ;;	# as before: names and build dir unchanged
6.12) TAG="6.12: " SUFFIX=-6.12 ;;
*) usage ;;
esac
case $CONFIG in
plain) ;;
kasan|kcsan)
	TAG="${TAG%: }${TAG:+ }$CONFIG: " SUFFIX=$SUFFIX-$CONFIG
	TEST_TIMEOUT=$((2 * TEST_TIMEOUT)) ;;
*) usage ;;
esac

log() { echo "# kunit$SUFFIX: $*"; }

# Setup failed before kunit.py could run: still end with the summary.
setup_failed() {
	log "$1"
	echo "not ok 1 - ${TAG}kunit setup: $1"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}


# Hook tests/kunit into the tree: a symlink plus one Kconfig and one
# Makefile line, each added only if absent.  The tree is shared by the
# clones on the machine: the link names the last one that ran here
# (scripts/debug-kernel.sh points it at its own clone too).
link_tests() {
	local tree=$1
	local src_line="source \"drivers/$LINK_NAME/Kconfig\""
	local obj_line="obj-\$(CONFIG_EVSTEER_KUNIT_TEST)	+= $LINK_NAME/"

	ln -sfn "$KUNIT_DIR" "$tree/drivers/$LINK_NAME"
	# Kconfig has no optional source: undo a try at one
	sed -i "s|^osource \"drivers/$LINK_NAME/Kconfig\"\$|$src_line|" \
		"$tree/drivers/Kconfig"
	if ! grep -qxF "$src_line" "$tree/drivers/Kconfig"; then
		# before the closing endmenu of the Device Drivers menu
		sed -i "\$s|^endmenu\$|$src_line\n\nendmenu|" \
			"$tree/drivers/Kconfig"
		grep -qxF "$src_line" "$tree/drivers/Kconfig" || return 1
	fi
	grep -qxF "$obj_line" "$tree/drivers/Makefile" ||
		echo "$obj_line" >>"$tree/drivers/Makefile"
}

"$ROOT/scripts/deps.sh" >&2 || setup_failed "installing packages failed"
TREE=$("$ROOT/scripts/kernel-src.sh" "$KERNEL") ||
	setup_failed "no kernel source tree (scripts/kernel-src.sh $KERNEL)"
BUILD=$CACHE/kunit-$ARCH$SUFFIX
RESULTS=$BUILD/evsteer-results.json
RAW=$BUILD/evsteer-console.log
mkdir -p "$BUILD"

# One run per tree at a time: its link to tests/kunit names this clone.
exec 8>"$CACHE/.kunit-linux-$KERNEL.lock"
flock -w "$TOTAL_TIMEOUT" 8 || setup_failed "lock wait timed out"
link_tests "$TREE" || setup_failed "cannot link tests/kunit into $TREE"

args=(run --arch="$ARCH" --kunitconfig="$KUNIT_DIR/.kunitconfig"
      --build_dir="$BUILD" --jobs="$JOBS" --timeout="$TEST_TIMEOUT"
      --raw_output=all)
# Under QEMU, leave out what olddefconfig adds and no suite uses: a
# cold build takes about 45 % less (an option one tree lacks is simply
# not set there).
# A sanitizer's fragment wins over the slim one (kunit.py refuses two
# values for one option): tracing, for one, is off there and on here.
if [ "$ARCH" = x86_64 ]; then
	slim=$KUNIT_DIR/slim_$ARCH.kunitconfig
	if [ "$CONFIG" != plain ]; then
		grep -vE "^($(sed -nE 's/^(CONFIG_[A-Z0-9_]+)=.*/\1/p' \
			"$KUNIT_DIR/$CONFIG.kunitconfig" | paste -sd '|'))=" \
			"$slim" >"$BUILD/slim.kunitconfig"
		slim=$BUILD/slim.kunitconfig
	fi
	args+=(--kunitconfig="$slim")
fi
# The races run ten times slower under a sanitizer: a tenth of the
# frames still makes thousands of windows in each mode.
[ "$CONFIG" = plain ] ||
	args+=(--kunitconfig="$KUNIT_DIR/$CONFIG.kunitconfig"
	       --kernel_args=evsteer_ring_test.race_frames=100000)
if [ "$ARCH" != um ]; then
	args+=(--qemu_config="$KUNIT_DIR/qemu_$ARCH.py"
	       --qemu_args="-smp $SMP")
fi
[ -n "$FILTER" ] && args+=("$FILTER")

# Build and boot, keeping the whole console; kunit.py's own progress
# lines (timestamped) are shown as they come.
rm -f "$RESULTS" "$RAW"
start=$(date +%s)
log "kunit.py ${args[*]}"
set +e
(cd "$TREE" && timeout --kill-after=30 "$TOTAL_TIMEOUT" \
	python3 tools/testing/kunit/kunit.py "${args[@]}") 2>&1 |
	tee "$RAW" | grep --line-buffered -E '^\[[0-9:]{8}\]' | sed 's/^/# /'
rc=${PIPESTATUS[0]}
set -e
log "kunit.py exit status $rc after $(($(date +%s) - start)) s" \
    "(console: $RAW)"
if [ "$rc" != 0 ]; then
	[ "$rc" = 124 ] && log "timed out after $TOTAL_TIMEOUT s"
	tail -n 40 "$RAW" | sed 's/^/# /'
fi

# Then parse the console apart from the run, so it stays on disk.
set +e
(cd "$TREE" && timeout 300 python3 tools/testing/kunit/kunit.py parse \
	--json="$RESULTS" "$RAW") 2>&1 | sed 's/^/# /'
parse_rc=${PIPESTATUS[0]}
set -e
[ "$rc" != 0 ] || rc=$parse_rc
python3 "$ROOT/scripts/kunit-tap.py" "$RESULTS" "$rc" "$RAW" "$TAG"
