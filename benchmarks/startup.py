"""How long `shopkeeper demo` takes from a cold start (fresh data directory) to a served storefront.

Runs the real command in a subprocess on a free port, polls GET / until 200, repeats, prints the
median. Last line: JSON with `cold_start_s` (median), `runs`, `all_s`.
"""

from __future__ import annotations

import argparse
import json
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


def one_run(timeout_s: float) -> float:
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
                        return time.perf_counter() - started
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
    times = [one_run(args.timeout) for _ in range(args.runs)]
    med = statistics.median(times)
    print(
        f"shopkeeper demo cold start to first page: median {med:.2f}s over {len(times)} runs "
        f"({', '.join(f'{t:.2f}' for t in times)})"
    )
    print(
        json.dumps({"cold_start_s": round(med, 3), "runs": len(times), "all_s": [round(t, 3) for t in times]})
    )


if __name__ == "__main__":
    main()
