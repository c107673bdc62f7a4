"""Translated building blocks of the demo catalog (colours, materials, adjectives, facts) in pl, sk,
ar, zh. Titles and short descriptions are composed from these, so each piece carries the grammatical
gender it needs; nothing here knows a product.
"""

from __future__ import annotations

LANGUAGES = ("pl", "sk", "ar", "zh")

# Canonical colour (the variant option value) -> standalone colour name per language, as used in a
# "Colours: black, red" list (pl masculine nominative; sk feminine to agree with "farba").
COLOR_NAMES: dict[str, dict[str, str]] = {
    "black": {"en": "Black", "pl": "czarny", "sk": "čierna", "ar": "أسود", "zh": "黑色"},
    "white": {"en": "White", "pl": "biały", "sk": "biela", "ar": "أبيض", "zh": "白色"},
    "red": {"en": "Red", "pl": "czerwony", "sk": "červená", "ar": "أحمر", "zh": "红色"},
    "blue": {"en": "Blue", "pl": "niebieski", "sk": "modrá", "ar": "أزرق", "zh": "蓝色"},
    "navy": {"en": "Navy", "pl": "granatowy", "sk": "tmavomodrá", "ar": "كحلي", "zh": "藏青色"},
    "green": {"en": "Green", "pl": "zielony", "sk": "zelená", "ar": "أخضر", "zh": "绿色"},
    "grey": {"en": "Grey", "pl": "szary", "sk": "sivá", "ar": "رمادي", "zh": "灰色"},
    "beige": {"en": "Beige", "pl": "beżowy", "sk": "béžová", "ar": "بيج", "zh": "米色"},
    "pink": {"en": "Pink", "pl": "różowy", "sk": "ružová", "ar": "وردي", "zh": "粉色"},
    "brown": {"en": "Brown", "pl": "brązowy", "sk": "hnedá", "ar": "بني", "zh": "棕色"},
    "yellow": {"en": "Yellow", "pl": "żółty", "sk": "žltá", "ar": "أصفر", "zh": "黄色"},
    "purple": {"en": "Purple", "pl": "fioletowy", "sk": "fialová", "ar": "بنفسجي", "zh": "紫色"},
    "orange": {"en": "Orange", "pl": "pomarańczowy", "sk": "oranžová", "ar": "برتقالي", "zh": "橙色"},
    "silver": {"en": "Silver", "pl": "srebrny", "sk": "strieborná", "ar": "فضي", "zh": "银色"},
    "gold": {"en": "Gold", "pl": "złoty", "sk": "zlatá", "ar": "ذهبي", "zh": "金色"},
}

# Background and ink of the generated product pictures, per colour.
COLOR_HEX: dict[str, tuple[str, str]] = {
    "black": ("#2b2d33", "#f4f4f6"),
    "white": ("#f1f1ee", "#3a3d44"),
    "red": ("#d8383f", "#fff5f5"),
    "blue": ("#3b7ddd", "#f2f7ff"),
    "navy": ("#1f3358", "#eef2fb"),
    "green": ("#3c9a5f", "#f1fbf4"),
    "grey": ("#8d939c", "#ffffff"),
    "beige": ("#e6d5b8", "#5b4a32"),
    "pink": ("#f2a3c0", "#5a1f36"),
    "brown": ("#8a5a3b", "#fbf1e9"),
    "yellow": ("#f4c93d", "#4d3b00"),
    "purple": ("#7d4fb8", "#f6f0ff"),
    "orange": ("#f08a32", "#fff6ee"),
    "silver": ("#c4c8ce", "#33363b"),
    "gold": ("#d4af37", "#3d3000"),
}

# Material key -> name per language (nominative, as a "Material: …" value).
MATERIALS: dict[str, dict[str, str]] = {
    "cotton": {"en": "cotton", "pl": "bawełna", "sk": "bavlna", "ar": "قطن", "zh": "棉"},
    "organic cotton": {
        "en": "organic cotton",
        "pl": "bawełna organiczna",
        "sk": "organická bavlna",
        "ar": "قطن عضوي",
        "zh": "有机棉",
    },
    "linen": {"en": "linen", "pl": "len", "sk": "ľan", "ar": "كتان", "zh": "亚麻"},
    "viscose": {"en": "viscose", "pl": "wiskoza", "sk": "viskóza", "ar": "فسكوز", "zh": "粘胶纤维"},
    "silk": {"en": "silk", "pl": "jedwab", "sk": "hodváb", "ar": "حرير", "zh": "真丝"},
    "polyester": {"en": "polyester", "pl": "poliester", "sk": "polyester", "ar": "بوليستر", "zh": "聚酯纤维"},
    "recycled polyester": {
        "en": "recycled polyester",
        "pl": "poliester z recyklingu",
        "sk": "recyklovaný polyester",
        "ar": "بوليستر معاد تدويره",
        "zh": "再生聚酯纤维",
    },
    "nylon": {"en": "nylon", "pl": "nylon", "sk": "nylon", "ar": "نايلون", "zh": "尼龙"},
    "wool": {"en": "wool", "pl": "wełna", "sk": "vlna", "ar": "صوف", "zh": "羊毛"},
    "merino wool": {
        "en": "merino wool",
        "pl": "wełna merino",
        "sk": "merino vlna",
        "ar": "صوف ميرينو",
        "zh": "美利奴羊毛",
    },
    "down": {"en": "duck down", "pl": "puch kaczy", "sk": "kačacie perie", "ar": "ريش البط", "zh": "鸭绒"},
    "fleece": {"en": "fleece", "pl": "polar", "sk": "fleece", "ar": "فليس", "zh": "抓绒"},
    "denim": {"en": "denim", "pl": "dżins", "sk": "denim", "ar": "دنيم", "zh": "牛仔布"},
    "leather": {
        "en": "full-grain leather",
        "pl": "skóra licowa",
        "sk": "lícová koža",
        "ar": "جلد طبيعي",
        "zh": "头层牛皮",
    },
    "suede": {"en": "suede", "pl": "zamsz", "sk": "semiš", "ar": "جلد الشامواه", "zh": "麂皮"},
    "mesh": {
        "en": "engineered mesh",
        "pl": "siatka techniczna",
        "sk": "technická sieťovina",
        "ar": "شبك تقني",
        "zh": "工程网布",
    },
    "canvas": {"en": "canvas", "pl": "płótno", "sk": "plátno", "ar": "قماش الكانفاس", "zh": "帆布"},
    "rubber": {
        "en": "natural rubber",
        "pl": "kauczuk naturalny",
        "sk": "prírodný kaučuk",
        "ar": "مطاط طبيعي",
        "zh": "天然橡胶",
    },
    "stainless steel": {
        "en": "stainless steel",
        "pl": "stal nierdzewna",
        "sk": "nehrdzavejúca oceľ",
        "ar": "فولاذ مقاوم للصدأ",
        "zh": "不锈钢",
    },
    "cast iron": {"en": "cast iron", "pl": "żeliwo", "sk": "liatina", "ar": "حديد زهر", "zh": "铸铁"},
    "aluminium": {"en": "aluminium", "pl": "aluminium", "sk": "hliník", "ar": "ألمنيوم", "zh": "铝"},
    "ceramic": {"en": "ceramic", "pl": "ceramika", "sk": "keramika", "ar": "سيراميك", "zh": "陶瓷"},
    "glass": {
        "en": "borosilicate glass",
        "pl": "szkło borokrzemowe",
        "sk": "borosilikátové sklo",
        "ar": "زجاج البوروسيليكات",
        "zh": "高硼硅玻璃",
    },
    "bamboo": {"en": "bamboo", "pl": "bambus", "sk": "bambus", "ar": "خيزران", "zh": "竹"},
    "wood": {
        "en": "beech wood",
        "pl": "drewno bukowe",
        "sk": "bukové drevo",
        "ar": "خشب الزان",
        "zh": "榉木",
    },
    "plastic": {
        "en": "ABS plastic",
        "pl": "tworzywo ABS",
        "sk": "plast ABS",
        "ar": "بلاستيك ABS",
        "zh": "ABS塑料",
    },
    "silicone": {"en": "silicone", "pl": "silikon", "sk": "silikón", "ar": "سيليكون", "zh": "硅胶"},
    "tpu": {"en": "TPU", "pl": "TPU", "sk": "TPU", "ar": "TPU", "zh": "TPU"},
    "plush": {
        "en": "soft plush",
        "pl": "miękki plusz",
        "sk": "mäkký plyš",
        "ar": "قماش قطيفة ناعم",
        "zh": "柔软毛绒",
    },
    "neoprene": {"en": "neoprene", "pl": "neopren", "sk": "neoprén", "ar": "نيوبرين", "zh": "氯丁橡胶"},
    "cork": {"en": "cork", "pl": "korek", "sk": "korok", "ar": "فلين", "zh": "软木"},
    "natural extracts": {
        "en": "plant extracts",
        "pl": "ekstrakty roślinne",
        "sk": "rastlinné extrakty",
        "ar": "مستخلصات نباتية",
        "zh": "植物提取物",
    },
}

# Adjective key -> English title word and forms per language. pl/sk: m(asculine) f(eminine)
# n(euter) p(lural, non-personal); ar: m / f (non-human plurals take the feminine singular).
ADJECTIVES: dict[str, dict[str, str]] = {
    "waterproof": {
        "en": "Waterproof",
        "pl.m": "wodoodporny",
        "pl.f": "wodoodporna",
        "pl.n": "wodoodporne",
        "pl.p": "wodoodporne",
        "sk.m": "nepremokavý",
        "sk.f": "nepremokavá",
        "sk.n": "nepremokavé",
        "sk.p": "nepremokavé",
        "ar.m": "مقاوم للماء",
        "ar.f": "مقاومة للماء",
        "zh": "防水",
    },
    "wireless": {
        "en": "Wireless",
        "pl.m": "bezprzewodowy",
        "pl.f": "bezprzewodowa",
        "pl.n": "bezprzewodowe",
        "pl.p": "bezprzewodowe",
        "sk.m": "bezdrôtový",
        "sk.f": "bezdrôtová",
        "sk.n": "bezdrôtové",
        "sk.p": "bezdrôtové",
        "ar.m": "لاسلكي",
        "ar.f": "لاسلكية",
        "zh": "无线",
    },
    "warm": {
        "en": "Warm",
        "pl.m": "ciepły",
        "pl.f": "ciepła",
        "pl.n": "ciepłe",
        "pl.p": "ciepłe",
        "sk.m": "teplý",
        "sk.f": "teplá",
        "sk.n": "teplé",
        "sk.p": "teplé",
        "ar.m": "دافئ",
        "ar.f": "دافئة",
        "zh": "保暖",
    },
    "lightweight": {
        "en": "Lightweight",
        "pl.m": "lekki",
        "pl.f": "lekka",
        "pl.n": "lekkie",
        "pl.p": "lekkie",
        "sk.m": "ľahký",
        "sk.f": "ľahká",
        "sk.n": "ľahké",
        "sk.p": "ľahké",
        "ar.m": "خفيف",
        "ar.f": "خفيفة",
        "zh": "轻量",
    },
    "organic": {
        "en": "Organic",
        "pl.m": "organiczny",
        "pl.f": "organiczna",
        "pl.n": "organiczne",
        "pl.p": "organiczne",
        "sk.m": "organický",
        "sk.f": "organická",
        "sk.n": "organické",
        "sk.p": "organické",
        "ar.m": "عضوي",
        "ar.f": "عضوية",
        "zh": "有机",
    },
}

# Facts about an attribute, one short sentence per language, with no agreement to get wrong.
FACTS: dict[str, dict[str, str]] = {
    "waterproof": {
        "en": "Waterproof.",
        "pl": "Konstrukcja wodoodporna.",
        "sk": "Nepremokavá konštrukcia.",
        "ar": "تصميم مقاوم للماء.",
        "zh": "防水设计。",
    },
    "warm": {
        "en": "Warm lining for cold days.",
        "pl": "Ciepła podszewka na chłodne dni.",
        "sk": "Teplá podšívka na chladné dni.",
        "ar": "بطانة دافئة للأيام الباردة.",
        "zh": "保暖内衬，适合寒冷天气。",
    },
    "battery_hours": {
        "en": "Battery: up to {v} h.",
        "pl": "Bateria: do {v} godz.",
        "sk": "Batéria: až {v} h.",
        "ar": "البطارية: حتى {v} ساعة.",
        "zh": "续航最长{v}小时。",
    },
    "laptop_size_in": {
        "en": "Fits laptops up to {v}″.",
        "pl": "Mieści laptopa o przekątnej do {v}″.",
        "sk": "Zmestí notebook s uhlopriečkou do {v}″.",
        "ar": "تتسع لحاسوب محمول حتى {v} بوصة.",
        "zh": "可容纳{v}英寸笔记本电脑。",
    },
    "compatible_with": {
        "en": "Compatible with {v}.",
        "pl": "Zgodność: {v}.",
        "sk": "Kompatibilita: {v}.",
        "ar": "متوافق مع: {v}.",
        "zh": "兼容：{v}。",
    },
    "capacity_l": {
        "en": "Capacity: {v} l.",
        "pl": "Pojemność: {v} l.",
        "sk": "Objem: {v} l.",
        "ar": "السعة: {v} لتر.",
        "zh": "容量：{v}升。",
    },
    "volume_ml": {
        "en": "Volume: {v} ml.",
        "pl": "Pojemność: {v} ml.",
        "sk": "Objem: {v} ml.",
        "ar": "الحجم: {v} مل.",
        "zh": "容量：{v}毫升。",
    },
    "capacity_mah": {
        "en": "Capacity: {v} mAh.",
        "pl": "Pojemność: {v} mAh.",
        "sk": "Kapacita: {v} mAh.",
        "ar": "السعة: {v} ملي أمبير ساعة.",
        "zh": "容量：{v}毫安时。",
    },
    "power_w": {
        "en": "Power: {v} W.",
        "pl": "Moc: {v} W.",
        "sk": "Výkon: {v} W.",
        "ar": "القدرة: {v} واط.",
        "zh": "功率：{v}瓦。",
    },
    "spf": {
        "en": "SPF {v}.",
        "pl": "Filtr SPF {v}.",
        "sk": "Ochranný faktor SPF {v}.",
        "ar": "عامل حماية SPF {v}.",
        "zh": "防晒指数SPF {v}。",
    },
    "noise_cancelling": {
        "en": "Active noise cancelling.",
        "pl": "Aktywna redukcja szumów.",
        "sk": "Aktívne potlačenie hluku.",
        "ar": "إلغاء نشط للضوضاء.",
        "zh": "主动降噪。",
    },
    "pieces": {
        "en": "{v} pieces.",
        "pl": "Liczba elementów: {v}.",
        "sk": "Počet dielikov: {v}.",
        "ar": "عدد القطع: {v}.",
        "zh": "共{v}件。",
    },
}

AGE_UNITS = {
    "years": {"en": "years", "pl": "lat", "sk": "rokov", "ar": "سنوات", "zh": "岁"},
    "months": {"en": "months", "pl": "mies.", "sk": "mes.", "ar": "شهرًا", "zh": "个月"},
}
AGE_LABEL = {
    "en": "Age: {v}.",
    "pl": "Wiek: {v}.",
    "sk": "Vek: {v}.",
    "ar": "العمر: {v}.",
    "zh": "适合年龄：{v}。",
}

# Sentence frames of the translated short description.
MATERIAL_LABEL = {"pl": "Materiał: {v}.", "sk": "Materiál: {v}.", "ar": "الخامة: {v}.", "zh": "材质：{v}。"}
COLORS_LABEL = {
    "pl": "Dostępne kolory: {v}.",
    "sk": "Dostupné farby: {v}.",
    "ar": "الألوان المتوفرة: {v}.",
    "zh": "可选颜色：{v}。",
}
LIST_SEPARATOR = {"en": ", ", "pl": ", ", "sk": ", ", "ar": "، ", "zh": "、"}
BRAND_FRAME = {
    "pl": "{name} marki {brand}.",
    "sk": "{name} značky {brand}.",
    "ar": "{name} من {brand}.",
    "zh": "{brand}出品的{name}。",
}


def adjective(key: str, language: str, gender: str) -> str:
    forms = ADJECTIVES[key]
    if language in ("pl", "sk", "ar"):
        return forms[f"{language}.{gender}"]
    return forms[language]


def age_text(age_range: str, language: str) -> str:
    """'3-6 years' -> '3–6 lat' (the ranges in the demo data end where the plural is regular)."""
    span, _, unit = age_range.partition(" ")
    return f"{span.replace('-', '–')} {AGE_UNITS[unit][language]}"


def decimal_text(value: str, language: str) -> str:
    """Polish and Slovak write a decimal comma: 15.6 -> 15,6."""
    return value.replace(".", ",") if language in ("pl", "sk") else value
