"""Demo review writer: ratings around a product's quality level, texts built from the line's
specific praise and gripes (English) or short generic phrases (pl, sk, ar, zh)."""

from __future__ import annotations

import random
from typing import Any

from shopkeeper.demo.kinds import Kind

LANGUAGE_WEIGHTS = (("en", 76), ("pl", 8), ("sk", 6), ("ar", 5), ("zh", 5))

AUTHORS = {
    "en": (
        "Emma W.",
        "James K.",
        "Olivia R.",
        "Noah T.",
        "Sophie L.",
        "Liam B.",
        "Grace H.",
        "Jack M.",
        "Mia S.",
        "Daniel P.",
        "Hannah C.",
        "Lucas F.",
        "Chloe D.",
        "Ethan G.",
    ),
    "pl": ("Anna K.", "Piotr W.", "Katarzyna Z.", "Tomasz N.", "Magda L.", "Marcin S."),
    "sk": ("Zuzana M.", "Martin H.", "Lucia B.", "Peter K.", "Jana V."),
    "ar": ("سارة م.", "أحمد ع.", "ليلى ح.", "عمر س.", "نور ك."),
    "zh": ("李娜", "王伟", "张敏", "刘洋", "陈静"),
}

EN_TITLES = {
    5: ("Excellent", "Love it", "Highly recommend", "Exactly what I needed", "Worth every cent"),
    4: ("Very good", "Great value", "Happy with it", "Solid choice"),
    3: ("Okay", "Decent, not perfect", "Mixed feelings"),
    2: ("Disappointed", "Not great", "Expected more"),
    1: ("Would not buy again", "Poor quality"),
}

# rating -> (title, body) per language; generic on purpose: they carry sentiment, not facts
OTHER = {
    "pl": {
        5: (
            ("Świetny produkt", "Jakość wykonania bardzo dobra, wszystko zgodne z opisem. Polecam!"),
            ("Super", "Szybka dostawa, produkt w pełni spełnia oczekiwania."),
        ),
        4: (("Dobry wybór", "Bardzo dobra jakość za tę cenę, drobne uwagi do wykończenia."),),
        3: (("Przeciętnie", "W porządku za tę cenę, ale spodziewałam się czegoś więcej."),),
        2: (("Słabo", "Jakość gorsza niż na zdjęciach, raczej nie kupię ponownie."),),
        1: (("Nie polecam", "Niestety produkt szybko się zepsuł. Zwrot przebiegł sprawnie."),),
    },
    "sk": {
        5: (
            ("Výborné", "Kvalita je výborná a všetko zodpovedá popisu. Odporúčam!"),
            ("Spokojnosť", "Rýchle doručenie, produkt splnil očakávania."),
        ),
        4: (("Dobrá kúpa", "Veľmi dobrá kvalita za túto cenu, len drobné nedostatky."),),
        3: (("Priemer", "Za túto cenu v poriadku, ale čakala som viac."),),
        2: (("Sklamanie", "Kvalita je horšia ako na fotkách."),),
        1: (("Neodporúčam", "Žiaľ, výrobok sa rýchlo pokazil."),),
    },
    "ar": {
        5: (
            ("ممتاز", "منتج ممتاز وجودة عالية ومطابق للوصف، أنصح به!"),
            ("رائع", "التوصيل سريع والمنتج أفضل مما توقعت."),
        ),
        4: (("جيد جداً", "جودة جيدة جداً مقابل السعر مع بعض الملاحظات البسيطة."),),
        3: (("مقبول", "جيد مقابل السعر لكنه ليس مثالياً."),),
        2: (("مخيب للآمال", "الجودة أقل مما في الصور."),),
        1: (("لا أنصح به", "للأسف الجودة ضعيفة وتلف المنتج بسرعة."),),
    },
    "zh": {
        5: (("非常满意", "质量很好，和描述完全一致，强烈推荐！"), ("好评", "发货很快，东西超出预期。")),
        4: (("不错", "性价比很高，做工有一点小瑕疵。"),),
        3: (("一般", "这个价格还行，但有些小问题。"),),
        2: (("有点失望", "实物质量比图片差。"),),
        1: (("不推荐", "质量太差，用了几天就坏了。"),),
    },
}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _english(kind: Kind, rating: int, rng: random.Random, context: str) -> tuple[str, str]:
    title = rng.choice(EN_TITLES[rating])
    good = rng.sample(kind.praise, k=min(2, len(kind.praise)))
    bad = rng.choice(kind.gripes)
    if rating == 5:
        body = f"{_cap(good[0])}." + (f" Also {good[1]}." if len(good) > 1 else "")
    elif rating == 4:
        body = f"{_cap(good[0])}. Only minus: {bad}."
    elif rating == 3:
        body = f"{_cap(good[0])}, but {bad}."
    elif rating == 2:
        body = f"{_cap(bad)}. Expected more for the price."
    else:
        body = f"{_cap(bad)}, and it did not last. Returned it."
    return title, f"{context} {body}".strip()


def write_reviews(
    kind: Kind, quality: float, rng: random.Random, colors: list[str], sizes: list[str], option: str
) -> list[dict[str, Any]]:
    """2-8 reviews whose average sits near `quality` (0-5 stars)."""
    languages = [lang for lang, _ in LANGUAGE_WEIGHTS]
    weights = [w for _, w in LANGUAGE_WEIGHTS]
    reviews: list[dict[str, Any]] = []
    for _ in range(rng.randint(2, 8)):
        rating = max(1, min(5, round(rng.gauss(quality, 0.75))))
        language = rng.choices(languages, weights)[0]
        if language == "en":
            context = ""
            if colors and rng.random() < 0.5:
                bought = f"the {colors[rng.randrange(len(colors))]} one"
                if sizes and option == "size":
                    bought += f" in {sizes[rng.randrange(len(sizes))]}"
                context = f"Bought {bought}."
            title, body = _english(kind, rating, rng, context)
        else:
            title, body = rng.choice(OTHER[language][rating])
        reviews.append(
            {
                "rating": rating,
                "title": title,
                "body": body,
                "author": rng.choice(AUTHORS[language]),
                "language": language,
            }
        )
    return reviews
