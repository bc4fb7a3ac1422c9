#!/usr/bin/env python3
"""Runs the Windows test programs that `cargo test --no-run --message-format=json`
listed (read from standard input) under Wine, several at a time.

Under Wine the tests spend most of their time waiting on sockets with the CPU idle, so
running the test programs side by side, as cargo would run them one after another,
cuts the wall time without changing what any test checks. Each program runs in its
package's folder, as cargo runs it; its whole output is printed when it fails.

Usage: run-tests.py JOBS [--include-ignored-in NAME]... [-- ARGS FOR EVERY TEST PROGRAM]
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[: args.index("--")]
    jobs = int(args.pop(0))
    with_ignored = set()
    while args:
        flag = args.pop(0)
        if flag != "--include-ignored-in" or not args:
            sys.exit(f"run-tests: unexpected argument {flag}")
        with_ignored.add(args.pop(0))

    programs = []
    for line in sys.stdin:
        message = json.loads(line) if line.startswith("{") else {}
        if message.get("reason") == "compiler-artifact" and message.get("executable") \
                and message.get("profile", {}).get("test"):
            programs.append((message["target"]["name"], message["executable"],
                             os.path.dirname(message["manifest_path"])))
    if not programs:
        sys.exit("run-tests: cargo listed no test program")

    def run(program):
        name, exe, folder = program
        command = ["wine", exe, *extra]
        if name in with_ignored:
            command.append("--include-ignored")
        env = dict(os.environ, CARGO_MANIFEST_DIR=folder)
        started = time.monotonic()
        # A file, not a pipe: Wine's own background processes (wineserver, services)
        # inherit the output of the program that started them and would hold a pipe
        # open long after the test program has ended.
        with tempfile.TemporaryFile() as out:
            code = subprocess.run(command, cwd=folder, env=env, stdin=subprocess.DEVNULL,
                                  stdout=out, stderr=subprocess.STDOUT).returncode
            out.seek(0)
            output = out.read().decode(errors="replace")
        return name, code, output, time.monotonic() - started

    passed = failed = 0
    broken = []
    # The slowest first, so that they do not start last.
    programs.sort(key=lambda p: p[0] not in ("vault_crash", "api", "body_shapes", "vault_damage"))
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for name, code, output, took in pool.map(run, programs):
            counts = re.findall(r"test result: \w+\. (\d+) passed; (\d+) failed", output)
            p = sum(int(a) for a, _ in counts)
            f = sum(int(b) for _, b in counts)
            passed += p
            failed += f
            print(f"run-tests: {name}: {p} passed, {f} failed, exit {code}, {took:.0f} s",
                  flush=True)
            if code != 0 or not counts:
                broken.append(name)
                print(output, flush=True)
    print(f"{passed} passed, {failed} failed")
    if broken:
        sys.exit(f"run-tests: failed under Wine: {', '.join(broken)}")


main()
