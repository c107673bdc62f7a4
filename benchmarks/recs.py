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


def service_latency(rounds: int = 50) -> dict[str, Any]:
    """The database service on the demo catalog + a generated year (SQLite in a temp dir)."""
    import tempfile

    import shopkeeper.models  # noqa: F401  (registers every table)
    from shopkeeper import catalog
    from shopkeeper.kernel.db import Database
    from shopkeeper.recommendations import RecommendationService
    from shopkeeper.recommendations.demo_history import generate_demo_history

    demo = Path(__file__).resolve().parents[1] / "src/shopkeeper/demo/catalog.jsonl"
    db = Database(f"sqlite:///{tempfile.mkdtemp(prefix='sk-recs-')}/recs.db")
    db.create_all()
    with db.session() as s, open(demo, encoding="utf-8") as fh:
        catalog.import_records(s, [json.loads(line) for line in fh], encoder=None)
    svc = RecommendationService(db)
    t0 = time.perf_counter()
    with db.session() as s:
        calls = generate_demo_history(s, svc, seed=7)
    history_s = time.perf_counter() - t0
    with db.session() as s:
        report = svc.train(s)
    with db.session() as s:
        popular = svc.for_customer(s, "nobody", limit=4)
        focus = [r.product_id for r in popular]
        placements = [
            lambda: svc.similar(s, focus[0]), lambda: svc.also_bought(s, focus[1]),
            lambda: svc.for_cart(s, focus[:2]), lambda: svc.for_customer(s, "cus_demo00003", focus[2:3]),
        ]
        wall: list[float] = []
        cpu: list[float] = []
        for _ in range(rounds):
            for fn in placements:
                w, c = time.perf_counter(), time.process_time()
                fn()
                wall.append((time.perf_counter() - w) * 1000)
                cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    cpu.sort()
    out = {
        "history_calls": calls, "history_s": round(history_s, 1), "train_db_s": round(report.seconds, 2),
        "pairs": report.pairs, "p50_ms": round(wall[len(wall) // 2], 2),
        "p99_ms": round(wall[int(len(wall) * 0.99)], 2), "p99_cpu_ms": round(cpu[int(len(cpu) * 0.99)], 2),
    }
    print(f"service  demo year: {calls} record calls in {history_s:.1f}s, train {report.seconds:.2f}s; "
          f"placements p50 {out['p50_ms']} ms, p99 {out['p99_ms']} ms wall / {out['p99_cpu_ms']} ms cpu")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", default=str(DATA / "yoochoose-clicks-100k_train_tr.txt"))
    ap.add_argument("--test", default=str(DATA / "yoochoose-clicks-100k_train_valid.txt"))
    ap.add_argument("--only", default="", help="comma-separated subset: pop,ar,sr,vsknn,ours,service")
    args = ap.parse_args()
    train, raw_test = load(args.train), load(args.test)
    index = SessionIndex.build(train)
    test = prepare_test(train, raw_test)
    print(f"train {len(train)} clicks, {index.n_sessions} sessions, {index.n_items} items; "
          f"test {len(test)} clicks after filtering")
    wanted = set(filter(None, args.only.split(","))) or {"pop", "ar", "sr", "vsknn", "ours", "service"}
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
        "service": service_latency() if "service" in wanted else None,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
