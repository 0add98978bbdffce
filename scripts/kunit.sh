#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the project's KUnit suites (tests/kunit/) with the kernel's kunit.py
# from Debian's linux-source-6.1 (default) or linux-source-6.12
# (--kernel 6.12), under QEMU x86_64 on TCG (default) or under UML
# (--uml).  Prints one TAP line per KUnit case (parameterised cases: one
# per parameter) and, last, "N passed, N failed, N skipped".  On 6.12
# each case's name starts with "6.12: ", so that make check's output
# tells the two runs apart.
#
# Usage: scripts/kunit.sh [--kernel 6.1|6.12] [--uml] [--smp N] [FILTER_GLOB]
# Env:   EVSTEER_CACHE          cache dir (default <repo>/build/cache)
#        EVSTEER_JOBS           make jobs (default: nproc)
#        EVSTEER_KUNIT_TIMEOUT  seconds for build and run together (3600)
#        EVSTEER_KUNIT_TEST_TIMEOUT  seconds for the test run alone (600)
#        EVSTEER_INCLUDE        another copy of include/ to build the suites
#                               against (tests/kunit/mutants.sh uses it)
#        EVSTEER_DRIVER         likewise, of drivers/evsteer/ (the files the
#                               suites compile in)

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${EVSTEER_CACHE:-$ROOT/build/cache}
JOBS=${EVSTEER_JOBS:-$(nproc)}
TOTAL_TIMEOUT=${EVSTEER_KUNIT_TIMEOUT:-3600}
TEST_TIMEOUT=${EVSTEER_KUNIT_TEST_TIMEOUT:-600}
KUNIT_DIR=$ROOT/tests/kunit
LINK_NAME=evsteer_kunit
ARCH=x86_64
SMP=4
KERNEL=6.1
FILTER=

usage() {
	echo "usage: $0 [--kernel 6.1|6.12] [--uml] [--smp N] [FILTER_GLOB]" >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--uml) ARCH=um ;;
	--kernel) KERNEL=${2:?}; shift ;;
	--kernel=*) KERNEL=${1#--kernel=} ;;
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

log() { echo "# kunit$SUFFIX: $*"; }

# Setup failed before kunit.py could run: still end with the summary.
setup_failed() {
	log "$1"
	echo "not ok 1 - ${TAG}kunit setup: $1"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}


# Hook tests/kunit into the tree: a symlink plus one Kconfig and one
# Makefile line, each added only if absent.
link_tests() {
	local tree=$1
	local src_line="source \"drivers/$LINK_NAME/Kconfig\""
	local obj_line="obj-\$(CONFIG_EVSTEER_KUNIT_TEST)	+= $LINK_NAME/"

	ln -sfn "$KUNIT_DIR" "$tree/drivers/$LINK_NAME"
	if ! grep -qxF "$src_line" "$tree/drivers/Kconfig"; then
		# before the closing endmenu of the Device Drivers menu
		sed -i "\$s|^endmenu\$|$src_line\n\nendmenu|" \
			"$tree/drivers/Kconfig"
		grep -qxF "$src_line" "$tree/drivers/Kconfig" || return 1
	fi
	grep -qxF "$obj_line" "$tree/drivers/Makefile" ||
		echo "$obj_line" >>"$tree/drivers/Makefile"
}

# kunit.py's JSON results as TAP lines, one for the kernel console,
# then the summary line.
json_to_tap() {
	python3 - "$1" "$2" "$3" "$TAG" <<'EOF'
import json
import sys

path, rc, splats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tag = sys.argv[4]
counts = {'passed': 0, 'failed': 0, 'skipped': 0}
n = 0


def emit(ok, name, directive=''):
    global n
    n += 1
    print(f"{'ok' if ok else 'not ok'} {n} - {tag}{name}{directive}")


def walk(group, prefix):
    for case in group.get('test_cases', []):
        name = prefix + case['name']
        status = case['status']
        if status == 'PASS':
            counts['passed'] += 1
            emit(True, name)
        elif status == 'SKIP':
            counts['skipped'] += 1
            emit(True, name, ' # SKIP')
        else:
            counts['failed'] += 1
            emit(False, name, f' # {status}')
    for sub in group.get('sub_groups', []):
        walk(sub, prefix + sub['name'] + '.')


try:
    with open(path) as f:
        walk(json.load(f), '')
except (OSError, ValueError) as e:
    print(f'# no results from kunit.py: {e}')
if n == 0 or (rc != 0 and counts['failed'] == 0):
    counts['failed'] += 1
    emit(False, f'kunit.py run (exit status {rc}, {n} results)')
if splats >= 0:
    clean = splats == 0
    counts['passed' if clean else 'failed'] += 1
    emit(clean, f'kernel console: {splats} BUG/WARNING/Oops lines')
print(f"{counts['passed']} passed, {counts['failed']} failed, "
      f"{counts['skipped']} skipped")
sys.exit(1 if counts['failed'] else 0)
EOF
}

# Lines of the kernel's console that say it went wrong while the tests
# ran, whatever the tests reported; -1 if no test ran.  (Boot is left
# out: UML's stock KUnit config warns there about virtio PCI.)
kernel_splats() {
	grep -q 'KTAP version' "$1" 2>/dev/null || { echo -1; return; }
	sed -n '/KTAP version/,$p' "$1" |
		grep -cE '(^|\] )(BUG:|WARNING:|Oops|Kernel panic|UBSAN:|KASAN:|general protection fault|INFO: task .* blocked)'
}

"$ROOT/scripts/deps.sh" >&2 || setup_failed "installing packages failed"
TREE=$("$ROOT/scripts/kernel-src.sh" "$KERNEL") ||
	setup_failed "no kernel source tree (scripts/kernel-src.sh $KERNEL)"
BUILD=$CACHE/kunit-$ARCH$SUFFIX
RESULTS=$BUILD/evsteer-results.json
RAW=$BUILD/evsteer-console.log
mkdir -p "$BUILD"

# One run per build dir at a time; the tree edits are idempotent.
exec 8>"$CACHE/.kunit-$ARCH$SUFFIX.lock"
flock -w "$TOTAL_TIMEOUT" 8 || setup_failed "lock wait timed out"
link_tests "$TREE" || setup_failed "cannot link tests/kunit into $TREE"

args=(run --arch="$ARCH" --kunitconfig="$KUNIT_DIR/.kunitconfig"
      --build_dir="$BUILD" --jobs="$JOBS" --timeout="$TEST_TIMEOUT"
      --raw_output=all)
# Under QEMU, leave out what olddefconfig adds and no suite uses: a
# cold build takes about 45 % less (an option one tree lacks is simply
# not set there).
if [ "$ARCH" = x86_64 ]; then
	args+=(--kunitconfig="$KUNIT_DIR/slim_$ARCH.kunitconfig")
fi
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
json_to_tap "$RESULTS" "$rc" "$(kernel_splats "$RAW")"
