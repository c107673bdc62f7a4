"""Entity extraction: one pass over the normalised message, most specific extractors first; each span
is claimed once. Values are normalised (Money, ints, ISO codes, canonical English colours)."""

from __future__ import annotations

import functools
import re
from typing import Any

import phonenumbers

from . import lexicon
from .amounts import Found, find_amounts, find_quantities
from .gazetteer import gazetteer_for, lexicon_for
from .model import Entity
from .numerals import Normalized, normalize
from .places import POSTCODE_CUE, find_countries, postcode_pattern

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CODE_CUE_RE = re.compile(
    r"(?:code|coupon|promo|voucher|kod|kód|kupon|kupón|rabat|zľav\w*|优惠码|折扣码|优惠券|代码|رمز|كود|كوبون|قسيمة)"
    r"\s*(?:is|to|:|=|jest|je|هو)?\s*[\"'«]?(?P<code>[a-z0-9][a-z0-9_-]{2,19})",
    re.IGNORECASE,
)
BARE_CODE_RE = re.compile(r"\b(?=[A-Z0-9-]*\d)(?=[A-Z0-9-]*[A-Z]{3})[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)?\b")
SIZE_CUE = (
    r"(?:size|sz|rozmiar|rozm\.?|rozmiarze|veľkosť|velkost|veľkosti|číslo|cislo|č\.|"
    r"尺码|尺寸|码数|مقاس|قياس|المقاس)"
)
LETTER_SIZE_RE = re.compile(r"(?<![\w-])(XXS|XS|S|M|L|XL|XXL|XXXL|[2-5]XL)(?![\w-])")
LETTER_SIZE_ANYCASE = re.compile(r"(?<![\w-])(xxs|xs|xl|xxl|xxxl|[2-5]xl)(?![\w-])", re.IGNORECASE)
SHOE_RE = re.compile(
    rf"{SIZE_CUE}\s*(?:eu\s*)?(?P<n>\d{{2}}(?:[.,]5)?)(?!\d)|(?<!\d)(?P<m>\d{{2}}(?:[.,]5)?)\s*(?:eu\b|码|号)"
)
CONVERT_RE = re.compile(r"\b(?P<sys>us|uk)\s*(?:size\s*)?(?P<n>\d{1,2}(?:[.,]5)?)(?!\d)")
LETTER_CUE_RE = re.compile(rf"(?:{SIZE_CUE}|\bin|\bw|\bv|\bna|\bo)\s*$", re.IGNORECASE)
DATE_RE = re.compile(
    r"\b\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b(?:today|tomorrow|yesterday|dzisiaj|dziś|jutro|wczoraj|pojutrze|dnes|zajtra|včera|pozajtra)\b|"
    r"\b(?:next|this|on|by|w|we|do|v|vo|do|na)?\s?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"poniedziałek|poniedzialek|wtorek|środ\w|sroda|czwartek|piątek|piatek|sobot\w|niedziel\w|pondelok|utorok|"
    r"stred\w|štvrtok|piatok|sobot\w|nedeľ\w)\b|"
    r"\b\d{1,2}\.?\s(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|stycz|lut|mar|kwie|maj|czer|lip|sierp|wrze|"
    r"paźdz|pazdz|listop|grud|január|február|apríl|máj|jún|júl|august|septemb|októb|novemb|decemb)\w*\b|"
    r"今天|明天|后天|昨天|下周[一二三四五六日天]?|\d{1,2}月\d{1,2}[日号]|اليوم|غدا|غداً|أمس|بعد غد"
)
# US men's and UK sizes -> EU (a common brand chart; real charts vary by brand, hence the note)
US_TO_EU = {
    "6": "39",
    "6.5": "39",
    "7": "40",
    "7.5": "40.5",
    "8": "41",
    "8.5": "42",
    "9": "42.5",
    "9.5": "43",
    "10": "44",
    "10.5": "44.5",
    "11": "45",
    "11.5": "45.5",
    "12": "46",
    "13": "47.5",
    "14": "48.5",
}
UK_TO_EU = {
    "5": "38.5",
    "5.5": "39",
    "6": "40",
    "6.5": "40.5",
    "7": "41",
    "7.5": "42",
    "8": "42.5",
    "8.5": "43",
    "9": "44",
    "9.5": "44.5",
    "10": "45",
    "10.5": "45.5",
    "11": "46",
    "12": "47.5",
    "13": "48.5",
}


class Extraction:
    def __init__(self, text: str, language: str, languages: tuple[str, ...]) -> None:
        self.norm: Normalized = normalize(text)
        self.text = self.norm.text
        self.language = language
        self.languages = languages
        self.taken: list[tuple[int, int]] = []
        self.found: list[Found] = []

    def free(self, start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in self.taken)

    def claim(self, kind: str, value: object, start: int, end: int, note: str | None = None) -> None:
        self.found.append(Found(kind, value, start, end, note))
        self.taken.append((start, end))

    def entities(self) -> list[Entity]:
        out = []
        for f in sorted(self.found, key=lambda f: (f.start, f.type)):
            start, end = self.norm.span(f.start, f.end)
            out.append(Entity(f.type, f.value, self.norm.original[start:end], start, end, f.note))
        return out


def extract(
    text: str,
    language: str = "en",
    languages: tuple[str, ...] = ("en",),
    vocabulary: Any = None,
    default_currency: str = "EUR",
    default_region: str | None = None,
) -> list[Entity]:
    ex = Extraction(text, language, languages)
    _emails(ex)
    _discount_codes(ex, text)
    _converted_sizes(ex)
    countries = _countries(ex)
    _postcodes(ex, countries)
    _phones(ex, default_region or (countries[0] if countries else None))
    _dates(ex)
    _sizes(ex, text)
    ex.found.extend(find_amounts(ex.text, ex.taken, default_currency))
    _lexicon(ex, vocabulary)
    _gazetteer(ex, vocabulary)
    ex.found.extend(find_quantities(ex.text, ex.taken))
    return ex.entities()


def _emails(ex: Extraction) -> None:
    for m in EMAIL_RE.finditer(ex.text):
        ex.claim("email", m.group(), *m.span())


def _discount_codes(ex: Extraction, original: str) -> None:
    for m in CODE_CUE_RE.finditer(ex.text):
        code = m.group("code")
        if ex.free(*m.span("code")) and (
            any(c.isdigit() for c in code) or original[m.start("code") : m.end("code")].isupper()
        ):
            ex.claim("discount_code", code.upper(), *m.span("code"))
    for m in BARE_CODE_RE.finditer(original):
        if ex.free(*m.span()) and not re.fullmatch(r"(US|UK|EU)\d+", m.group()) and len(m.group()) >= 4:
            ex.claim("discount_code", m.group(), *m.span())


def _countries(ex: Extraction) -> list[str]:
    codes = []
    for start, end, code in find_countries(ex.text):
        if ex.free(start, end):
            ex.claim("country", code, start, end)
            codes.append(code)
    return codes


def _postcodes(ex: Extraction, countries: list[str]) -> None:
    pattern = postcode_pattern(countries[0] if countries else None)
    for m in pattern.finditer(ex.text):
        start, end = m.span()
        distinctive = bool(re.fullmatch(r"\d{2}-\d{3}", m.group())) or bool(countries)
        if ex.free(start, end) and (distinctive or POSTCODE_CUE.search(ex.text[:start])):
            ex.claim("postcode", m.group().upper(), start, end)


def _phones(ex: Extraction, region: str | None) -> None:
    for m in re.finditer(r"\+?\d[\d ()-]{6,}\d", ex.text):
        if not ex.free(*m.span()):
            continue
        try:
            number = phonenumbers.parse(m.group(), region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            ex.claim(
                "phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164), *m.span()
            )


def _dates(ex: Extraction) -> None:
    import dateparser

    languages = [
        lang
        for lang in dict.fromkeys((ex.language, *ex.languages, "en"))
        if lang in ("en", "pl", "sk", "ar", "zh")
    ]
    for m in DATE_RE.finditer(ex.text):
        start, end = m.span()
        span = m.group().strip()
        if (
            not span
            or not ex.free(start, end)
            or (re.fullmatch(r"\d{1,2}[./-]\d{1,2}", span) and _price_like(ex, start))
        ):
            continue
        parsed = dateparser.parse(span, languages=languages, settings={"PREFER_DATES_FROM": "future"})
        if parsed is not None:
            ex.claim("date", parsed.date(), start, end)


def _price_like(ex: Extraction, start: int) -> bool:
    return bool(re.search(r"(€|\$|zł|eur|usd|price|cena)\s*$", ex.text[:start]))


def _converted_sizes(ex: Extraction) -> None:
    for m in CONVERT_RE.finditer(ex.text):
        system, number = m.group("sys"), m.group("n").replace(",", ".")
        table = US_TO_EU if system == "us" else UK_TO_EU
        if ex.free(*m.span()) and number in table:
            ex.claim("size", table[number], *m.span(), note=f"converted from {system.upper()} {number} to EU")


def _sizes(ex: Extraction, original: str) -> None:
    for m in SHOE_RE.finditer(ex.text):
        group = "n" if m.group("n") else "m"
        value = m.group(group).replace(",", ".")
        if ex.free(*m.span(group)) and 15 <= float(value) <= 52:
            ex.claim("size", value.removesuffix(".0"), *m.span(group))
    for m in LETTER_SIZE_ANYCASE.finditer(ex.text):
        if ex.free(*m.span()):
            ex.claim("size", m.group().upper(), *m.span())
    short = len(original.split()) <= 3
    for m in LETTER_SIZE_RE.finditer(original):
        start, end = m.span()
        cue = LETTER_CUE_RE.search(original[:start]) or short
        if ex.free(start, end) and cue and len(ex.norm.origin) == len(original):
            ex.claim("size", m.group(), start, end)


def _lexicon(ex: Extraction, vocabulary: Any) -> None:
    matcher = lexicon_for(ex.languages)
    for regex, color in matcher.colors:
        for m in regex.finditer(ex.text):
            if ex.free(*m.span()) and not m.group().startswith(tuple(lexicon.COLOR_STOPWORDS)):
                ex.claim("color", color, *m.span())
                one = re.match(r"\s*(one|ones)\b", ex.text[m.end() :])
                if one and re.search(r"\bthe\s*$", ex.text[: m.start()]):
                    ex.found.append(Found("reference", color, m.start(), m.end() + one.end()))
    merchant: dict[str, str] | None = None
    if vocabulary is not None and getattr(vocabulary, "categories", None):
        merchant = _merchant_categories(tuple(str(c) for c in vocabulary.categories))
    for regex, lexicon_category in matcher.categories:
        category = lexicon_category if merchant is None else merchant.get(lexicon_category.lower(), "")
        if not category:
            continue
        for m in regex.finditer(ex.text):
            word = m.group()
            stopped = word in lexicon.CATEGORY_STOPWORDS and word not in lexicon.CATEGORY_EXACT
            if (
                ex.free(*m.span())
                and not stopped
                and not any(
                    word.startswith(s) and word != s
                    for s in lexicon.CATEGORY_STOPWORDS
                    if s not in lexicon.CATEGORY_EXACT
                )
            ):
                ex.claim("category", category, *m.span())
    _ordinals(ex)
    short = len(ex.text.split()) <= lexicon.DEMONSTRATIVE_MAX_TOKENS
    for regex, value in matcher.references:
        for m in regex.finditer(ex.text):
            bare = value == "that" and m.group() in _BARE_DEMONSTRATIVES
            if ex.free(*m.span()) and (not bare or short):
                ex.claim("reference", value, *m.span())


_BARE_DEMONSTRATIVES = frozenset(
    {
        "that",
        "this",
        "those",
        "these",
        "it",
        "ten",
        "tego",
        "tę",
        "ta",
        "te",
        "to",
        "tá",
        "tú",
        "tento",
        "táto",
        "هذا",
        "هذه",
        "ذلك",
        "تلك",
        "它",
    }
)


def _ordinals(ex: Extraction) -> None:
    for value, words in lexicon.ORDINALS.items():
        for word in words:
            if re.match(r"[\u4e00-\u9fff]", word):
                regex = re.escape(word)
            elif re.match(r"[\u0600-\u06ff]", word):
                regex = rf"(?<![\u0600-\u06ff]){re.escape(word)}(?![\u0600-\u06ff])"
            else:
                regex = rf"\b{re.escape(word)}\w*"
            for m in re.finditer(regex, ex.text):
                if ex.free(*m.span()) and m.group() not in lexicon.ORDINAL_STOPWORDS:
                    ex.claim("ordinal", value, *m.span())
    for m in re.finditer(r"(?:number|no\.|nr|numer|číslo|#|رقم)\s?(\d)\b", ex.text):
        if ex.free(*m.span()):
            ex.claim("ordinal", int(m.group(1)), *m.span())


def _gazetteer(ex: Extraction, vocabulary: Any) -> None:
    if vocabulary is None:
        return
    gazetteer = gazetteer_for(vocabulary)
    for hit in gazetteer.find(ex.text, ("brand", "category", "color")):
        if ex.free(hit.start, hit.end):
            ex.claim(hit.type, hit.value.lower() if hit.type == "color" else hit.value, hit.start, hit.end)


def _category_words(name: str) -> set[str]:
    return {w for w in re.split(r"[^\w]+", name.lower()) if len(w) > 2}


@functools.lru_cache(maxsize=32)
def _merchant_categories(categories: tuple[str, ...]) -> dict[str, str]:
    """The built-in multilingual category words, mapped onto the merchant's own category names:
    exact names first, else the merchant category sharing a word ("Bags & Backpacks" -> "Bags")."""
    out: dict[str, str] = {}
    lowered = {c.lower(): c for c in categories}
    for lex in lexicon.CATEGORIES:
        if lex.lower() in lowered:
            out[lex.lower()] = lowered[lex.lower()]
            continue
        words = _category_words(lex)
        for name in categories:
            if words & _category_words(name):
                out[lex.lower()] = name
                break
    return out
