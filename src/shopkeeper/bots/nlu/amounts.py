"""Money, price ranges and quantities in normalised text (ASCII digits, lower case).

A bare number becomes a price only next to a range word ("under 50", "do 200", "200以内") and then
takes the merchant's currency; with a currency word or sign it is money wherever it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from shopkeeper.kernel.money import Money

from .numerals import NUMBER_WORDS

CURRENCY_WORDS: dict[str, tuple[str, ...]] = {
    "EUR": ("€", "eur", "euro", "euros", "eura", "eurá", "eúr", "euro's", "يورو", "欧元", "歐元"),
    "USD": (
        "$",
        "us$",
        "usd",
        "dollar",
        "dollars",
        "bucks",
        "buck",
        "dolar",
        "dolary",
        "dolarów",
        "dolarow",
        "dolár",
        "doláre",
        "dolárov",
        "دولار",
        "دولارات",
        "美元",
        "美金",
    ),
    "PLN": (
        "zł",
        "zl",
        "zł.",
        "pln",
        "złotych",
        "złote",
        "złoty",
        "zlotych",
        "zlote",
        "zloty",
        "zlotých",
        "زلوتي",
        "兹罗提",
    ),
    "GBP": (
        "£",
        "gbp",
        "pound",
        "pounds",
        "quid",
        "funt",
        "funty",
        "funtów",
        "libra",
        "libry",
        "libier",
        "جنيه استرليني",
        "英镑",
    ),
    "CNY": ("¥", "元", "块", "块钱", "人民币", "rmb", "cny", "yuan", "圆"),
    "CZK": ("kč", "czk", "korun", "koruna", "koruny", "korún"),
    "AED": ("aed", "dirham", "dirhams", "درهم", "دراهم"),
    "SAR": ("sar", "riyal", "riyals", "ريال", "ريالات"),
    "EGP": ("egp", "جنيه", "جنيهات"),
}
_CUR_LOOKUP = {word: code for code, words in CURRENCY_WORDS.items() for word in words}
_CUR_ALT = "|".join(re.escape(w) for w in sorted(_CUR_LOOKUP, key=len, reverse=True))
_NUM = r"\d{1,3}(?:[,.\u00a0]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
# currency before or after; word currencies must end at a word edge ("eur" not "europe")
AMOUNT_RE = re.compile(
    rf"(?:(?P<pre>{_CUR_ALT})\s?)?(?<![\d.,])(?P<num>{_NUM})(?![\d])(?:\s?(?P<post>{_CUR_ALT})(?![a-zà-ž]))?"
)

MAX_CUES = (
    "under",
    "below",
    "less than",
    "up to",
    "upto",
    "max",
    "maximum",
    "at most",
    "no more than",
    "not more than",
    "cheaper than",
    "within",
    "budget of",
    "budget is",
    "budget",
    "for less than",
    "poniżej",
    "ponizej",
    "do",
    "maks",
    "maks.",
    "maksymalnie",
    "mniej niż",
    "mniej niz",
    "nie więcej niż",
    "tańsze niż",
    "tańszy niż",
    "taniej niż",
    "pod",
    "menej ako",
    "menej než",
    "maximálne",
    "maximalne",
    "najviac",
    "lacnejšie ako",
    "lacnejsie ako",
    "أقل من",
    "اقل من",
    "تحت",
    "حتى",
    "لا يزيد عن",
    "بحد أقصى",
    "بأقل من",
    "باقل من",
    "不超过",
    "低于",
    "少于",
    "最多",
    "不到",
    "预算",
)
MIN_CUES = (
    "over",
    "above",
    "more than",
    "at least",
    "from",
    "starting at",
    "od",
    "powyżej",
    "powyzej",
    "ponad",
    "więcej niż",
    "min",
    "minimum",
    "nad",
    "viac ako",
    "aspoň",
    "aspon",
    "najmenej",
    "minimálne",
    "أكثر من",
    "اكثر من",
    "فوق",
    "على الأقل",
    "超过",
    "高于",
    "至少",
)
MAX_POST = ("以内", "以下", "之内", "内", "以内的", "左右以内")
MIN_POST = ("以上", "起")
_BETWEEN_RE = re.compile(
    rf"(?:between|między|miedzy|medzi|from|od|بين|من|在)?\s*(?P<a>(?:(?:{_CUR_ALT})\s?)?(?:{_NUM})(?:\s?(?:{_CUR_ALT}))?)"
    rf"\s*(?:and|to|i|a|do|až|az|-|–|و|إلى|الى|到|至|~)\s*"
    rf"(?P<b>(?:(?:{_CUR_ALT})\s?)?(?:{_NUM})(?:\s?(?:{_CUR_ALT}))?)"
)
_BETWEEN_CUE = re.compile(r"(between|między|miedzy|medzi|from|od|بين|من|在)\s*$")

QUANTITY_BEFORE = re.compile(
    r"(take|add|want|buy|need|order|get|make it|change it to|change to|set it to|set to|quantity|qty|"
    r"dodaj|dodać|wezmę|wezme|biorę|biore|poproszę|poprosze|chcę|chce|zamawiam|zmień na|zmien na|"
    r"ustaw na|daj|ilość|ilosc|pridaj|pridať|vezmem|beriem|chcem|zmeň na|zmen na|prosím|množstvo|"
    r"أريد|اريد|أضف|اضف|سآخذ|الكمية|إلى|الى|要|加|买|来|改成|换成|数量|改为)\s*(?:me\s+|mi\s+)?$"
)
QUANTITY_AFTER = re.compile(
    r"^\s*(pieces|piece|pcs|pc|items|item|units|unit|of them|of those|of these|of it|pairs|pair|x\b|"
    r"szt|sztuk|sztuki|sztukę|par|pary|ks|kusy|kusov|kus|páry|párov|个|件|双|只|条|份|台|瓶|盒|"
    r"قطع|قطعة|حبات|حبة|أزواج|زوج)"
)
_NUMBER_WORD_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in sorted(NUMBER_WORDS, key=len, reverse=True)) + r")(?!\w)"
)


@dataclass(frozen=True, slots=True)
class Found:
    type: str
    value: object
    start: int
    end: int
    note: str | None = None


def parse_number(raw: str) -> Decimal | None:
    raw = raw.replace("\u00a0", "")
    if "," in raw and "." in raw:
        decimal_sep = "," if raw.rfind(",") > raw.rfind(".") else "."
        thousands = "." if decimal_sep == "," else ","
        raw = raw.replace(thousands, "").replace(decimal_sep, ".")
    elif "," in raw or "." in raw:
        sep = "," if "," in raw else "."
        head, _, tail = raw.rpartition(sep)
        raw = raw.replace(sep, "") if len(tail) == 3 else head.replace(sep, "") + "." + tail
    try:
        return Decimal(raw)
    except InvalidOperation:
        return None


def _currency(match: re.Match[str]) -> str | None:
    word = match.group("pre") or match.group("post")
    return _CUR_LOOKUP.get(word) if word else None


def _ends_with_cue(before: str, cues: tuple[str, ...]) -> bool:
    tail = before.rstrip()
    for cue in cues:
        if tail.endswith(cue):
            edge = len(tail) - len(cue)
            if edge == 0 or not (tail[edge - 1].isalnum() and cue[0].isalnum()):
                return True
    return False


def _money(value: Decimal, currency: str) -> Money:
    return Money.of(value, currency)


def find_amounts(text: str, taken: list[tuple[int, int]], default_currency: str) -> list[Found]:
    """Price ranges first (between / under / over), then loose money amounts."""
    found: list[Found] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    for match in _BETWEEN_RE.finditer(text):
        if not free(*match.span()):
            continue
        a, b = AMOUNT_RE.fullmatch(match.group("a")), AMOUNT_RE.fullmatch(match.group("b"))
        if not a or not b:
            continue
        currency = _currency(a) or _currency(b)
        has_cue = (
            bool(_BETWEEN_CUE.search(text[: match.start("a")]))
            or "-" in match.group()
            or "到" in match.group()
        )
        if currency is None and not (has_cue and _price_context(text)):
            continue
        low, high = parse_number(a.group("num")), parse_number(b.group("num"))
        if low is None or high is None or low > high:
            continue
        cur = currency or default_currency
        found.append(Found("price_range", {"min": _money(low, cur), "max": _money(high, cur)}, *match.span()))
        taken.append(match.span())

    for match in AMOUNT_RE.finditer(text):
        start, end = match.span()
        if not free(start, end):
            continue
        value = parse_number(match.group("num"))
        if value is None:
            continue
        currency = _currency(match)
        before, after = text[max(0, start - 24) : start], text[end : end + 4]
        kind = None
        if _ends_with_cue(before, MAX_CUES) or after.lstrip().startswith(MAX_POST):
            kind = "max"
        elif _ends_with_cue(before, MIN_CUES) or after.lstrip().startswith(MIN_POST):
            kind = "min"
        if kind is None and currency is None:
            continue
        if kind is not None and currency is None and not _bare_price_ok(text, before, value):
            continue
        amount = _money(value, currency or default_currency)
        if kind is None:
            found.append(Found("money", amount, start, end))
        else:
            found.append(
                Found(
                    "price_range",
                    {"min": amount if kind == "min" else None, "max": amount if kind == "max" else None},
                    start,
                    end,
                )
            )
        taken.append((start, end))
    return found


def _price_context(text: str) -> bool:
    return bool(
        re.search(r"price|cost|budget|cen|cena|koszt|cenu|cenou|سعر|ميزانية|价|预算|钱|cheap|tani|lacn", text)
    )


def _bare_price_ok(text: str, before: str, value: Decimal) -> bool:
    # "do 43" after rozmiar/size is a size; "do koszyka" has no number; "do 3 dni" is a duration
    if re.search(r"(size|rozmiar|rozm|veľkosť|velkost|číslo|cislo|尺码|مقاس)\W*\w*\W*$", before):
        return False
    return not (
        value < 1 or re.search(r"^\s*(dni|dn|days|day|weeks|tygodni|týžd|天|أيام)", text[len(before) :])
    )


def find_quantities(text: str, taken: list[tuple[int, int]]) -> list[Found]:
    found: list[Found] = []
    tokens = text.split()
    candidates: list[tuple[int, int, int]] = []
    for match in re.finditer(r"(?<![\d.,])(\d{1,3})(?![\d.,])", text):
        candidates.append((match.start(), match.end(), int(match.group(1))))
    for match in _NUMBER_WORD_RE.finditer(text):
        candidates.append((match.start(), match.end(), NUMBER_WORDS[match.group(1)]))
    for match in re.finditer(r"(?:x|×)\s?(\d{1,3})\b|\b(\d{1,3})\s?(?:x|×)(?!\w)", text):
        number = match.group(1) or match.group(2)
        candidates.append((match.start(), match.end(), int(number)))
    for start, end, value in sorted(candidates, key=lambda c: (c[0], -c[1])):
        if value < 1 or any(s < end and start < e for s, e in taken):
            continue
        before, after = text[max(0, start - 24) : start], text[end:]
        cue = bool(QUANTITY_BEFORE.search(before)) or bool(QUANTITY_AFTER.match(after))
        cue = cue or "x" in text[start:end] or "×" in text[start:end] or len(tokens) <= 2
        if cue:
            found.append(Found("quantity", value, start, end))
            taken.append((start, end))
    return found
