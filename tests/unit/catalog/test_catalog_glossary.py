"""The shipped shopping glossaries and how the cross-lingual bridge uses them before its lexicon."""

from __future__ import annotations

import numpy as np
import pytest

from shopkeeper.catalog.crosslingual import CrossLingualBridge
from shopkeeper.catalog.glossary import GLOSSARY_DIR, Glossary, parse, shipped

# a toy aligned space for the lexicon: "wino" and "wine" share an axis, anything else points nowhere
AXES = {"wine": 0, "wino": 0, "shoes": 1, "rack": 2}


class ToyEncoder:
    name = "toy"
    dim = 4

    def __init__(self) -> None:
        self.asked: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked += texts
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i, AXES.get(t, 3)] = 1.0
        return out


def toy_glossary(language: str = "pl") -> Glossary:
    lines = ["[nouns]", "buty\tshoes", "słuchawki\theadphones; earphones", "[modifiers]", "czerwony\tred"]
    return Glossary(parse(lines), language)


def test_shipped_glossaries_parse_with_no_empty_target_or_repeated_term() -> None:
    for path in sorted(GLOSSARY_DIR.glob("*.tsv")):
        with path.open(encoding="utf-8") as fh:
            entries = parse(fh)  # raises on an empty target or a term given twice
        assert entries, path.name
        assert all(t.strip() for e in entries.values() for t in e.targets)
    for language in ("pl", "zh"):
        assert (
            len(parse((GLOSSARY_DIR / f"{language}.tsv").read_text(encoding="utf-8").splitlines())) >= 1_500
        )


def test_parse_rejects_a_repeated_term_and_an_empty_target() -> None:
    with pytest.raises(ValueError, match="twice"):
        parse(["buty\tshoes", "Buty\tboots"])
    with pytest.raises(ValueError, match="empty target"):
        parse(["buty\tshoes; "])
    with pytest.raises(ValueError, match="empty target"):
        parse(["buty"])


def test_inflected_polish_words_find_their_terms_through_stems() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False)
    out = bridge.translate("czerwone sukienki", "pl").split()
    assert "red" in out and "dress" in out
    assert set(bridge.translate("kubków", "pl").split()) == {"mug"}


def test_polish_without_diacritics_still_finds_its_term() -> None:
    pieces = shipped("pl").pieces("lozko")  # type: ignore[union-attr]
    assert [p.entry.targets for p in pieces if p.entry] == [("bed",)]


def test_the_named_thing_moves_last_as_english_says_it() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False)
    assert bridge.translate("sukienka czerwona", "pl") == "red dress"
    assert bridge.translate("plecak dla dzieci", "pl") == "kids backpack"


def test_chinese_is_cut_into_the_longest_glossary_terms() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False)
    out = bridge.translate("蓝牙耳机", "zh").split()
    assert out[0] == "bluetooth" and out[-1] in {"headphones", "earphones"}
    assert bridge.translate("红色的连衣裙", "zh") == "red dress"  # 的 carries no product meaning


def test_a_chinese_match_never_cuts_a_latin_word() -> None:
    pieces = shipped("zh").pieces("hdmi线")  # type: ignore[union-attr]
    assert [p.text for p in pieces] == ["hdmi线"]
    pieces = shipped("zh").pieces("iphone手机壳")  # type: ignore[union-attr]
    assert [(p.text, p.entry is not None) for p in pieces] == [("iphone", False), ("手机壳", True)]


def test_words_the_glossary_lacks_fall_through_to_the_lexicon() -> None:
    enc = ToyEncoder()
    bridge = CrossLingualBridge(enc, background=False, glossaries={"pl": toy_glossary()})
    bridge.build(["wine", "shoes", "rack"])
    assert bridge.translate("buty wino", "pl") == "wine shoes"
    assert enc.asked[3:] == ["wino", "buty wino"]  # the glossary's word is never embedded alone


def test_the_alternative_most_titles_use_is_chosen() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={"pl": toy_glossary()})
    bridge.build(["earphones", "headphones"], counts=[50, 2])
    assert bridge.translate("słuchawki", "pl") == "earphones"
    bridge.build(["earphones", "headphones"], counts=[2, 50])
    assert bridge.translate("słuchawki", "pl") == "headphones"


def test_the_glossary_translates_before_the_lexicon_is_built() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={"pl": toy_glossary()})
    assert bridge.translate("czerwony buty", "pl") == "red shoes"
    assert bridge.translate("zzz", "pl") == "zzz"
    assert bridge.maps_every_word("buty", "pl")
    assert not bridge.maps_every_word("buty zzz", "pl")


def test_a_language_without_a_glossary_uses_the_lexicon_alone() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False, glossaries={})
    bridge.build(["wine"])
    assert bridge.translate("wino", "pl") == "wine"
    assert bridge.translate("buty", "pl") == "buty"


def test_slovak_and_arabic_name_the_thing_last_in_english() -> None:
    bridge = CrossLingualBridge(ToyEncoder(), background=False)
    assert bridge.translate("červené šaty", "sk") == "red dress"
    assert bridge.translate("فستان أحمر", "ar") == "red dress"
    assert bridge.translate("الفساتين الحمراء", "ar") == "red dress"  # article, plural, feminine
