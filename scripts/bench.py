#!/usr/bin/env python3
"""Start-up, memory, token-call, vault and size figures, side by side with their floor.

Builds the app and an empty Tauri 2 window (bench/empty-window) in release, then, under a
private Xvfb, launches them alternately RUNS times each (interleaved, so a busy machine
slows both alike) and reports medians:

  - first screen: from spawning the binary to the page saying it has been drawn (the app
    after its start screen, the empty window after its first paint), measured by this
    script; the first launch of each (cold WebKit caches) is reported apart;
  - idle memory: RSS and PSS of the binary and its WebKit processes, 2 s after that.

Then it runs the token-call benchmark (a refresh through the core against the sandbox,
against a bare reqwest POST and curl, in one run) and the vault benchmark, and prints
the binary's and the .deb's sizes when they exist. Usage:

  scripts/bench.py [--runs 7] [--dmabuf-off] [--skip-build]

Machines here are shared: compare ratios taken in one run, not figures across runs.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
APP = TARGET / "release" / "zoho-oauth-assistant"
EMPTY = TARGET / "release" / "empty-window"


def run(cmd, **kw):
    print("+", " ".join(str(c) for c in cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, cwd=ROOT, **kw)


def start_xvfb():
    r, w = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(w), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(w,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    if not display:
        raise SystemExit("bench: Xvfb did not start")
    return proc, f":{display}"


def tree(pid):
    """pid and all its descendants."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def memory_kib(pids):
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def launch(binary, display, env_extra, timeout=60.0):
    """Seconds to the "ready" line, and (RSS, PSS) in KiB two seconds later."""
    home = tempfile.mkdtemp(prefix="bench-home-")
    runtime = Path(home) / "run"
    runtime.mkdir(mode=0o700)
    env = dict(os.environ)
    env.update(
        {
            "DISPLAY": display,
            "HOME": home,
            "XDG_DATA_HOME": f"{home}/data",
            "XDG_CONFIG_HOME": f"{home}/config",
            "XDG_CACHE_HOME": f"{home}/cache",
            "XDG_RUNTIME_DIR": str(runtime),
            "NO_AT_BRIDGE": "1",
            "DBUS_SESSION_BUS_ADDRESS": "disabled:",
            "ZOHO_OAUTH_ASSISTANT_REPORT_READY": "1",
        }
    )
    env.update(env_extra)
    started = time.monotonic()
    proc = subprocess.Popen(
        [str(binary)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True,
    )
    ready = None
    try:
        os.set_blocking(proc.stderr.fileno(), False)
        buffer = ""
        while time.monotonic() - started < timeout:
            try:
                buffer += os.read(proc.stderr.fileno(), 65536).decode(errors="replace")
            except BlockingIOError:
                pass
            if "ready after" in buffer:
                ready = time.monotonic() - started
                break
            if proc.poll() is not None:
                break
            time.sleep(0.005)
        if ready is None:
            raise SystemExit(f"bench: {binary.name} never said it was ready:\n{buffer}")
        time.sleep(2.0)
        mem = memory_kib(tree(proc.pid))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        shutil.rmtree(home, ignore_errors=True)
    return ready, mem


def size(path):
    return path.stat().st_size if path.exists() else None


def mib(n):
    return f"{n / 1024 / 1024:.1f} MiB" if n is not None else "not built"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--dmabuf-off", action="store_true", help="measure with WEBKIT_DISABLE_DMABUF_RENDERER=1")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()

    if not args.skip_build:
        # As Tauri's bundler builds them (assets served by the app itself), so the figures
        # are those of the installed app, and the build shares the package's.
        run(["cargo", "build", "--release", "--features", "tauri/custom-protocol",
             "-p", "zoho-oauth-assistant", "-p", "empty-window"])
    extra = {"WEBKIT_DISABLE_DMABUF_RENDERER": "1"} if args.dmabuf_off else {}

    xvfb, display = start_xvfb()
    results = {"app": [], "empty": []}
    try:
        for _ in range(args.runs):
            for name, binary in (("empty", EMPTY), ("app", APP)):
                results[name].append(launch(binary, display, extra))
    finally:
        xvfb.terminate()
        xvfb.wait()

    def med(name, i, first=False):
        values = [r[i] for r in results[name]]
        values = values[:1] if first else values[1:] or values
        return statistics.median(values)

    rows = []
    for label, first in (("first screen, first launch", True), ("first screen, later launches", False)):
        a, e = med("app", 0, first), med("empty", 0, first)
        rows.append((label, f"{a * 1000:.0f} ms", f"{e * 1000:.0f} ms", f"{a / e:.2f}x"))
    for label, j in (("idle RSS", 0), ("idle PSS", 1)):
        a = statistics.median(r[1][j] for r in results["app"])
        e = statistics.median(r[1][j] for r in results["empty"])
        rows.append((label, f"{a / 1024:.0f} MiB", f"{e / 1024:.0f} MiB", f"{a / e:.2f}x"))
    app_size, empty_size = size(APP), size(EMPTY)
    rows.append(("release binary", mib(app_size), mib(empty_size),
                 f"{app_size / empty_size:.2f}x" if app_size and empty_size else ""))
    debs = sorted((TARGET / "release" / "bundle" / "deb").glob("*.deb"))
    rows.append((".deb", mib(size(debs[-1])) if debs else "not built (scripts/package.sh)", "", ""))

    print()
    print(f"Window ({args.runs} interleaved launches each, medians"
          f"{', DMA-BUF renderer off' if args.dmabuf_off else ''}):")
    print(f"{'':32} {'app':>14} {'empty Tauri':>14} {'ratio':>8}")
    for row in rows:
        print(f"{row[0]:32} {row[1]:>14} {row[2]:>14} {row[3]:>8}")
    sys.stdout.flush()

    print("\nToken calls (cargo bench -p zoho-oauth-core --bench token_calls):", flush=True)
    run(["cargo", "bench", "-q", "-p", "zoho-oauth-core", "--bench", "token_calls"])
    print("\nVault (cargo bench -p zoho-oauth-core --bench vault):", flush=True)
    run(["cargo", "bench", "-q", "-p", "zoho-oauth-core", "--bench", "vault"])


if __name__ == "__main__":
    main()
