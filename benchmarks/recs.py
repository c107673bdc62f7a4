"""Session-based next-item benchmark on the session-rec format (YooChoose sample by default).

For every prefix of each test session, recommend 20 items; report HR@20, MRR@20, coverage and
popularity bias for our model (SessionBlend) and the baselines (pop, AR, SR, V-SKNN) in one run,
plus training time and serving latency. Last line: JSON.
    python benchmarks/recs.py --train ../shared/data/recs/yoochoose-100k/yoochoose-clicks-100k_train_tr.txt \
        --test ../shared/data/recs/yoochoose-100k/yoochoose-clicks-100k_train_valid.txt
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from shopkeeper.recommendations.blend import SessionBlend
from shopkeeper.recommendations.clicks import ClickLog, SessionIndex
from shopkeeper.recommendations.evaluation import Metrics, evaluate, prepare_test
from shopkeeper.recommendations.rules import AssociationRules, Popularity, SequentialRules
from shopkeeper.recommendations.session_knn import VSKNN, VSKNNConfig

DATA = Path(__file__).resolve().parents[1].parent / "shared/data/recs/yoochoose-100k"


def load(path: str) -> ClickLog:
    with open(path, encoding="utf-8") as fh:
        return ClickLog.parse(fh).sorted_by("SessionId", "Time")


def run(
    name: str, model: Any, train: ClickLog, index: SessionIndex, test: ClickLog, timed: bool
) -> dict[str, Any]:
    wall, cpu = time.perf_counter(), time.process_time()
    model.fit(train, index)
    train_s, train_cpu_s = time.perf_counter() - wall, time.process_time() - cpu
    m: Metrics = evaluate(model, index, test, timed=timed)
    row = {
        "hr20": round(m.hr, 4), "mrr20": round(m.mrr, 4), "coverage": round(m.coverage, 4),
        "popularity": round(m.popularity, 4), "train_s": round(train_s, 2),
        "train_cpu_s": round(train_cpu_s, 2),
    }
    if timed:
        row |= {"p50_ms": round(m.latency(50), 3), "p99_ms": round(m.latency(99), 3),
                "p99_cpu_ms": round(m.latency(99, cpu=True), 3)}
    print(f"{name:8} HR@20 {m.hr:.4f}  MRR@20 {m.mrr:.4f}  coverage {m.coverage:.3f}  "
          f"pop-bias {m.popularity:.3f}  train {train_s:.1f}s wall / {train_cpu_s:.1f}s cpu"
          + (f"  p50 {row['p50_ms']:.2f} ms  p99 {row['p99_ms']:.2f} ms wall, {row['p99_cpu_ms']:.2f} ms cpu"
             if timed else ""), flush=True)
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default=str(DATA / "yoochoose-clicks-100k_train_tr.txt"))
    ap.add_argument("--test", default=str(DATA / "yoochoose-clicks-100k_train_valid.txt"))
    ap.add_argument("--only", default="", help="comma-separated subset: pop,ar,sr,vsknn,ours")
    args = ap.parse_args()
    train, raw_test = load(args.train), load(args.test)
    index = SessionIndex.build(train)
    test = prepare_test(train, raw_test)
    print(f"train {len(train)} clicks, {index.n_sessions} sessions, {index.n_items} items; "
          f"test {len(test)} clicks after filtering")
    wanted = set(filter(None, args.only.split(","))) or {"pop", "ar", "sr", "vsknn", "ours"}
    models: dict[str, Any] = {
        "pop": Popularity(),
        "ar": AssociationRules(pruning=20),
        "sr": SequentialRules(steps=20, weighting="quadratic", pruning=20),
        "vsknn": VSKNN(VSKNNConfig(k=500, sample_size=5000, weighting="quadratic", weighting_score="div",
                                   idf_weighting=5)),
        "ours": SessionBlend(),
    }
    results = {name: run(name, m, train, index, test, timed=name in ("vsknn", "ours"))
               for name, m in models.items() if name in wanted}
    ours = results.get("ours", {})
    base = results.get("vsknn")
    if ours and base:
        print(f"ours vs V-SKNN: HR {100 * (ours['hr20'] / base['hr20'] - 1):+.2f}%  "
              f"MRR {100 * (ours['mrr20'] / base['mrr20'] - 1):+.2f}%")
    summary = {
        "hr20": ours.get("hr20"), "mrr20": ours.get("mrr20"), "coverage": ours.get("coverage"),
        "popularity": ours.get("popularity"), "train_s": ours.get("train_s"),
        "train_cpu_s": ours.get("train_cpu_s"), "p50_ms": ours.get("p50_ms"), "p99_ms": ours.get("p99_ms"),
        "p99_cpu_ms": ours.get("p99_cpu_ms"),
        "baselines": {k: v for k, v in results.items() if k != "ours"},
        "test_predictions": int(sum(e - s - 1 for s, e in test.session_runs())),
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
