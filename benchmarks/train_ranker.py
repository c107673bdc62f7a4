"""Trains the shipped search ranker (LightGBM, XE-NDCG objective) on feature files written by
`benchmarks/search.py --features-out` (dev judgements only) and writes it into the package.

    python benchmarks/train_ranker.py .cache/feat-hd.npz .cache/feat-cf.npz \
        --out src/shopkeeper/catalog/ranker.txt
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from search import train


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("features", nargs="+")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    parts = [np.load(p) for p in args.features]
    x = np.vstack([p["x"] for p in parts])
    y = np.concatenate([p["y"] for p in parts])
    groups = [int(g) for p in parts for g in p["groups"]]
    ranker = train(x, y, groups)
    assert ranker.booster is not None
    ranker.booster.save_model(args.out)
    print(f"trained on {len(groups)} queries, {len(y)} candidates -> {args.out}", file=sys.stderr)
    print(json.dumps({"queries": len(groups), "rows": len(y), "out": args.out}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
