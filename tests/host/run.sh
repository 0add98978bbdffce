#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every host test binary (build/host/test_*) with a time bound and
# sum their TAP results.  Last line: "N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/../.."
per_test_timeout=${EVSTEER_HOST_TIMEOUT:-120}
pass=0 fail=0 skip=0

for t in build/host/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	echo "# $name"
	out=$(timeout -k 5 "$per_test_timeout" "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	s=$(grep -E '^ok [0-9]+' <<<"$out" | grep -c '# SKIP' || true)
	f=$(grep -cE '^not ok [0-9]+' <<<"$out" || true)
	p=$(grep -E '^ok [0-9]+' <<<"$out" | grep -vc '# SKIP' || true)
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
done

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
