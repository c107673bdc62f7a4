"""Search text normalisation: Unicode folding, units, per-language stemming and stop words, CJK
bigrams. The same token stream feeds SQLite FTS5 and PostgreSQL, so both backends agree on matches.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

STEMMERS = {
    "en": "english",
    "pl": "polish",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
    "sk": "czech",
    "cs": "czech",
    "ar": "arabic",
    "ru": "russian",
}

STOP = {
    "en": set(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "by",
            "for",
            "from",
            "has",
            "have",
            "i",
            "in",
            "is",
            "it",
            "its",
            "me",
            "my",
            "of",
            "on",
            "or",
            "our",
            "so",
            "that",
            "the",
            "their",
            "them",
            "these",
            "this",
            "those",
            "to",
            "was",
            "we",
            "were",
            "what",
            "which",
            "with",
            "you",
            "your",
            "any",
            "some",
            "want",
            "need",
            "looking",
            "something",
            "show",
            "find",
            "get",
            "buy",
        ]
    ),
    "pl": set(
        [
            "a",
            "i",
            "w",
            "we",
            "z",
            "ze",
            "na",
            "do",
            "dla",
            "od",
            "po",
            "o",
            "u",
            "że",
            "się",
            "jest",
            "są",
            "to",
            "ten",
            "ta",
            "te",
            "mi",
            "mnie",
            "coś",
            "jakiś",
            "jakieś",
            "chcę",
            "szukam",
            "potrzebuję",
            "pokaż",
            "proszę",
        ]
    ),
}

# Question words carry no product meaning ("do they work with an iphone?" is about "work",
# "iphone"); kept out of STOP because "can lights" and "it" sealant are products to a shopper.
QUESTION_WORDS = set(
    [
        "do",
        "does",
        "did",
        "they",
        "them",
        "it",
        "he",
        "she",
        "will",
        "can",
        "could",
        "would",
        "should",
        "how",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "there",
        "here",
        "also",
        "very",
    ]
)

# Home-improvement and fashion catalogs write units a dozen ways; fold them to one token.
UNITS = [
    (re.compile(r"(\d)\s*(?:inches|inch|in\.|\"|'')(?=\W|$)"), r"\1 inch "),
    (re.compile(r"(\d)\s*(?:feet|foot|ft\.|')(?=\W|$)"), r"\1 ft "),
    (re.compile(r"(\d)\s*(?:gallons|gallon|gal\.)(?=\W|$)"), r"\1 gal "),
    (re.compile(r"(\d)\s*(?:pounds|pound|lbs\.|lb\.)(?=\W|$)"), r"\1 lb "),
    (re.compile(r"(\d)\s*(?:volts|volt|v)(?=\W|$)"), r"\1 volt "),
    (re.compile(r"(\d)\s*(?:watts|watt|w)(?=\W|$)"), r"\1 watt "),
    (re.compile(r"(\d)\s*x\s*(\d)"), r"\1 x \2"),
]
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer | None:
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    if word.isdigit() or len(word) < 3:
        return word
    s = _stemmer(language)
    return s.stemWord(word) if s else word


def fold(text: str) -> str:
    """NFKC, lower case, units folded; accents kept (Polish "ł" is not "l" to a Polish shopper)."""
    text = unicodedata.normalize("NFKC", text).lower()
    for pattern, repl in UNITS:
        text = pattern.sub(repl, text)
    return text


def words(text: str) -> list[str]:
    """Surface words; a run of CJK characters becomes its characters' bigrams (no segmenter needed)."""
    out: list[str] = []
    for tok in TOKEN.findall(fold(text)):
        if CJK.search(tok):
            chars = [c for c in tok if CJK.match(c)]
            rest = CJK.sub(" ", tok).split()
            out.extend(rest)
            if len(chars) == 1:
                out.extend(chars)
            out.extend(a + b for a, b in itertools.pairwise(chars))
        else:
            out.append(tok)
    return out


def tokens(text: str, language: str = "en", *, keep_stop: bool = False) -> list[str]:
    """Index/query terms: words, minus stop words, stemmed for the language."""
    stop = set() if keep_stop else STOP.get(language, set())
    return [stem(w, language) for w in words(text) if w not in stop]


def index_text(text: str, language: str = "en") -> str:
    return " ".join(tokens(text, language, keep_stop=True))
