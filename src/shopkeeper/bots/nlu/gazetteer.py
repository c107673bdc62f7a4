"""Typo-tolerant gazetteers built from a merchant's catalog vocabulary (brands, categories, colours,
sizes), cached per vocabulary object; plus the built-in multilingual lexicon matchers."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from . import lexicon

_WORD = re.compile(r"[\w'&+-]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Hit:
    type: str
    value: str
    start: int
    end: int


class Gazetteer:
    """Catalog terms by type; single tokens and short phrases matched with rapidfuzz ratios."""

    def __init__(self, vocabulary: Any) -> None:
        self.terms: dict[str, dict[str, str]] = {}
        for kind, attr in (
            ("brand", "brands"),
            ("category", "categories"),
            ("color", "colors"),
            ("size", "sizes"),
        ):
            mapping: dict[str, str] = {}
            for name in getattr(vocabulary, attr, None) or ():
                canonical = str(name)
                for alias in _aliases(canonical, kind):
                    mapping.setdefault(alias, canonical)
            self.terms[kind] = mapping
        self.categories_lower = {c.lower() for c in self.terms["category"].values()}

    def find(self, text: str, kinds: tuple[str, ...] = ("brand", "category")) -> list[Hit]:
        words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
        hits: list[Hit] = []
        used: set[int] = set()
        for n in (3, 2, 1):
            for i in range(len(words) - n + 1):
                if any(j in used for j in range(i, i + n)):
                    continue
                start, end = words[i][0], words[i + n - 1][1]
                phrase = text[start:end]
                for kind in kinds:
                    canonical = self._match(phrase, kind)
                    if canonical is not None:
                        hits.append(Hit(kind, canonical, start, end))
                        used.update(range(i, i + n))
                        break
        return hits

    def _match(self, phrase: str, kind: str) -> str | None:
        mapping = self.terms[kind]
        if not mapping:
            return None
        if phrase in mapping:
            return mapping[phrase]
        if len(phrase) < 5:  # short words: exact only ("on", "hm" must not become brands)
            return None
        cutoff = 86 if len(phrase) < 8 else 82
        best = process.extractOne(phrase, mapping.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
        return mapping[best[0]] if best else None


def _aliases(name: str, kind: str) -> set[str]:
    low = name.lower().strip()
    out = {low}
    if kind == "category":
        for part in re.split(r"\s*(?:&|,|/| and )\s*", low):
            if part:
                out.add(part)
                if part.endswith("s") and len(part) > 4:
                    out.add(part[:-1])
    return {alias for alias in out if alias}


_CACHE: OrderedDict[int, tuple[Any, Gazetteer]] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def gazetteer_for(vocabulary: Any) -> Gazetteer:
    """One Gazetteer per vocabulary object (kept alive in a small LRU so ids are not reused)."""
    key = id(vocabulary)
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0] is vocabulary:
            _CACHE.move_to_end(key)
            return entry[1]
    built = Gazetteer(vocabulary)
    with _CACHE_LOCK:
        _CACHE[key] = (vocabulary, built)
        while len(_CACHE) > 32:
            _CACHE.popitem(last=False)
    return built


def _stem_regex(words: tuple[str, ...], whole: bool) -> str:
    parts = []
    for word in sorted(words, key=len, reverse=True):
        body = re.escape(word)
        if re.match(r"[\u4e00-\u9fff]", word):
            parts.append(body)
        elif re.match(r"[\u0600-\u06ff]", word):
            parts.append(rf"(?<![\u0600-\u06ff])(?:ال|وال|بال)?{body}(?:ة|ات)?(?![\u0600-\u06ff])")
        else:
            parts.append(rf"\b{body}\b" if whole else rf"\b{body}\w*")
    return "|".join(parts)


class LexiconMatcher:
    """Colours, demo categories, ordinals and references from `lexicon`, for a set of languages."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        langs = tuple(dict.fromkeys(("en", *languages)))
        self.colors = self._compile(lexicon.COLORS, langs, whole_en=True)
        self.categories = self._compile(lexicon.CATEGORIES, langs, whole_en=False)
        self.references = self._compile(lexicon.REFERENCES, langs, whole_en=True, whole_all=True)

    @staticmethod
    def _compile(
        table: dict[Any, dict[str, tuple[str, ...]]],
        langs: tuple[str, ...],
        whole_en: bool,
        whole_all: bool = False,
    ) -> list[tuple[re.Pattern[str], Any]]:
        out = []
        for value, per_lang in table.items():
            words: list[str] = []
            whole_words: list[str] = []
            for lang in langs:
                target = whole_words if (whole_all or (whole_en and lang == "en")) else words
                target.extend(per_lang.get(lang, ()))
            alternatives = [
                p for p in (_stem_regex(tuple(words), False), _stem_regex(tuple(whole_words), True)) if p
            ]
            if alternatives:
                out.append((re.compile("|".join(alternatives)), value))
        return out


_MATCHERS: dict[tuple[str, ...], LexiconMatcher] = {}


def lexicon_for(languages: tuple[str, ...]) -> LexiconMatcher:
    key = tuple(sorted(languages))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = _MATCHERS[key] = LexiconMatcher(key)
    return matcher
