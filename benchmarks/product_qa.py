"""Product-answer benchmark: ranks each question's evidence candidates with the answer component
the bot uses (catalog.answers.EvidenceRanker) and prints nDCG@1, nDCG@3, P@1 and MAP beside BM25-
and embedding-only baselines; the learned ranker's dev figures are cross-validated by question.

    python benchmarks/product_qa.py --data ../shared/data/product-qa/epqa/dev.csv --format epqa
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
from pathlib import Path

import numpy as np

from shopkeeper.catalog.answers import QA_FEATURES, Evidence, EvidenceRanker, qa_features
from shopkeeper.catalog.vectors import CachedEncoder, E5Encoder, USEEncoder


def load(path: str, fmt: str) -> list[tuple[str, list[Evidence], list[int]]]:
    groups: dict[str, tuple[str, list[Evidence], list[int]]] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh, delimiter="\t" if fmt == "semipqa" else ",")
        for r in rows:
            g = groups.setdefault(r["qid"], (r["question"], [], []))
            g[1].append(Evidence(r["candidate"], r.get("source") or "attribute"))
            g[2].append(int(r["label"]))
    return [g for g in groups.values() if max(g[2]) > 0]


def measure(order_scores: list[tuple[list[int], np.ndarray]]) -> dict[str, float]:
    n1, n3, p1, aps = [], [], [], []
    for labels, scores in order_scores:
        order = np.argsort(-scores, kind="stable")
        ranked = [labels[i] for i in order]
        ideal = sorted(labels, reverse=True)

        def dcg(xs: list[int], k: int) -> float:
            return sum(g / math.log2(i + 2) for i, g in enumerate(xs[:k]))

        n1.append(dcg(ranked, 1) / dcg(ideal, 1))
        n3.append(dcg(ranked, 3) / dcg(ideal, 3))
        p1.append(float(ranked[0] > 0))
        hits, precs = 0, []
        for i, g in enumerate(ranked):
            if g > 0:
                hits += 1
                precs.append(hits / (i + 1))
        aps.append(float(np.mean(precs)))
    return {
        "ndcg1": float(np.mean(n1)),
        "ndcg3": float(np.mean(n3)),
        "p_at_1": float(np.mean(p1)),
        "map": float(np.mean(aps)),
    }


def train(x: np.ndarray, y: np.ndarray, groups: list[int]) -> object:
    import lightgbm

    params = {
        "objective": "lambdarank",
        "learning_rate": 0.05,
        "num_leaves": 4,
        "min_data_in_leaf": 20,
        "feature_fraction": 0.9,
        "num_threads": 1,
        "verbose": -1,
        "seed": 7,
        "label_gain": [0, 1, 1],
    }
    return lightgbm.train(
        params, lightgbm.Dataset(x, y, group=groups, feature_name=QA_FEATURES), num_boost_round=120
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--format", choices=["epqa", "semipqa"], required=True)
    ap.add_argument("--folds", type=int, default=5, help="0: use the shipped ranker")
    ap.add_argument("--cache-dir", default=".cache")
    ap.add_argument("--no-e5", action="store_true", help="USE only (E5 columns repeat the USE cosines)")
    ap.add_argument("--save-model", default="", help="train on all of --data and write the model here")
    args = ap.parse_args()

    data = load(args.data, args.format)
    cache = Path(args.cache_dir)
    encoder = CachedEncoder(USEEncoder(), cache / "vectors-qa-usem3.npz")
    e5q: CachedEncoder | None = None
    e5p: CachedEncoder | None = None
    if not args.no_e5:
        e5q = CachedEncoder(E5Encoder("query"), cache / "vectors-qa-e5small-query.npz")
        e5p = CachedEncoder(E5Encoder("passage"), cache / "vectors-qa-e5small-passage.npz")
    encoders = {"encoder": encoder, "question_encoder": e5q, "passage_encoder": e5p}
    base = EvidenceRanker(path=None, **encoders)  # type: ignore[arg-type]
    cos = [base.cosines(q, ev) for q, ev, _ in data]
    for enc in (encoder, e5q, e5p):
        if enc is not None:
            enc.save()
    feats = [qa_features(q, ev, c) for (q, ev, _), c in zip(data, cos, strict=True)]
    labels = [lab for _, _, lab in data]
    bm25 = measure([(lab, f[:, QA_FEATURES.index("bm25")]) for lab, f in zip(labels, feats, strict=True)])
    emb = measure([(lab, c[:, 0]) for lab, c in zip(labels, cos, strict=True)])
    e5 = measure([(lab, c[:, 3]) for lab, c in zip(labels, cos, strict=True)])
    if args.folds:
        scores: list[np.ndarray] = [np.zeros(0)] * len(data)
        for k in range(args.folds):
            tr = [i for i in range(len(data)) if i % args.folds != k]
            model = train(
                np.vstack([feats[i] for i in tr]),
                np.concatenate([labels[i] for i in tr]),
                [len(labels[i]) for i in tr],
            )
            ranker = EvidenceRanker(path=None, booster=model, **encoders)  # type: ignore[arg-type]
            for i in range(k, len(data), args.folds):
                q, ev, _ = data[i]
                ranked = ranker.rank(q, ev, cos=cos[i])
                by_text = {id(e): s for e, s in ranked}
                scores[i] = np.asarray([by_text[id(e)] for e in ev])
        label = f"{args.folds}-fold CV"
    else:
        ranker = EvidenceRanker(**encoders)  # type: ignore[arg-type]
        scores = []
        for (q, ev, _), c in zip(data, cos, strict=True):
            by = {id(e): s for e, s in ranker.rank(q, ev, cos=c)}
            scores.append(np.asarray([by[id(e)] for e in ev]))
        label = "shipped ranker"
    ours = measure(list(zip(labels, scores, strict=True)))
    if args.save_model:
        model = train(np.vstack(feats), np.concatenate(labels), [len(lab) for lab in labels])
        model.save_model(args.save_model)  # type: ignore[attr-defined]
    rows = [("BM25", bm25), ("USE cosine", emb)] + ([("E5 cosine", e5)] if not args.no_e5 else [])
    for name, m in (*rows, (f"ours ({label})", ours)):
        print(
            f"{name:22s} nDCG@1 {m['ndcg1']:.3f} nDCG@3 {m['ndcg3']:.3f} P@1 {m['p_at_1']:.3f} "
            f"MAP {m['map']:.3f}",
            file=sys.stderr,
        )
    print(f"{len(data)} questions with a positive candidate ({args.format})", file=sys.stderr)
    print(
        json.dumps(
            {
                **ours,
                "bm25_p_at_1": bm25["p_at_1"],
                "bm25_ndcg1": bm25["ndcg1"],
                "emb_p_at_1": emb["p_at_1"],
                "emb_ndcg1": emb["ndcg1"],
                "e5_p_at_1": e5["p_at_1"],
                "e5_ndcg1": e5["ndcg1"],
                "questions": len(data),
                "ranker": label,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
