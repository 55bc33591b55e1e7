"""The whole benchmark suite in one command: ``python -m benchmarks [--quick]``.

Each benchmark runs in a process of its own (nothing one leaves behind, such as matplotlib's
objects, weighs on the next), one after the other; a failing one is reported and the rest go
on. ``--quick`` takes about a minute and a half; the full run about six minutes, two of them
sending 3,400 messages at Telegram's 30 a second. docs/performance.md explains the figures.
PostgreSQL is taken from BENCH_POSTGRES_URL (default: the test server on 127.0.0.1), in the
schema KOPGROEP_BENCH_SCHEMA (default kopgroep_bench, dropped afterwards).
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import time

QUICK = [
    ("update_cost", ["--presses", "300"]),
    ("press_unit", ["--presses", "300"]),
    ("statements", []),
    ("sending", ["--groups", "20"]),
    ("close_round", ["--rounds", "4"]),
    ("memory", ["--groups", "1000", "--rounds", "100", "--asks", "100"]),
    ("reminders", ["--due", "300", "--pending", "10000"]),
    ("screen", ["--looks", "30"]),
    ("outbox_opening", ["--groups", "30", "--members", "10"]),
]
FULL = [
    ("update_cost", ["--presses", "1000"]),
    ("update_cost", ["--presses", "1000"]),  # again: how far two runs differ is the noise
    ("update_cost", ["--presses", "300", "--through", "fake"]),  # the fake's own work on both sides
    ("press_unit", []),
    ("statements", []),
    ("sending", ["--groups", "200"]),
    ("sending", ["--groups", "20", "--sequential"]),
    ("sending", ["--groups", "20", "--ptb-limiter"]),  # what it was before bot/rate_limit.py
    ("close_round", ["--rounds", "11"]),
    ("memory", ["--groups", "1000", "--rounds", "100", "--asks", "300"]),
    ("reminders", ["--due", "1500", "--pending", "10000"]),
    ("screen", ["--looks", "100"]),
    ("outbox_opening", []),  # 300 groups x 20 members: about five minutes at Telegram's 30/s
]


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {cpu}, {os.cpu_count()} cores, load {load} | Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version} | {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )


def main(quick: bool) -> int:
    print(machine(), flush=True)
    failed = []
    for name, arguments in QUICK if quick else FULL:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", f"benchmarks.{name}", *arguments], check=False)
        print(f"  ({name} {' '.join(arguments)}: {time.perf_counter() - start:.0f} s)", flush=True)
        if result.returncode != 0:
            failed.append(name)
    print(f"load after: {', '.join(f'{value:.2f}' for value in os.getloadavg())}")
    if failed:
        print(f"FAILED: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Kopgroep's benchmark suite (docs/performance.md).")
    parser.add_argument("--quick", action="store_true", help="smaller runs, about a minute and a half")
    sys.exit(main(parser.parse_args().quick))
