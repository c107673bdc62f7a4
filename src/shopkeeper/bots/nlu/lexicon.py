"""Built-in multilingual word lists (en, pl, sk, ar, zh): colours, demo categories, ordinals, references.

Latin-script entries are stems matched at a word start (Polish and Slovak inflect: "czerwone",
"czerwonych"); Arabic entries allow the article "ال"; Chinese entries match anywhere.
"""

from __future__ import annotations

# canonical English colour -> stems / words per language
COLORS: dict[str, dict[str, tuple[str, ...]]] = {
    "black": {
        "en": ("black",),
        "pl": ("czarn",),
        "sk": ("čiern", "ciern"),
        "ar": ("أسود", "سوداء", "سود"),
        "zh": ("黑色", "黑的", "黑"),
    },
    "white": {
        "en": ("white",),
        "pl": ("biał", "biel"),
        "sk": ("biel",),
        "ar": ("أبيض", "بيضاء"),
        "zh": ("白色", "白的"),
    },
    "red": {
        "en": ("red",),
        "pl": ("czerwon",),
        "sk": ("červen", "cerven"),
        "ar": ("أحمر", "حمراء"),
        "zh": ("红色", "紅色", "红的"),
    },
    "blue": {
        "en": ("blue",),
        "pl": ("niebiesk",),
        "sk": ("modr",),
        "ar": ("أزرق", "زرقاء"),
        "zh": ("蓝色", "藍色", "蓝的"),
    },
    "navy": {
        "en": ("navy",),
        "pl": ("granatow",),
        "sk": ("tmavomodr",),
        "ar": ("كحلي",),
        "zh": ("藏青色", "海军蓝", "深蓝色"),
    },
    "green": {
        "en": ("green",),
        "pl": ("zielon",),
        "sk": ("zelen",),
        "ar": ("أخضر", "خضراء"),
        "zh": ("绿色", "綠色", "绿的"),
    },
    "yellow": {
        "en": ("yellow",),
        "pl": ("żółt", "zolt"),
        "sk": ("žlt", "zlt"),
        "ar": ("أصفر", "صفراء"),
        "zh": ("黄色", "黃色"),
    },
    "grey": {
        "en": ("grey", "gray"),
        "pl": ("szar",),
        "sk": ("siv", "šed"),
        "ar": ("رمادي", "رمادية"),
        "zh": ("灰色",),
    },
    "pink": {
        "en": ("pink",),
        "pl": ("różow", "rozow"),
        "sk": ("ružov", "ruzov"),
        "ar": ("وردي", "وردية", "زهري"),
        "zh": ("粉色", "粉红色", "粉紅色"),
    },
    "brown": {
        "en": ("brown",),
        "pl": ("brązow", "brazow"),
        "sk": ("hned",),
        "ar": ("بني", "بنية"),
        "zh": ("棕色", "咖啡色", "褐色"),
    },
    "purple": {
        "en": ("purple", "violet"),
        "pl": ("fiolet",),
        "sk": ("fialov",),
        "ar": ("بنفسجي", "بنفسجية"),
        "zh": ("紫色",),
    },
    "orange": {
        "en": ("orange",),
        "pl": ("pomarańcz",),
        "sk": ("oranž", "oranz"),
        "ar": ("برتقالي", "برتقالية"),
        "zh": ("橙色", "橘色"),
    },
    "beige": {
        "en": ("beige",),
        "pl": ("beżow", "bezow"),
        "sk": ("béžov", "bezov"),
        "ar": ("بيج",),
        "zh": ("米色",),
    },
    "gold": {"en": ("gold",), "pl": ("złot",), "sk": ("zlat",), "ar": ("ذهبي", "ذهبية"), "zh": ("金色",)},
    "silver": {
        "en": ("silver",),
        "pl": ("srebrn",),
        "sk": ("strieborn",),
        "ar": ("فضي", "فضية"),
        "zh": ("银色", "銀色"),
    },
}
# English colour words are whole words, not stems ("red" must not match "reduce")
WHOLE_WORD_LANGUAGES = frozenset({"en"})
# stems that would swallow unrelated words
COLOR_STOPWORDS = frozenset({"bielizn", "złoty", "zlotych", "złotych", "złote", "zł", "siva", "redukcj"})

# demo catalog category -> stems per language (en words are matched as stems too: "jacket", "jackets")
CATEGORIES: dict[str, dict[str, tuple[str, ...]]] = {
    "Shoes": {
        "en": ("shoe", "boot", "sneaker", "trainer", "sandal", "heels", "loafer", "footwear"),
        "pl": ("but", "obuw", "trampk", "sandał", "kozak", "półbut", "szpilk"),
        "sk": ("topán", "topan", "obuv", "tenisk", "čižm", "sandál", "tenisiek"),
        "ar": ("حذاء", "أحذية", "احذية", "جزمة", "صندل", "بوط"),
        "zh": ("鞋", "靴", "运动鞋", "凉鞋"),
    },
    "Dresses": {
        "en": ("dress", "gown", "sundress"),
        "pl": ("sukien", "sukni"),
        "sk": ("šat", "sat"),
        "ar": ("فستان", "فساتين"),
        "zh": ("连衣裙", "裙子", "礼服"),
    },
    "Jackets & Coats": {
        "en": ("jacket", "coat", "parka", "raincoat", "anorak", "blazer"),
        "pl": ("kurt", "płaszcz", "plaszcz", "parka", "wiatrówk"),
        "sk": ("bund", "kabát", "kabat", "vetrovk", "sako"),
        "ar": ("جاكيت", "جاكيتات", "معطف", "معاطف", "سترة", "جاكت"),
        "zh": ("夹克", "外套", "大衣", "风衣", "羽绒服"),
    },
    "T-Shirts & Tops": {
        "en": ("t-shirt", "tshirt", "tee", "top", "blouse", "tank top", "polo"),
        "pl": ("koszulk", "bluzk", "t-shirt", "top"),
        "sk": ("tričk", "trick", "blúzk", "tielk", "top"),
        "ar": ("تيشيرت", "تي شيرت", "قميص", "قمصان", "بلوزة", "تيشرت"),
        "zh": ("T恤", "t恤", "上衣", "衬衫", "背心"),
    },
    "Headphones & Audio": {
        "en": ("headphone", "earphone", "earbud", "headset", "speaker", "audio"),
        "pl": ("słuchawk", "sluchawk", "głośnik", "glosnik"),
        "sk": ("slúchadl", "sluchadl", "reproduktor"),
        "ar": ("سماعة", "سماعات", "مكبر صوت"),
        "zh": ("耳机", "耳機", "音箱", "音响"),
    },
    "Phones & Accessories": {
        "en": ("phone", "smartphone", "charger", "phone case", "power bank", "cable"),
        "pl": ("telefon", "smartfon", "ładowark", "ladowark", "etui", "powerbank"),
        "sk": ("telefón", "telefon", "mobil", "nabíjačk", "nabijack", "puzdr"),
        "ar": ("هاتف", "هواتف", "جوال", "شاحن", "موبايل"),
        "zh": ("手机", "手機", "充电器", "手机壳", "充电宝"),
    },
    "Home & Kitchen": {
        "en": ("kitchen", "mug", "pan", "pot", "kettle", "cookware", "knife", "home decor"),
        "pl": ("kuchn", "garnek", "garnk", "patelni", "kubek", "kubk", "czajnik"),
        "sk": ("kuchyn", "hrnc", "hrnček", "panvic", "kanvic", "rýchlovarn"),
        "ar": ("مطبخ", "أواني", "قدر", "مقلاة", "كوب", "غلاية"),
        "zh": ("厨房", "锅", "杯子", "水壶", "厨具"),
    },
    "Beauty & Care": {
        "en": (
            "beauty",
            "cosmetic",
            "skincare",
            "skin care",
            "cream",
            "lotion",
            "perfume",
            "shampoo",
            "makeup",
            "lipstick",
        ),
        "pl": ("kosmety", "krem", "perfum", "szampon", "makijaż", "szmink", "pielęgnac"),
        "sk": ("kozmeti", "krém", "parfum", "šampón", "sampon", "líčidl", "rúž"),
        "ar": ("مستحضرات", "تجميل", "كريم", "عطر", "عطور", "شامبو", "مكياج"),
        "zh": ("化妆品", "护肤", "面霜", "香水", "洗发水", "口红", "美妆"),
    },
    "Sports & Outdoors": {
        "en": (
            "sport",
            "outdoor",
            "hiking",
            "camping",
            "tent",
            "yoga",
            "fitness",
            "running gear",
            "bike",
            "bicycle",
        ),
        "pl": ("sport", "turysty", "namiot", "kemping", "rower", "fitness", "jog"),
        "sk": ("šport", "sport", "turisti", "stan", "kemping", "bicyk", "fitnes"),
        "ar": ("رياضة", "رياضي", "رياضية", "تخييم", "خيمة", "دراجة"),
        "zh": ("运动", "户外", "帐篷", "露营", "瑜伽", "健身", "自行车"),
    },
    "Toys & Kids": {
        "en": ("toy", "kids", "children", "baby", "lego", "puzzle", "doll"),
        "pl": ("zabaw", "dzieci", "dla dzieck", "lalk", "klock", "niemowl"),
        "sk": ("hračk", "hrack", "detsk", "deti", "bábik", "stavebnic"),
        "ar": ("ألعاب", "العاب", "لعبة", "أطفال", "اطفال", "دمية"),
        "zh": ("玩具", "儿童", "孩子", "婴儿", "积木", "娃娃"),
    },
    "Bags & Backpacks": {
        "en": ("bag", "backpack", "rucksack", "handbag", "tote", "suitcase", "luggage", "purse"),
        "pl": ("torb", "plecak", "walizk", "torebk"),
        "sk": ("tašk", "task", "batoh", "ruksak", "kufor", "kabelk"),
        "ar": ("حقيبة", "حقائب", "شنطة", "شنط", "حقيبة ظهر"),
        "zh": ("包", "背包", "书包", "手提包", "行李箱", "双肩包"),
    },
}
# stems that look like a category but are not ("top" in "stop", "but" is only Polish when it's "buty")
CATEGORY_STOPWORDS = frozenset(
    {
        "button",
        "butt",
        "but",
        "bute",
        "topic",
        "topp",
        "sport",
        "stan",
        "stany",
        "stanie",
        "pot",
        "potrzeb",
        "pan",
        "pani",
        "panie",
        "panu",
        "cable",
        "tee",
        "krem",
        "jogurt",
        "deti",
        "rowerowe",
        "kubek",
        "tent",
    }
)
# ...but these exact words are fine
CATEGORY_EXACT = frozenset(
    {"sport", "sports", "buty", "but", "stan", "pot", "pan", "cable", "tee", "tent", "kubek", "deti"}
)

ORDINALS: dict[int, tuple[str, ...]] = {
    1: (
        "first",
        "1st",
        "pierwsz",
        "prvý",
        "prvá",
        "prvé",
        "prvého",
        "prvej",
        "prvy",
        "prva",
        "prve",
        "الأول",
        "الأولى",
        "الاول",
        "الاولى",
        "第一",
        "第1",
    ),
    2: ("second", "2nd", "drug", "druh", "الثاني", "الثانية", "第二", "第2"),
    3: (
        "third",
        "3rd",
        "trzeci",
        "trzecia",
        "trzecie",
        "trzeciego",
        "tretí",
        "tretia",
        "tretie",
        "tretieho",
        "treti",
        "الثالث",
        "الثالثة",
        "第三",
        "第3",
    ),
    4: ("fourth", "4th", "czwart", "štvrt", "stvrt", "الرابع", "الرابعة", "第四", "第4"),
    5: ("fifth", "5th", "piąt", "piat", "الخامس", "الخامسة", "第五", "第5"),
    6: ("sixth", "6th", "szóst", "šiest", "السادس", "第六", "第6"),
    -1: (
        "last",
        "ostatni",
        "ostatnia",
        "ostatnie",
        "ostatniego",
        "posledn",
        "الأخير",
        "الأخيرة",
        "الاخير",
        "最后一",
        "最后那",
        "最後",
    ),
}
# "drug" and "druh" are stems: "drugi", "druga", "druhý", "druhú"; guard words that only start alike
ORDINAL_STOPWORDS = frozenset(
    {"drugs", "drugstore", "druhov", "druhy", "drugiej strony", "firstly", "lastly", "lasting", "ostatnio"}
)

# reference words -> value, per language; colours become references through "the <colour> one"
REFERENCES: dict[str, dict[str, tuple[str, ...]]] = {
    "that": {
        "en": ("that one", "this one", "that", "this", "those", "these", "the same one", "it"),
        "pl": ("ten", "tamten", "tego", "tamtego", "tę", "tamtą", "tamta", "ta", "te", "ten sam"),
        "sk": ("ten", "tento", "tá", "táto", "tú", "túto", "tamten", "hento", "to"),
        "ar": ("هذا", "هذه", "ذلك", "تلك", "هذا المنتج"),
        "zh": ("这个", "那个", "這個", "那個", "这款", "那款", "它"),
    },
    "cheaper": {
        "en": ("cheaper", "less expensive"),
        "pl": ("tańsz", "tansz"),
        "sk": ("lacnejš", "lacnejs"),
        "ar": ("أرخص", "ارخص"),
        "zh": ("更便宜", "便宜点", "便宜一点", "便宜些", "便宜的"),
    },
    "cheapest": {
        "en": ("cheapest",),
        "pl": ("najtańsz", "najtansz"),
        "sk": ("najlacnejš", "najlacnejs"),
        "ar": ("الأرخص", "الارخص"),
        "zh": ("最便宜",),
    },
    "more_expensive": {
        "en": ("more expensive", "pricier"),
        "pl": ("droższ", "drozsz"),
        "sk": ("drahš", "drahs"),
        "ar": ("أغلى", "اغلى"),
        "zh": ("贵一点", "更贵"),
    },
    "bigger": {
        "en": ("bigger", "larger"),
        "pl": ("większ", "wieksz"),
        "sk": ("väčš", "vacs"),
        "ar": ("أكبر", "اكبر"),
        "zh": ("大一号", "更大"),
    },
    "smaller": {
        "en": ("smaller",),
        "pl": ("mniejsz",),
        "sk": ("menš",),
        "ar": ("أصغر", "اصغر"),
        "zh": ("小一号", "更小"),
    },
}
# bare demonstratives ("that", "ten", "to") count only in short messages such as "add that" / "wezmę ten"
DEMONSTRATIVE_MAX_TOKENS = 5
