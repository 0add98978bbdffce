#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: install what is missing, then run every test suite the
# project has -- host tests, module builds for every kernel, KUnit on
# 6.1 and 6.12 and under KASAN + lockdep and KCSAN, VM scenarios on 6.1
# and then some on 6.12 and 6.12 PREEMPT_RT -- and
# close with one line that counts them all: "N passed, N failed, N
# skipped".
# Each suite's own last line is "N passed, N failed, N skipped"; a
# suite that dies before printing it counts as one failure.
set -u
cd "$(dirname "$0")/.."
mkdir -p build/logs
pass=0 fail=0 skip=0

# run_suite NAME COMMAND...: run one suite, add its counts to the totals
run_suite() {
	local name=$1 log=build/logs/$1.log rc line p f s
	shift
	echo "=== $name: $*"
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "not ok - $name: no result line (exit status $rc)"
		fail=$((fail + 1))
		return
	fi
	read -r p f s < <(sed -E 's/^([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?.*/\1 \2 \4/' <<<"$line")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + ${s:-0}))
	echo "=== $name: $line"
}

if ! scripts/deps.sh; then
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi

run_suite host make --no-print-directory host-test
run_suite kbuild scripts/kbuild.sh
run_suite dkms scripts/dkms-test.sh
run_suite kunit scripts/kunit.sh
# the same suites in Linux 6.12's tree (its case names start "6.12: "),
# when installed (scripts/deps.sh does, unless EVSTEER_NO_612=1), as the
# VM scenarios run on each 6.12 installed; else it counts as one skip
if [ -e /usr/src/linux-source-6.12.tar.xz ]; then
	run_suite kunit-6.12 scripts/kunit.sh --kernel 6.12
else
	echo "ok - kunit-6.12 # SKIP no linux-source-6.12 (EVSTEER_NO_612=1, or not in the archive)"
	skip=$((skip + 1))
fi
# and once more under the kernel's sanitizers, in the newest tree:
# KASAN with lockdep, then KCSAN; a report on the console fails them
san_kernel=6.1
[ -e /usr/src/linux-source-6.12.tar.xz ] && san_kernel=6.12
for c in kasan kcsan; do
	run_suite "kunit-$c" scripts/kunit.sh --kernel "$san_kernel" --config "$c"
done
run_suite vm tests/vm/run.sh
# the newer kernels (scripts/kernels.sh after the default one): the
# scenarios that show what they change
for k in $(scripts/kernels.sh | tail -n +2); do
	run_suite "vm-$k" tests/vm/run.sh --kernel "$k"
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
