"""Intent benchmark: train Shopkeeper's NLU on folders of seq.in/label (or our YAML, or `shipped`), test
on another folder, print accuracy, macro-F1, out-of-scope recall and in-scope accuracy at the model's
own threshold, single-utterance latency and training time; the last line is JSON.

    python benchmarks/nlu.py --train ../shared/data/intents/BANKING77/train \
        --train ../shared/data/intents/BANKING77/valid --test ../shared/data/intents/BANKING77/test
    python benchmarks/nlu.py --train ../shared/data/intents/CLINC150/train \
        --test ../shared/data/intents/CLINC150/valid --oos ../shared/data/intents/CLINC150/oos/valid
    python benchmarks/nlu.py --train shipped --test benchmarks/data/nlu [--train-languages en]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from shopkeeper.bots.nlu import NLU, Settings, load_any, load_bitext, shipped_examples
from shopkeeper.bots.nlu.classifier import OOS_LABELS
from shopkeeper.bots.nlu.encoders import E5Encoder, USEEncoder, encode_cached


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", action="append", required=True, help="folder, YAML file, or 'shipped'")
    parser.add_argument("--test", required=True, help="folder (or parent of per-language folders)")
    parser.add_argument("--oos", action="append", default=[], help="folder of out-of-scope test utterances")
    parser.add_argument("--bitext", help="Bitext commerce CSV to add (mapped intents only)")
    parser.add_argument("--train-languages", help="comma list: keep only training examples in these")
    parser.add_argument(
        "--cache",
        default=os.environ.get("SHOPKEEPER_NLU_CACHE", ".cache/nlu"),
        help="embedding cache directory ('' disables)",
    )
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--errors", action="store_true", help="list every misclassified test utterance")
    parser.add_argument("--encoder-weight", type=float, help="weight of each encoder block (default 2)")
    parser.add_argument("--c", type=float, help="SVM C (default 1)")
    parser.add_argument("--max-rejected", type=float, help="share of correct answers the threshold may drop")
    args = parser.parse_args(argv)
    cache = args.cache or None

    train = []
    for source in args.train:
        train.extend(shipped_examples() if source == "shipped" else load_any(source))
    if args.bitext:
        train.extend(load_bitext(args.bitext))
    if args.train_languages:
        keep = set(args.train_languages.split(","))
        train = [ex for ex in train if ex[2] in keep]
    test = load_any(args.test)
    oos = [(t, "oos", lang) for folder in args.oos for t, _, lang in load_any(folder)]
    test_all = test + oos

    texts = [t.strip() for t, _, _ in train]
    started = time.perf_counter()
    for encoder in (USEEncoder(), E5Encoder()):
        encode_cached(encoder, texts, cache)
    embed_s = time.perf_counter() - started
    settings = Settings()
    if args.encoder_weight is not None:
        settings.encoder_weights = tuple((name, args.encoder_weight) for name, _ in settings.encoder_weights)
    if args.c is not None:
        settings.c = args.c
    if args.max_rejected is not None:
        settings.max_rejected = args.max_rejected
    nlu = NLU.train(train, settings=settings, embedding_cache=cache)
    fit_s = nlu.train_seconds

    test_texts = [t.strip() for t, _, _ in test_all]
    embeddings = {enc.name: encode_cached(enc, test_texts, cache) for enc in (USEEncoder(), E5Encoder())}
    held_out = nlu.classifier.held_out  # the train hold-out, for the threshold-rule sweep below
    probs, score = nlu.analyse(test_texts, embeddings)
    fast_share = nlu.last_fast_share
    full_only = nlu.classifier.probabilities(test_texts, embeddings)  # the cascade's accuracy cost
    gold = [label for _, label, _ in test_all]
    decisions = [nlu.decide(row, float(s)) for row, s in zip(probs, score, strict=True)]
    raw = [nlu.classifier.labels[int(np.argmax(row))] for row in probs]
    in_scope = [g not in OOS_LABELS for g in gold]
    full_labels = [nlu.classifier.labels[int(np.argmax(row))] for row in full_only]
    accuracy_full = float(np.mean([g == r for g, r, k in zip(gold, full_labels, in_scope, strict=True) if k]))
    ins_gold = [g for g, k in zip(gold, in_scope, strict=True) if k]
    ins_raw = [r for r, k in zip(raw, in_scope, strict=True) if k]
    accuracy = float(np.mean([g == r for g, r in zip(ins_gold, ins_raw, strict=True)]))
    macro_f1 = float(
        f1_score(ins_gold, ins_raw, average="macro", labels=sorted(set(ins_gold)), zero_division=0)
    )
    accepted_ok = [k and not d[2] and d[0] == g for g, k, d in zip(gold, in_scope, decisions, strict=True)]
    in_scope_accuracy = sum(accepted_ok) / max(1, sum(in_scope))
    oos_flags = [d[2] for d, k in zip(decisions, in_scope, strict=True) if not k]
    oos_recall = (sum(oos_flags) / len(oos_flags)) if oos_flags else None
    # the same decision without the first stage: what the cascade costs out of scope
    full_score = nlu.classifier.in_scope_score(full_only, embeddings)
    full_decisions = [nlu.decide(row, float(s)) for row, s in zip(full_only, full_score, strict=True)]
    full_in_scope_accuracy = sum(
        k and not d[2] and d[0] == g for g, k, d in zip(gold, in_scope, full_decisions, strict=True)
    ) / max(1, sum(in_scope))
    full_oos = [d[2] for d, k in zip(full_decisions, in_scope, strict=True) if not k]
    full_oos_recall = (sum(full_oos) / len(full_oos)) if full_oos else None

    per_language: dict[str, float] = {}
    for lang in sorted({lang for _, _, lang in test if lang}):
        rows = [g == r for (_, g, la), r in zip(test, raw[: len(test)], strict=True) if la == lang]
        per_language[lang] = round(float(np.mean(rows)), 4)

    sweep = threshold_sweep(nlu, held_out, probs, score, gold) if oos_flags else []
    latencies = measure_latency(nlu, [t for t, _, _ in test_all], args.latency_samples)
    confusions = Counter((g, r) for g, r in zip(ins_gold, ins_raw, strict=True) if g != r).most_common(10)

    print(
        f"train examples {len(train)} · intents {len(nlu.intents)} · "
        f"test {len(test)} in-scope + {len(oos)} oos"
    )
    print(
        f"embedding {embed_s:.1f}s (cache: {cache or 'off'}) · fit {fit_s:.1f}s · threshold "
        f"{nlu.classifier.threshold:.3f} · temperature {nlu.classifier.temperature:.2f}"
    )
    print(
        f"accuracy {accuracy:.4f} · macro-F1 {macro_f1:.4f} · in-scope accuracy at threshold "
        f"{in_scope_accuracy:.4f} · out-of-scope recall {'-' if oos_recall is None else f'{oos_recall:.4f}'}"
    )
    for lang, acc in per_language.items():
        print(f"  {lang}: {acc:.4f}")
    if args.errors:
        for (text, g, lang), r in zip(test_all, raw, strict=True):
            if g != r:
                print(f"  ✗ [{lang}] {text!r}: {g} -> {r}")
    print(
        f"answered by the fast stage (TF-IDF + USE, gate {nlu.gate:.3f}): {fast_share:.1%} · "
        f"accuracy of the full model alone {accuracy_full:.4f}"
    )
    print(
        f"full model alone at the threshold: in-scope accuracy {full_in_scope_accuracy:.4f} · "
        f"out-of-scope recall {'-' if full_oos_recall is None else f'{full_oos_recall:.4f}'}"
    )
    print(
        f"latency per utterance (full parse) p50 {latencies[0]:.1f} ms · p99 {latencies[1]:.1f} ms · "
        f"CPU p50 {latencies[2]:.1f} ms · load average {os.getloadavg()[0]:.1f}"
    )
    for cap, threshold, ins, rec in sweep:
        print(
            f"  threshold at {cap:.1%} of correct train hold-out answers ({threshold:.4f}): "
            f"in-scope accuracy {ins:.4f} · out-of-scope recall {rec:.4f}"
        )
    print(
        "most confused (gold -> predicted: count): "
        + "; ".join(f"{g} -> {r}: {n}" for (g, r), n in confusions)
    )
    print(
        json.dumps(
            {
                "accuracy": round(accuracy, 4),
                "macro_f1": round(macro_f1, 4),
                "oos_recall": None if oos_recall is None else round(oos_recall, 4),
                "in_scope_accuracy": round(in_scope_accuracy, 4),
                "p50_ms": round(latencies[0], 2),
                "p99_ms": round(latencies[1], 2),
                "p50_cpu_ms": round(latencies[2], 2),
                "load_average": round(os.getloadavg()[0], 2),
                "train_s": round(embed_s + fit_s, 2),
                "fit_s": round(fit_s, 2),
                "embed_s": round(embed_s, 2),
                "n_train": len(train),
                "n_test": len(test),
                "n_oos": len(oos),
                "threshold": round(nlu.classifier.threshold, 4),
                "fast_share": round(fast_share, 4),
                "accuracy_full_model": round(accuracy_full, 4),
                "in_scope_accuracy_full_model": round(full_in_scope_accuracy, 4),
                "oos_recall_full_model": None if full_oos_recall is None else round(full_oos_recall, 4),
                "gate": round(nlu.gate, 4),
                "per_language": per_language,
                "confusions": [[g, r, n] for (g, r), n in confusions],
            }
        )
    )
    return 0


def threshold_sweep(
    nlu: NLU,
    held_out: tuple[np.ndarray, np.ndarray, np.ndarray] | None,
    probs: np.ndarray,
    score: np.ndarray,
    gold: list[str],
) -> list[tuple[float, float, float, float]]:
    """What other caps of the threshold rule would give here: (cap, threshold, in-scope acc, OOS recall).

    The threshold for each cap comes from the model's own train hold-out, as in training."""
    if held_out is None:
        return []
    held_gold, held_probs, held_score = held_out
    labels = np.asarray(nlu.classifier.labels)
    correct_held = (labels[held_probs.argmax(axis=1)] == held_gold) & ~np.isin(held_gold, list(OOS_LABELS))
    predicted = labels[probs.argmax(axis=1)]
    gold_arr = np.asarray(gold)
    in_scope = ~np.isin(gold_arr, list(OOS_LABELS))
    out = []
    for cap in (0.001, 0.002, 0.003, 0.005, 0.0075, 0.01):
        threshold = float(np.quantile(held_score[correct_held], cap))
        accepted = (score >= threshold) & ~np.isin(predicted, list(OOS_LABELS))
        ins = float(((predicted == gold_arr) & accepted & in_scope).sum() / max(1, in_scope.sum()))
        rec = float((~accepted & ~in_scope).sum() / max(1, (~in_scope).sum()))
        out.append((cap, threshold, ins, rec))
    return out


def measure_latency(nlu: NLU, texts: list[str], samples: int) -> tuple[float, float, float]:
    """Full `parse` of one utterance at a time (embeddings, language, entities), warm models: wall-clock
    p50/p99 and the p50 of the calling thread's CPU time (what it costs on a machine not shared)."""
    rng = np.random.default_rng(0)
    chosen = [texts[i] for i in rng.choice(len(texts), size=min(samples, len(texts)), replace=False)]
    nlu.parse("warm up the encoders")
    times, cpu = [], []
    for text in chosen:
        nlu._memo.clear()  # measure the encoders, not the repeat-reply memo
        started, started_cpu = time.perf_counter(), time.thread_time()
        nlu.parse(text)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return statistics.median(times), p99, statistics.median(cpu)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
