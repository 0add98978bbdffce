#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Host test of scripts/kunit-tap.py: each report on the kernel's
console fails the run and is named after the case it came in, boot
noise is not, and a kunit.py failure that no case shows still counts."""

import json
import os
import subprocess
import sys
import tempfile

# build/host/test_kunit_tap is a link to this file
TAP = os.path.join(os.path.dirname(os.path.realpath(__file__)), '..', '..',
                   'scripts', 'kunit-tap.py')

RESULTS = {'name': 'main', 'test_cases': [], 'sub_groups': [
    {'name': 'evsteer_ring', 'sub_groups': [],
     'test_cases': [{'name': 'evs_test_a', 'status': 'PASS'},
                    {'name': 'evs_test_b', 'status': 'PASS'}]}]}

HEAD = '''[    0.5] WARNING: CPU: 0 PID: 1 at boot noise
KTAP version 1
1..1
    KTAP version 1
    # Subtest: evsteer_ring
    1..2
    ok 1 evs_test_a
        KTAP version 1
        # Subtest: evs_test_b
'''
TAIL = '''        ok 1 napi
        ok 2 bh
    ok 2 evs_test_b
ok 1 evsteer_ring
'''
n = 0
failed = 0


def run(console, rc=0, results=RESULTS):
    with tempfile.TemporaryDirectory() as d:
        res, con = os.path.join(d, 'r.json'), os.path.join(d, 'c.log')
        with open(res, 'w') as f:
            json.dump(results, f)
        with open(con, 'w') as f:
            f.write(console)
        p = subprocess.run([sys.executable, TAP, res, str(rc), con, 't: '],
                           capture_output=True, text=True)
        return p.returncode, p.stdout.splitlines()


def check(ok, what):
    global n, failed
    n += 1
    failed += not ok
    print(f"{'ok' if ok else 'not ok'} {n} - {what}")


rc, out = run(HEAD + TAIL)
check(rc == 0 and out[-1] == '3 passed, 0 failed, 0 skipped',
      'a clean console passes; boot noise is not a report')
check(any('kernel console: no BUG' in l for l in out),
      'the clean console is one passed line')

rc, out = run(HEAD + '[ 3.1] BUG: KASAN: slab-use-after-free in evs_x\n' +
              TAIL)
check(rc == 1 and out[-1] == '2 passed, 1 failed, 0 skipped',
      'a KASAN report fails a run whose cases all passed')
check(any(l.startswith('not ok') and
          'report in evsteer_ring.evs_test_b.napi: BUG: KASAN:' in l
          for l in out), 'the report names the parameter it came in')

rc, out = run(HEAD + TAIL.replace(
    'ok 1 evsteer_ring', 'WARNING: possible circular locking dependency '
    'detected\nok 1 evsteer_ring'))
check(rc == 1 and any('report in evsteer_ring (suite exit): '
                      'WARNING: possible circular' in l for l in out),
      'a lockdep report after the last case is the suite\'s')

rc, out = run(HEAD + TAIL.replace('    ok 2 evs_test_b',
                                  'BUG: KCSAN: data-race in a / b\n'
                                  '    ok 2 evs_test_b'))
check(rc == 1 and any('report in evsteer_ring.evs_test_b: BUG: KCSAN' in l
                      for l in out), 'a KCSAN report names its case')

rc, out = run('no tests ran\n', rc=1,
              results={'name': 'main', 'test_cases': [], 'sub_groups': []})
check(rc == 1 and out[-1] == '0 passed, 1 failed, 0 skipped',
      'no results and a failed kunit.py: one failure')

rc, out = run(HEAD + TAIL, rc=1)
check(rc == 1 and any('kunit.py run (exit status 1' in l for l in out),
      'kunit.py failing with every case passed still fails')
# Linux 6.1: a parameterised case that skipped shows its parameters as
# passed, and only its own line says so; the JSON follows the parameters
param_results = {'name': 'main', 'test_cases': [], 'sub_groups': [
    {'name': 'evsteer_ring', 'test_cases': [], 'sub_groups': [
        {'name': 'evs_test_b', 'sub_groups': [],
         'test_cases': [{'name': 'napi', 'status': 'PASS'}]}]}]}
rc, out = run(HEAD + '        ok 1 napi\n    ok 2 evs_test_b # SKIP no tracepoints\n'
              'ok 1 evsteer_ring\n', results=param_results)
check(rc == 0 and 'evsteer_ring.evs_test_b.napi # SKIP' in ' '.join(out) and
      out[-1] == '1 passed, 0 failed, 1 skipped',
      'a skipped case\'s parameters count as skipped, not passed')
print(f'1..{n}')
sys.exit(1 if failed else 0)
