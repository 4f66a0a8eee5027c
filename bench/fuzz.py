"""Long run of the hostile-input property tests (tests/test_hostile_input.py), counting
the inputs tried.

    .venv/bin/python bench/fuzz.py [--examples 2000] [--seed N]

Runs pytest on the file with ``STORYDESK_FUZZ_EXAMPLES`` (examples per parser property;
a quarter of that for the properties that run a whole ingest per example) and random
seeds, and sums the examples hypothesis reports as tried. Prints one line per property
and the total, with the machine's load average (a shared machine).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=2000, help="examples per property")
    ap.add_argument("--seed", type=int, default=None, help="hypothesis seed (default random)")
    args = ap.parse_args()
    env = {**os.environ, "STORYDESK_FUZZ_EXAMPLES": str(args.examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:logging",
           "-W", "ignore::DeprecationWarning", "--hypothesis-show-statistics",
           str(ROOT / "tests" / "test_hostile_input.py")]
    if args.seed is not None:
        cmd.append(f"--hypothesis-seed={args.seed}")
    started, load = time.monotonic(), os.getloadavg()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    total = 0
    current = ""
    for line in proc.stdout.splitlines():
        if m := re.match(r"\S*test_hostile_input\.py::(\w+)", line.strip()):
            current = m.group(1)
        if m := re.search(r"(\d+) passing, (\d+) failing", line):
            tried = int(m.group(1)) + int(m.group(2))
            total += tried
            print(f"{current:45} {tried:>7} inputs ({m.group(2)} failing)")
    if proc.returncode:
        failures = proc.stdout.split("= FAILURES =")[-1].split("= Hypothesis Statistics =")[0]
        print(failures[-6000:])
    print(proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-2000:])
    print(f"inputs tried: {total} in {took:.0f} s; load average at start "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, at end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
