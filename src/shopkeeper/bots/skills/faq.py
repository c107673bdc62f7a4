"""Policy questions (returns, delivery times, payment methods) answered from the merchant's FAQ:
entries ranked by character n-gram TF-IDF in the question's language, answered in that language."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from shopkeeper.bots.dialogue import Dialogue

MIN_SCORE = 0.12
NGRAM = 3


@dataclass(frozen=True)
class Entry:
    id: str
    topic: str
    question: dict[str, str]
    answer: dict[str, str]


def _grams(text: str) -> Counter[str]:
    clean = " " + re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.lower())).strip() + " "
    if any("\u4e00" <= ch <= "\u9fff" for ch in clean):  # Chinese: characters and bigrams carry meaning
        chars = [c for c in clean if not c.isspace()]
        return Counter(chars + ["".join(p) for p in itertools.pairwise(chars)])
    return Counter(clean[i : i + NGRAM] for i in range(max(0, len(clean) - NGRAM + 1)))


class FaqIndex:
    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self._vectors: dict[str, list[dict[str, float]]] = {}
        self._idf: dict[str, dict[str, float]] = {}

    def _build(self, language: str) -> None:
        docs = [
            _grams(
                f"{e.question.get(language, e.question.get('en', ''))} {e.topic} {e.answer.get(language, '')}"
            )
            for e in self.entries
        ]
        df: Counter[str] = Counter(g for doc in docs for g in doc)
        n = len(docs) or 1
        idf = {g: math.log((1 + n) / (1 + c)) + 1 for g, c in df.items()}
        self._idf[language] = idf
        self._vectors[language] = [self._weigh(doc, idf) for doc in docs]

    @staticmethod
    def _weigh(doc: Counter[str], idf: dict[str, float]) -> dict[str, float]:
        vec = {g: c * idf.get(g, 0.0) for g, c in doc.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def rank(self, question: str, language: str) -> list[tuple[Entry, float]]:
        if language not in self._vectors:
            self._build(language)
        q = self._weigh(_grams(question), self._idf[language])
        scored = [
            (e, sum(w * v.get(g, 0.0) for g, w in q.items()))
            for e, v in zip(self.entries, self._vectors[language], strict=True)
        ]
        return sorted(scored, key=lambda x: -x[1])


def load_entries(data: list[dict[str, Any]]) -> list[Entry]:
    return [
        Entry(
            str(x["id"]), str(x.get("topic", "")), dict(x.get("question") or {}), dict(x.get("answer") or {})
        )
        for x in data
    ]


@lru_cache(maxsize=1)
def demo_index() -> FaqIndex:
    try:
        raw = resources.files("shopkeeper.demo").joinpath("faq.json").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return FaqIndex([])
    return FaqIndex(load_entries(json.loads(raw)))


def index_for(services: Any) -> FaqIndex:
    idx = services.extras.get("faq_index")
    return idx if isinstance(idx, FaqIndex) else demo_index()


def answer(d: Dialogue) -> bool:
    """Answer from the FAQ; False if nothing fits well enough (the caller decides what then)."""
    ranked = index_for(d.services).rank(d.text, d.lang)
    if not ranked or ranked[0][1] < MIN_SCORE:
        return False
    entry = ranked[0][0]
    d.add_text(entry.answer.get(d.lang) or entry.answer.get("en", ""))
    d.state["last_skill"] = "faq"
    return True
