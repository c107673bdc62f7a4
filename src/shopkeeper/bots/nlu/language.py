"""Language of a message, restricted to the merchant's languages: script first (Arabic, Han), then a
short-word list for one-word replies ("tak", "áno", "ok"), then lingua's n-gram models."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_POLISH_ONLY = re.compile(r"[ąęłńśźżĄĘŁŃŚŹŻ]")
_SLOVAK_ONLY = re.compile(r"[äčďľĺňôŕšťžýÄČĎĽĹŇÔŔŠŤŽÝ]")
SHORT_WORDS: dict[str, str] = {
    "tak": "pl",
    "nie": "pl",
    "dzięki": "pl",
    "dzieki": "pl",
    "cześć": "pl",
    "czesc": "pl",
    "siema": "pl",
    "dobrze": "pl",
    "jasne": "pl",
    "pa": "pl",
    "więcej": "pl",
    "dalej": "pl",
    "witam": "pl",
    "áno": "sk",
    "ano": "sk",
    "vďaka": "sk",
    "dakujem": "sk",
    "ďakujem": "sk",
    "ahoj": "sk",
    "čau": "sk",
    "dobre": "sk",
    "jasné": "sk",
    "viac": "sk",
    "ďalej": "sk",
    "hej": "sk",
    "zdravím": "sk",
    "yes": "en",
    "no": "en",
    "thanks": "en",
    "hi": "en",
    "hello": "en",
    "bye": "en",
    "yeah": "en",
    "nope": "en",
    "more": "en",
    "next": "en",
    "cheaper": "en",
    "sure": "en",
}
# words every language uses: the merchant's first language is the best guess
UNIVERSAL = frozenset(
    {"ok", "okay", "okey", "super", "haha", "lol", "xd", "hm", "hmm", "stop", "halo", "hallo"}
)
_DETECTORS: dict[tuple[str, ...], Any] = {}
_LOCK = threading.Lock()


def detect_language(text: str, languages: Sequence[str]) -> str:
    langs = [lang.lower() for lang in languages] or ["en"]
    if len(langs) == 1:
        return langs[0]
    if "ar" in langs and _ARABIC.search(text):
        return "ar"
    if "zh" in langs and _HAN.search(text):
        return "zh"
    latin = [lang for lang in langs if lang not in ("ar", "zh")]
    if not latin:
        return langs[0]
    if len(latin) == 1:
        return latin[0]
    words = re.findall(r"[^\W\d_]+", text.lower())
    if words and all(word in UNIVERSAL for word in words):
        return langs[0] if langs[0] in latin else latin[0]
    if len(words) <= 2:
        for word in words:
            lang = SHORT_WORDS.get(word)
            if lang in latin:
                return lang
    if "pl" in latin and _POLISH_ONLY.search(text):
        return "pl"
    if "sk" in latin and _SLOVAK_ONLY.search(text) and not _POLISH_ONLY.search(text):
        return "sk"
    if not words:
        return langs[0]
    detected = _detector(tuple(latin)).detect_language_of(text)
    if detected is None:
        return latin[0]
    code = detected.iso_code_639_1.name.lower()
    return code if code in latin else latin[0]


def _detector(languages: tuple[str, ...]) -> Any:
    key = tuple(sorted(languages))
    with _LOCK:
        detector = _DETECTORS.get(key)
        if detector is None:
            from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

            chosen = []
            for code in key:
                iso = getattr(IsoCode639_1, code.upper(), None)
                if iso is not None:
                    chosen.append(Language.from_iso_code_639_1(iso))
            if len(chosen) < 2:
                chosen = [Language.ENGLISH, Language.POLISH]
            detector = LanguageDetectorBuilder.from_languages(*chosen).build()
            _DETECTORS[key] = detector
        return detector
