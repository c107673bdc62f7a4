"""Countries (ISO-3166 alpha-2) and postcodes in shopper messages: pycountry's English names plus a
small multilingual list with Polish/Slovak/Czech inflections, Arabic and Chinese names."""

from __future__ import annotations

import re
from functools import lru_cache

# alpha-2 -> names and stems (stems end with "*": "polsk*" matches Polska, Polski, Polsce...)
LOCAL_NAMES: dict[str, tuple[str, ...]] = {
    "PL": ("pols*", "poľsk*", "polsko", "بولندا", "بولونيا", "波兰", "波蘭"),
    "SK": ("słowacj*", "slowacj*", "slovensk*", "slovakia", "سلوفاكيا", "斯洛伐克"),
    "CZ": ("czech*", "czechach", "česk*", "cesk*", "czechia", "التشيك", "تشيكيا", "捷克"),
    "DE": ("niemc*", "niemiec", "nemeck*", "německ*", "ألمانيا", "المانيا", "德国", "德國"),
    "AT": ("austri*", "rakúsk*", "rakusk*", "النمسا", "奥地利"),
    "FR": ("francj*", "francúzsk*", "francuzsk*", "فرنسا", "法国", "法國"),
    "ES": ("hiszpani*", "španielsk*", "spanielsk*", "إسبانيا", "اسبانيا", "西班牙"),
    "IT": ("włoch*", "włosz*", "wloch*", "taliansk*", "إيطاليا", "ايطاليا", "意大利"),
    "GB": (
        "wielk* brytani*",
        "anglia",
        "anglii",
        "veľk* británi*",
        "velk* britani*",
        "anglick*",
        "المملكة المتحدة",
        "بريطانيا",
        "英国",
        "英國",
        "uk",
        "great britain",
        "england",
    ),
    "US": (
        "stan* zjednoczon*",
        "spojen* štát*",
        "usa",
        "ameryk*",
        "الولايات المتحدة",
        "أمريكا",
        "امريكا",
        "美国",
        "美國",
        "america",
        "the states",
    ),
    "NL": ("holandi*", "holandsk*", "niderland*", "هولندا", "荷兰"),
    "BE": ("belgi*", "belgick*", "بلجيكا", "比利时"),
    "HU": ("węgr*", "węgier", "wegr*", "maďarsk*", "madarsk*", "المجر", "匈牙利"),
    "UA": ("ukrain*", "ukrajin*", "أوكرانيا", "乌克兰"),
    "LT": ("litw*", "litv*", "ليتوانيا", "立陶宛"),
    "IE": ("irlandi*", "írsk*", "أيرلندا", "爱尔兰"),
    "SE": ("szwecj*", "švédsk*", "السويد", "瑞典"),
    "DK": ("duńsk*", "dani*", "dánsk*", "الدنمارك", "丹麦"),
    "PT": ("portugali*", "portugalsk*", "البرتغال", "葡萄牙"),
    "CH": ("szwajcari*", "švajčiarsk*", "سويسرا", "瑞士"),
    "CN": ("chin*", "čín*", "الصين", "中国", "中國", "大陆"),
    "AE": ("emirat*", "uae", "الإمارات", "الامارات", "دبي", "阿联酋"),
    "SA": ("arabi* saudyjsk*", "saudsk*", "السعودية", "沙特"),
    "EG": ("egipt*", "egypt*", "مصر", "埃及"),
    "JO": ("jordani*", "الأردن", "الاردن", "约旦"),
    "MA": ("maroko", "maroka", "المغرب", "摩洛哥"),
    "QA": ("katar*", "قطر", "卡塔尔"),
    "KW": ("kuwejt*", "الكويت", "科威特"),
    "JP": ("japoni*", "japonsk*", "اليابان", "日本"),
    "CA": ("kanad*", "كندا", "加拿大"),
    "HK": ("hongkong*", "هونغ كونغ", "香港"),
    "TW": ("tajwan*", "taiwan*", "تايوان", "台湾", "臺灣"),
}
# words that share a stem with a country but are not one ("po polsku" = in Polish, "chiny" fine)
_STOP = frozenset(
    {
        "po polsku",
        "polski złoty",
        "polskie złote",
        "china cabinet",
        "chinos",
        "turkey",
        "česky",
        "cesky",
        "slovensky",
        "po slovensky",
        "anglicky",
        "po anglicky",
        "chinese",
        "polish",
        "slovak",
        "german",
        "chiński",
        "čínsky",
        "chinsky",
        "chińsku",
        "danie",
        "dania",
        "daniem",
        "chinosy",
        "china",
    }
)

_POSTCODE_PATTERNS: dict[str, str] = {
    "PL": r"\b\d{2}-\d{3}\b",
    "SK": r"\b\d{3} ?\d{2}\b",
    "CZ": r"\b\d{3} ?\d{2}\b",
    "GB": r"\b[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2}\b",
    "NL": r"\b\d{4} ?[a-z]{2}\b",
    "CN": r"\b\d{6}\b",
    "US": r"\b\d{5}(?:-\d{4})?\b",
    "DE": r"\b\d{5}\b",
}
POSTCODE_CUE = re.compile(
    r"(post ?code|postal code|zip(?: code)?|kod pocztowy|kod|psč|psc|poštové smerovacie číslo|邮编|邮政编码|"
    r"الرمز البريدي|الرمز)\s*[:#]?\s*$"
)
GENERIC_POSTCODE = re.compile(r"\b(?:\d{2}-\d{3}|\d{3} \d{2}|\d{4,6}|[a-z]{1,2}\d[a-z\d]? ?\d[a-z]{2})\b")


@lru_cache(maxsize=1)
def country_patterns() -> list[tuple[re.Pattern[str], str]]:
    """(regex, alpha-2) pairs, longest names first so "United States" wins over "States"."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and len(value) > 3:
                names.setdefault(value.lower(), country.alpha_2)
    for code, local in LOCAL_NAMES.items():
        for name in local:
            names[name.lower()] = code
    out: list[tuple[re.Pattern[str], str]] = []
    for name in sorted(names, key=len, reverse=True):
        body = re.escape(name).replace(r"\*", r"\w*")
        if re.match(r"[\u0600-\u06ff]", name):
            regex = rf"(?<![\u0600-\u06ff])(?:و|ل|ب)?{body}(?![\u0600-\u06ff])"
        elif re.match(r"[\u4e00-\u9fff]", name):
            regex = body
        else:
            regex = rf"\b{body}\b"
        out.append((re.compile(regex), names[name]))
    return out


def find_countries(text: str) -> list[tuple[int, int, str]]:
    """Spans of country mentions in lower-cased text: (start, end, alpha-2)."""
    found: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for regex, code in country_patterns():
        for match in regex.finditer(text):
            start, end = match.span()
            if match.group().strip() in _STOP or any(s < end and start < e for s, e in taken):
                continue
            if _stopped(text, start, end):
                continue
            found.append((start, end, code))
            taken.append((start, end))
    return sorted(found)


def _stopped(text: str, start: int, end: int) -> bool:
    for stop in _STOP:
        for match in re.finditer(re.escape(stop), text):
            if match.start() <= start and end <= match.end():
                return True
    return False


def postcode_pattern(country: str | None) -> re.Pattern[str]:
    if country and country in _POSTCODE_PATTERNS:
        return re.compile(_POSTCODE_PATTERNS[country])
    return GENERIC_POSTCODE
