#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kunit.py's JSON results and the kernel's console as TAP lines.

One line per KUnit case, one per report the console shows while the
cases run (KASAN, KCSAN, lockdep, "BUG:", "WARNING:" ...), each named
after the case it came in, then "N passed, N failed, N skipped".
Boot is left out: UML's stock KUnit config warns there about virtio
PCI.  A report fails the run even if every case passed.

Usage: kunit-tap.py RESULTS_JSON EXIT_STATUS CONSOLE_LOG TAG
"""

import json
import re
import sys

# the first line of a report, with or without a printk timestamp
REPORT = re.compile(r'(?:^|\] )((?:BUG:|WARNING:|ODEBUG:|Oops|Kernel panic|'
                    r'UBSAN:|KASAN:|KCSAN:|general protection fault|'
                    r'INFO: task .* blocked|INFO: possible|'
                    r'INFO: trying to register non-static key).*)')
SUITE = re.compile(r'^    # Subtest: (\S+)')
CASE = re.compile(r'^        # Subtest: (\S+)')
PARAM_RESULT = re.compile(r'^        (?:not )?ok \d+ (.+)')
CASE_RESULT = re.compile(r'^    (?:not )?ok \d+ (\S+)')
CASE_SKIP = re.compile(r'^    ok \d+ (\S+) # SKIP')
SUITE_RESULT = re.compile(r'^(?:not )?ok \d+ (\S+)')


class Tap:
    def __init__(self, tag):
        self.tag = tag
        self.n = 0
        self.counts = {'passed': 0, 'failed': 0, 'skipped': 0}

    def emit(self, status, name, directive=''):
        self.n += 1
        self.counts[status] += 1
        ok = 'not ok' if status == 'failed' else 'ok'
        print(f'{ok} {self.n} - {self.tag}{name}{directive}')


def walk(tap, group, prefix, skipped):
    for case in group.get('test_cases', []):
        name = prefix + case['name']
        status = case['status']
        if prefix[:-1] in skipped:
            status = 'SKIP'
        if status == 'PASS':
            tap.emit('passed', name)
        elif status == 'SKIP':
            tap.emit('skipped', name, ' # SKIP')
        else:
            tap.emit('failed', name, f' # {status}')
    for sub in group.get('sub_groups', []):
        walk(tap, sub, prefix + sub['name'] + '.', skipped)


def skipped_cases(path):
    """suite.case of every parameterised case the console says skipped.

    Linux 6.1 prints the parameters of a case that called kunit_skip()
    as passed ("ok 1 workqueue"), and only the case's own line says
    "# SKIP"; kunit.py's JSON follows the parameters.
    """
    skipped, suite = set(), ''
    try:
        with open(path, errors='replace') as f:
            for line in f:
                if m := SUITE.match(line):
                    suite = m.group(1)
                elif m := CASE_SKIP.match(line):
                    skipped.add(f'{suite}.{m.group(1)}')
    except OSError:
        pass
    return skipped


def console_reports(path):
    """(case, first line) of every report after the tests started.

    KTAP prints a case's result when it ends, so a report belongs to
    the next result line: the parameter's or the case's (a suite's init
    runs before its first case: that case's), or the suite's for its
    exit.  None if the tests never started.
    """
    try:
        with open(path, errors='replace') as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    start = next((i for i, l in enumerate(lines) if 'KTAP version' in l),
                 None)
    if start is None:
        return None
    reports, pending, suite, case = [], [], '', ''
    for line in lines[start:]:
        m = REPORT.search(line)
        if m:
            pending.append(m.group(1).strip())
            continue
        where = None
        if m := SUITE.match(line):
            suite = m.group(1)
        elif m := CASE.match(line):
            case = m.group(1)
        elif m := PARAM_RESULT.match(line):
            where = f'{suite}.{case}.{m.group(1).strip()}'
        elif m := CASE_RESULT.match(line):
            where = f'{suite}.{m.group(1)}'
        elif m := SUITE_RESULT.match(line):
            where = f'{m.group(1)} (suite exit)'
        if where:
            reports += [(where, r) for r in pending]
            pending = []
    reports += [('after the last case', r) for r in pending]
    return reports


def main():
    path, rc, console, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3], \
        sys.argv[4]
    tap = Tap(tag)
    try:
        with open(path) as f:
            walk(tap, json.load(f), '', skipped_cases(console))
    except (OSError, ValueError) as e:
        print(f'# no results from kunit.py: {e}')
    cases = tap.n
    if cases == 0 or (rc != 0 and tap.counts['failed'] == 0):
        tap.emit('failed', f'kunit.py run (exit status {rc}, {cases} results)')
    reports = console_reports(console)
    if reports is not None:
        for where, first in reports:
            tap.emit('failed', f'kernel console: report in {where}: {first}')
        if not reports:
            tap.emit('passed', 'kernel console: no BUG, WARNING, lockdep, '
                     'KASAN or KCSAN report')
    c = tap.counts
    print(f"{c['passed']} passed, {c['failed']} failed, {c['skipped']} skipped")
    return 1 if c['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
