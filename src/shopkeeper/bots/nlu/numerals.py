"""Numerals in any of our scripts: Arabic-Indic and full-width digits, Chinese numerals, number words.

`normalize` rewrites a message into lower-case ASCII-digit text while keeping, for every output
character, the index of the input character it came from, so entity spans point into the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {ord(c): str(i) for i, c in enumerate("٠١٢٣٤٥٦٧٨٩")}
_DIGITS.update({ord(c): str(i) for i, c in enumerate("۰۱۲۳۴۵۶۷۸۹")})
_DIGITS.update({ord(c): str(i) for i, c in enumerate("０１２３４５６７８９")})
_DIGITS[ord("٫")] = "."  # Arabic decimal separator
_DIGITS[ord("٬")] = ","  # Arabic thousands separator

_ZH_DIGIT = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNIT = {"十": 10, "百": 100, "千": 1000, "万": 10000, "萬": 10000}
ZH_NUMERAL_RE = re.compile("[零〇一二两兩三四五六七八九十百千万萬]+")


def chinese_to_int(run: str) -> int | None:
    """ "两百" -> 200, "二十五" -> 25, "十" -> 10, "一千五百" -> 1500; None when it is not a number."""
    total, section, digit = 0, 0, None
    for ch in run:
        if ch in _ZH_DIGIT:
            # "一二" read digit by digit is a plain digit string
            digit = _ZH_DIGIT[ch] if digit is None else digit * 10 + _ZH_DIGIT[ch]
        elif ch in _ZH_UNIT:
            unit = _ZH_UNIT[ch]
            if unit == 10000:
                total += (section + (digit or 0)) * unit
                section = 0
            else:
                section += (1 if digit is None else digit) * unit
            digit = None
        else:
            return None
    return total + section + (digit or 0)


@dataclass(frozen=True, slots=True)
class Normalized:
    """Lower-cased, ASCII-digit text plus the map back to the original offsets."""

    original: str
    text: str
    origin: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of `text` back to the original message."""
        if start >= len(self.origin):
            return len(self.original), len(self.original)
        begin = self.origin[start]
        finish = self.origin[end - 1] + 1 if end > start else begin
        return begin, finish


def normalize(text: str) -> Normalized:
    out: list[str] = []
    origin: list[int] = []
    i = 0
    while i < len(text):
        match = ZH_NUMERAL_RE.match(text, i)
        if match and not (
            len(match.group()) == 1 and match.group() in "一两" and _zh_word_char(text, match.end())
        ):
            value = chinese_to_int(match.group())
            if value is not None:
                digits = str(value)
                out.append(digits)
                # spread the digits over the run so both ends of a span map back inside it
                span = list(range(match.start(), match.end()))
                origin.extend(
                    span[min(k, len(span) - 1)] if k < len(digits) - 1 else span[-1]
                    for k in range(len(digits))
                )
                i = match.end()
                continue
        ch = text[i]
        mapped = ch.translate(_DIGITS)
        lowered = mapped.lower()
        if len(lowered) != 1:
            lowered = mapped
        out.append(lowered)
        origin.append(i)
        i += 1
    return Normalized(text, "".join(out), origin)


def _zh_word_char(text: str, index: int) -> bool:
    # "一下" (a bit), "一起" (together), "一样" (same): 一 is not a number there; measure words are fine
    return index < len(text) and text[index] in "下起样些点直般定共切律致"


NUMBER_WORDS: dict[str, int] = {
    # en
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple": 2,
    "a pair": 2,
    "dozen": 12,
    # pl
    "jeden": 1,
    "jedna": 1,
    "jedno": 1,
    "dwa": 2,
    "dwie": 2,
    "dwóch": 2,
    "trzy": 3,
    "cztery": 4,
    "pięć": 5,
    "sześć": 6,
    "siedem": 7,
    "osiem": 8,
    "dziewięć": 9,
    "dziesięć": 10,
    # sk
    "jednu": 1,
    "dva": 2,
    "dve": 2,
    "tri": 3,
    "štyri": 4,
    "päť": 5,
    "šesť": 6,
    "sedem": 7,
    "osem": 8,
    "deväť": 9,
    "desať": 10,
    # ar
    "واحد": 1,
    "واحدة": 1,
    "اثنين": 2,
    "اثنان": 2,
    "اثنتين": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "سبعة": 7,
    "ثمانية": 8,
    "تسعة": 9,
    "عشرة": 10,
}
