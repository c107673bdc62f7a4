"""How long `shopkeeper demo` takes from a cold start (fresh data directory) to a served storefront.

Runs the real command in a subprocess on a free port, polls GET / until 200, repeats, prints the
median. Also the command's CPU time (user + system, all its threads) until that page: a busy
machine stretches the wall-clock figure but hardly this one. Last line: JSON with `cold_start_s`
(median), `runs`, `all_s`, `cpu_to_page_s` (median) and `all_cpu_s`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int, thread: int | None = None) -> float:
    """User + system CPU of a live process (Linux /proc): all threads, or one thread."""
    path = f"/proc/{pid}/task/{thread}/stat" if thread else f"/proc/{pid}/stat"
    with open(path, encoding="ascii") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_run(timeout_s: float) -> tuple[float, float, float]:
    data_dir = Path(tempfile.mkdtemp(prefix="sk-startup-"))
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "shopkeeper.cli", "demo", "--port", str(port), "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while time.perf_counter() - started < timeout_s:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1) as r:
                    if r.status == 200:
                        return (
                            time.perf_counter() - started,
                            cpu_seconds(proc.pid),
                            cpu_seconds(proc.pid, proc.pid),  # the main thread: the path to the page
                        )
            except OSError:
                time.sleep(0.05)
            if proc.poll() is not None:
                raise RuntimeError(f"shopkeeper demo exited with {proc.returncode}")
        raise TimeoutError(f"no page within {timeout_s}s")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=float, default=120.0)
    args = ap.parse_args()
    results = [one_run(args.timeout) for _ in range(args.runs)]
    times = [t for t, _, _ in results]
    cpus = [c for _, c, _ in results]
    mains = [m for _, _, m in results]
    med = statistics.median(times)
    print(
        f"shopkeeper demo cold start to first page: median {med:.2f}s over {len(times)} runs "
        f"({', '.join(f'{t:.2f}' for t in times)}); CPU until then median {statistics.median(cpus):.2f}s "
        f"({', '.join(f'{c:.2f}' for c in cpus)}), main thread {statistics.median(mains):.2f}s; "
        f"load {os.getloadavg()[0]:.1f}"
    )
    print(
        json.dumps(
            {
                "cold_start_s": round(med, 3),
                "runs": len(times),
                "all_s": [round(t, 3) for t in times],
                "cpu_to_page_s": round(statistics.median(cpus), 3),
                "all_cpu_s": [round(c, 3) for c in cpus],
                "main_thread_cpu_s": round(statistics.median(mains), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
