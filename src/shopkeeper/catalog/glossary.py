"""The shipped bilingual shopping glossaries (`glossaries/<language>.tsv`: a shopper's term → English
catalog words) and how a query is cut into their terms: inflected languages through Snowball
stems, Chinese by longest match over the terms. Knows nothing about a catalog or vectors.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer

from shopkeeper.catalog.text import CJK, STOP, TOKEN, fold, words

GLOSSARY_DIR = Path(__file__).with_name("glossaries")
# languages whose words are also looked up by their stem
STEMMED = {"pl", "sk", "ar"}
# Polish, Slovak and Arabic name the thing first ("etui na telefon", "stojak na wino"); English last
HEAD_FIRST = {"pl", "sk", "ar"}
MAX_WORDS = 4
# Chinese function words between terms ("适合男士的..."): no product meaning, never sent to the lexicon
ZH_SKIP = frozenset(
    "的 了 和 与 及 或 用 给 带 款 个 件 只 我 想 要 买 找 请 有 吗 呢 一个 一些 适合 推荐 哪里".split()  # noqa: SIM905
)
# what text.STOP lacks for our other languages: words a query is made of that name nothing
FUNCTION_WORDS = {
    "sk": frozenset(
        "a i v vo z zo s so na do pre od po o u k ku za je sú to ten tá mi ma chcem hľadám "  # noqa: SIM905
        "potrebujem ukáž prosím nejaký nejakú niečo".split()
    ),
    "ar": frozenset("في من على مع و أو عن إلى الى هذا هذه أريد اريد ابحث أبحث ل".split()),  # noqa: SIM905
}
ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # short vowels, tatweel
ARABIC_ARTICLE = re.compile("^(?:وال|بال|فال|كال|لل|ال)(?=..)")
_SKIP = "\x00skip"
CJK_RUN = re.compile(f"((?:{CJK.pattern})+)")


@dataclass(frozen=True)
class Entry:
    """English alternatives (each a word or a phrase), and whether the term only qualifies a
    thing (a colour, a material, who it is for) rather than naming it."""

    targets: tuple[str, ...]
    modifier: bool = False


@dataclass(frozen=True)
class Piece:
    """A stretch of the query: a glossary term with its entry, or a word / CJK run it lacks."""

    text: str
    entry: Entry | None = None


def parse(lines: Iterable[str]) -> dict[str, Entry]:
    """`term<TAB>english[; english…]` lines under `[nouns]` / `[modifiers]`; `#` comments.
    Raises ValueError on an empty target or a term given twice."""
    out: dict[str, Entry] = {}
    modifier = False
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line in ("[nouns]", "[modifiers]"):
            modifier = line == "[modifiers]"
            continue
        term, sep, rest = raw.rstrip("\r\n").partition("\t")
        targets = tuple(t.strip().lower() for t in rest.split(";"))
        key = _key(term)
        if not sep or not key or not targets or not all(targets):
            raise ValueError(f"glossary line {n}: {raw.strip()!r} has no term or an empty target")
        if key in out:
            raise ValueError(f"glossary line {n}: {term!r} given twice")
        out[key] = Entry(targets, modifier)
    return out


def _key(term: str) -> str:
    """A term's lookup form: its words; a Chinese term without spaces ("蓝牙耳机", "led灯泡")."""
    if CJK.search(term):
        return "".join(TOKEN.findall(fold(term)))
    return " ".join(words(term))


def ascii_fold(word: str) -> str:
    """Drops diacritics ("łóżko" → "lozko"): shoppers type Polish and Slovak without diacritics."""
    decomposed = unicodedata.normalize("NFKD", word.replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def arabic_fold(word: str) -> str:
    """ "الأحذية" → "احذيه": no vowel marks, one alef, no article; Arabic shoppers spell freely."""
    w = ARABIC_MARKS.sub("", word)
    w = w.translate(str.maketrans("أإآىة", "ااايه"))
    return ARABIC_ARTICLE.sub("", w)


@lru_cache(maxsize=64)
def stop_words(language: str) -> frozenset[str]:
    return frozenset(STOP.get(language, set())) | FUNCTION_WORDS.get(language, frozenset())


# Snowball stemmers for the lookup form of inflected languages (Slovak through Czech, its nearest
# one): a glossary term and a shopper's word meet on their stems ("sukienkę", "sukienki" →
# "sukienk"). On the translated CrowdFlower queries (Polish) stems and simplemma's lemmas scored
# the same, 0.765, and surface forms alone 0.775 (within the noise of 50 queries); stems are kept
# for the inflections the glossary does not list, and simplemma's Polish dictionary would cost
# ~400 MB and ~5 s per process.
LOOKUP_STEMMERS = {"pl": "polish", "sk": "czech", "ar": "arabic"}


@lru_cache(maxsize=16)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(LOOKUP_STEMMERS[language])


@lru_cache(maxsize=100_000)
def lookup_stem(word: str, language: str) -> str:
    """The word's lookup stem (short words and numbers as they are)."""
    if len(word) < 3 or word.isdigit():
        return word
    return str(_stemmer(language).stemWord(word))


class Glossary:
    """Terms of one language, indexed by their surface words, their stems and their
    diacritic-free spelling (surface forms win a clash)."""

    def __init__(
        self,
        entries: dict[str, Entry],
        language: str,
        stem: Callable[[str], str] | None = None,
    ) -> None:
        self.language = language
        self.entries = entries
        self.stem = stem
        self.cjk = any(CJK.search(k) for k in entries)
        self._index: dict[tuple[str, ...], Entry] = {}
        self._chars: dict[str, Entry] = {}
        if self.cjk:
            self._chars = {k.replace(" ", ""): e for k, e in entries.items()}
            for w in ZH_SKIP:
                self._chars.setdefault(w, Entry((_SKIP,)))
            self._longest = max(map(len, self._chars), default=1)
        keys = [(tuple(k.split()), e) for k, e in entries.items()]
        for ws, e in keys:
            self._index[ws] = e
        for form in (self._stems, self._folded):
            for ws, e in keys:
                self._index.setdefault(form(ws), e)

    @classmethod
    def from_lines(cls, lines: Iterable[str], language: str) -> Glossary:
        stem = (lambda w: lookup_stem(w, language)) if language in STEMMED else None
        return cls(parse(lines), language, stem)

    def _stems(self, ws: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.stem(w) for w in ws) if self.stem else ws

    def _fold(self, w: str) -> str:
        return arabic_fold(w) if self.language == "ar" else ascii_fold(w)

    def _folded(self, ws: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self._fold(w) for w in ws)

    def pieces(self, text: str) -> list[Piece]:
        """The query cut into glossary terms (longest first) and the words between them."""
        if self.cjk:
            return self._cjk_pieces(text)
        return self._word_pieces(words(text))

    def _word_pieces(self, ws: list[str]) -> list[Piece]:
        forms = [ws]
        if self.stem:
            forms.append([self.stem(w) for w in ws])
        forms.append([self._fold(w) for w in ws])
        out: list[Piece] = []
        i = 0
        while i < len(ws):
            for n in range(min(MAX_WORDS, len(ws) - i), 0, -1):
                hit = self._lookup(forms, i, n)
                if hit is not None:
                    out.append(Piece(" ".join(ws[i : i + n]), hit))
                    i += n
                    break
            else:
                out.append(Piece(ws[i]))
                i += 1
        return out

    def _lookup(self, forms: list[list[str]], i: int, n: int) -> Entry | None:
        for f in forms:
            e = self._index.get(tuple(f[i : i + n]))
            if e is not None:
                return e
        return None

    def _cjk_pieces(self, text: str) -> list[Piece]:
        out: list[Piece] = []
        for tok in TOKEN.findall(fold(text)):
            out += self._segment(tok)
        return [p for p in out if p.entry is None or p.entry.targets != (_SKIP,)]

    def _segment(self, tok: str) -> list[Piece]:
        """Forward longest match over a token's characters (a match never cuts a Latin word:
        "hdmi" is not "hd"); what no term covers stays together, a Latin word as a word."""
        out: list[Piece] = []
        gap_from = i = 0
        while i < len(tok):
            for n in range(min(self._longest, len(tok) - i), 0, -1):
                e = self._chars.get(tok[i : i + n])
                if e is not None and _cuts_clean(tok, i, i + n):
                    out += self._gap(tok[gap_from:i])
                    out.append(Piece(tok[i : i + n], e))
                    i += n
                    gap_from = i
                    break
            else:
                i += 1
        return out + self._gap(tok[gap_from:])

    def _gap(self, part: str) -> list[Piece]:
        out: list[Piece] = []
        for j, run in enumerate(CJK_RUN.split(part)):
            if run and j % 2:
                out.append(Piece(run))
            elif run:
                out += self._word_pieces([run])
        return out


def _cuts_clean(tok: str, start: int, end: int) -> bool:
    def latin(k: int) -> bool:
        return 0 <= k < len(tok) and not CJK.match(tok[k])

    return not (latin(start - 1) and latin(start)) and not (latin(end - 1) and latin(end))


_loaded: dict[str, Glossary | None] = {}
_lock = threading.Lock()


def shipped(language: str) -> Glossary | None:
    """The package's glossary for a language (loaded once per process), None when none ships."""
    if language in _loaded:
        return _loaded[language]
    with _lock:
        if language not in _loaded:
            path = GLOSSARY_DIR / f"{language}.tsv"
            if path.is_file():
                with path.open(encoding="utf-8") as fh:
                    _loaded[language] = Glossary.from_lines(fh, language)
            else:
                _loaded[language] = None
    return _loaded[language]
