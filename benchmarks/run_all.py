"""`make bench`: runs every benchmark with its default inputs from ../shared/data and prints each
one's last JSON line. Figures are printed, never asserted; a failing benchmark is reported and the
others still run. Heavy: on 2 shared cores expect tens of minutes (the 50,000-product catalog and
the 54,667-product search set dominate)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE.parent.parent / "shared" / "data"

RUNS: list[tuple[str, list[str]]] = [
    ("startup", ["startup.py", "--runs", "3"]),
    ("checkout", ["checkout.py"]),
    (
        "nlu-banking77",
        [
            "nlu.py",
            "--train",
            f"{DATA}/intents/BANKING77/train",
            "--train",
            f"{DATA}/intents/BANKING77/valid",
            "--test",
            f"{DATA}/intents/BANKING77/test",
        ],
    ),
    (
        "nlu-hwu64",
        [
            "nlu.py",
            "--train",
            f"{DATA}/intents/HWU64/train",
            "--train",
            f"{DATA}/intents/HWU64/valid",
            "--test",
            f"{DATA}/intents/HWU64/test",
        ],
    ),
    (
        "nlu-clinc150",
        [
            "nlu.py",
            "--train",
            f"{DATA}/intents/CLINC150/train",
            "--test",
            f"{DATA}/intents/CLINC150/valid",
            "--oos",
            f"{DATA}/intents/CLINC150/oos/valid",
        ],
    ),
    (
        "search-crowdflower",
        [
            "search.py",
            "--products",
            f"{DATA}/search/crowdflower/products.jsonl",
            "--queries",
            f"{DATA}/search/crowdflower/dev/queries.tsv",
            "--judgments",
            f"{DATA}/search/crowdflower/dev/judgments.tsv",
        ],
    ),
    (
        "search-home-depot",
        [
            "search.py",
            "--products",
            f"{DATA}/search/home-depot/products.jsonl",
            "--queries",
            f"{DATA}/search/home-depot/dev/queries.tsv",
            "--judgments",
            f"{DATA}/search/home-depot/dev/judgments.tsv",
        ],
    ),
    ("product-qa-epqa", ["product_qa.py", "--data", f"{DATA}/product-qa/epqa/dev.csv", "--format", "epqa"]),
    ("recs", ["recs.py"]),
    ("channels", ["channels.py"]),
    ("conversation", ["conversation.py"]),
]


def main() -> None:
    only = set(sys.argv[1:])
    results: dict[str, object] = {}
    for name, args in RUNS:
        if only and name not in only:
            continue
        print(f"\n### {name}: python benchmarks/{' '.join(args)}", flush=True)
        proc = subprocess.run(
            [sys.executable, str(HERE / args[0]), *args[1:]], capture_output=True, text=True
        )
        print(proc.stdout[-3000:], end="")
        lines = [ln for ln in proc.stdout.strip().splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            print(proc.stderr[-2000:])
            results[name] = {"error": proc.returncode}
            continue
        results[name] = json.loads(lines[-1])
    print(json.dumps(results))


if __name__ == "__main__":
    main()
