"""Entity extraction: money and ranges, colours, sizes, catalog gazetteers, ordinals, places, contacts."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from shopkeeper.bots.nlu import Entity, extract
from shopkeeper.bots.nlu.gazetteer import gazetteer_for
from shopkeeper.kernel.money import Money

LANGS = ("en", "pl", "ar", "zh", "sk")


@dataclass
class Vocabulary:
    brands: list[str] = field(default_factory=lambda: ["Nike", "Adidas", "The North Face", "Salomon"])
    categories: list[str] = field(
        default_factory=lambda: [
            "Shoes",
            "Dresses",
            "Jackets & Coats",
            "Headphones & Audio",
            "T-Shirts & Tops",
        ]
    )
    colors: list[str] = field(default_factory=lambda: ["black", "olive"])
    sizes: list[str] = field(default_factory=lambda: ["S", "M", "L", "43"])


def one(text: str, kind: str, language: str = "en", **kwargs: object) -> Entity:
    found = [e for e in extract(text, language, LANGS, **kwargs) if e.type == kind]  # type: ignore[arg-type]
    assert len(found) == 1, f"{text!r}: expected one {kind}, got {found}"
    return found[0]


@pytest.mark.parametrize(
    ("text", "language", "low", "high"),
    [
        ("under 50 bucks", "en", None, Money.of("50", "USD")),
        ("do 200 zł", "pl", None, Money.of("200", "PLN")),
        ("两百元以内", "zh", None, Money.of("200", "CNY")),
        ("between 20 and 40 euros", "en", Money.of("20", "EUR"), Money.of("40", "EUR")),
        ("over 99,50 €", "en", Money.of("99.50", "EUR"), None),
        ("أقل من ٥٠ دولار", "ar", None, Money.of("50", "USD")),
    ],
)
def test_price_ranges_are_normalised_to_money(
    text: str, language: str, low: Money | None, high: Money | None
) -> None:
    entity = one(text, "price_range", language)
    assert entity.value == {"min": low, "max": high}


def test_bare_number_after_range_word_takes_the_merchant_currency() -> None:
    assert one("poniżej 100", "price_range", "pl", default_currency="PLN").value == {
        "min": None,
        "max": Money.of("100", "PLN"),
    }
    assert one("boots under 120", "price_range").value["max"] == Money.of("120", "EUR")  # type: ignore[index]


def test_amount_with_currency_and_no_range_word_is_money_with_its_original_span() -> None:
    text = "is ٥٠ دولار ok"
    entity = one(text, "money", "ar")
    assert entity.value == Money.of("50", "USD")
    assert text[entity.start : entity.end] == entity.text == "٥٠ دولار"


@pytest.mark.parametrize(
    ("text", "language", "color"),
    [
        ("czerwone sukienki", "pl", "red"),
        ("modré tričko", "sk", "blue"),
        ("蓝色的耳机", "zh", "blue"),
        ("حذاء أسود", "ar", "black"),
        ("only grey", "en", "grey"),
    ],
)
def test_colours_become_canonical_english(text: str, language: str, color: str) -> None:
    assert one(text, "color", language).value == color


def test_english_colour_words_match_whole_words_only() -> None:
    assert [e for e in extract("reduce the price", "en", LANGS) if e.type == "color"] == []


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("sukienki na lato", "Dresses"),
        ("buty do biegania", "Shoes"),
        ("无线耳机", "Headphones & Audio"),
        ("سماعات بلوتوث", "Headphones & Audio"),
        ("a rain jacket", "Jackets & Coats"),
        ("batoh do školy", "Bags & Backpacks"),
    ],
)
def test_builtin_category_lexicon_maps_to_demo_categories(text: str, category: str) -> None:
    assert one(text, "category").value == category


def test_sizes_letter_shoe_and_converted() -> None:
    assert one("add the second one in M", "size").value == "M"
    assert one("trail shoes in size 43", "size").value == "43"
    converted = one("do you have US 10", "size")
    assert converted.value == "44"
    assert converted.note is not None and "US 10" in converted.note
    assert one("UK 9 please", "size").value == "44"


def test_a_lone_lower_case_letter_is_not_a_size() -> None:
    assert [e for e in extract("i want a bag for my m", "en", LANGS) if e.type == "size"] == []


def test_brands_and_categories_come_from_the_vocabulary_with_typos() -> None:
    vocabulary = Vocabulary()
    assert one("from Nikee", "brand", vocabulary=vocabulary).value == "Nike"
    assert one("a north face jacket", "brand", vocabulary=vocabulary).value == "The North Face"
    assert one("salomon shoes", "category", vocabulary=vocabulary).value == "Shoes"


def test_gazetteer_is_built_once_per_vocabulary_object() -> None:
    vocabulary = Vocabulary()
    assert gazetteer_for(vocabulary) is gazetteer_for(vocabulary)
    assert gazetteer_for(Vocabulary()) is not gazetteer_for(vocabulary)


def test_builtin_categories_outside_the_merchant_catalog_are_dropped() -> None:
    vocabulary = Vocabulary(categories=["Shoes"])
    assert [e.value for e in extract("sukienki i buty", "pl", LANGS, vocabulary) if e.type == "category"] == [
        "Shoes"
    ]


@pytest.mark.parametrize(
    ("text", "language", "ordinal"),
    [
        ("tell me more about the second one", "en", 2),
        ("drugi", "pl", 2),
        ("第二个", "zh", 2),
        ("الثاني", "ar", 2),
        ("druhý", "sk", 2),
        ("the last one", "en", -1),
        ("number 3 please", "en", 3),
    ],
)
def test_ordinals_are_one_based_and_last_is_minus_one(text: str, language: str, ordinal: int) -> None:
    assert one(text, "ordinal", language).value == ordinal


def test_references() -> None:
    assert one("the cheaper one", "reference").value == "cheaper"
    assert one("I'll take that one", "reference").value == "that"
    blue = [e for e in extract("show me the blue one", "en", LANGS) if e.type == "reference"]
    assert [e.value for e in blue] == ["blue"]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("shipping to Poland", "PL"),
        ("wysyłka do Polski", "PL"),
        ("Německo", "DE"),
        ("الشحن إلى ألمانيا", "DE"),
        ("运费到德国多少", "DE"),
        ("dostava na Slovensko", "SK"),
        ("do you ship to the United States", "US"),
    ],
)
def test_countries_are_iso_alpha_2(text: str, code: str) -> None:
    assert one(text, "country").value == code


def test_shipping_question_entities_country_and_postcode() -> None:
    entities = extract("how much is shipping to Poland 00-950?", "en", LANGS)
    assert [(e.type, e.value) for e in entities] == [("country", "PL"), ("postcode", "00-950")]


def test_email_and_phone_in_e164() -> None:
    entities = extract("jan@example.com, tel 601 234 567", "pl", LANGS, default_region="PL")
    assert [(e.type, e.value) for e in entities] == [("email", "jan@example.com"), ("phone", "+48601234567")]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("use code SAVE10", "SAVE10"),
        ("kod welcome-5", "WELCOME-5"),
        ("优惠码SAVE10", "SAVE10"),
        ("try BLACKFRIDAY24", "BLACKFRIDAY24"),
    ],
)
def test_discount_codes(text: str, code: str) -> None:
    assert one(text, "discount_code").value == code


@pytest.mark.parametrize(
    ("text", "language", "quantity"),
    [
        ("I'll take 2", "en", 2),
        ("add three of these", "en", 3),
        ("wezmę dwie sztuki", "pl", 2),
        ("我要三个", "zh", 3),
        ("أريد ٣ قطع", "ar", 3),
        ("pridaj 4 kusy", "sk", 4),
    ],
)
def test_quantities_in_digits_words_and_other_scripts(text: str, language: str, quantity: int) -> None:
    assert one(text, "quantity", language).value == quantity


def test_a_size_or_price_number_is_not_a_quantity() -> None:
    kinds = [e.type for e in extract("add the boots in size 43 under 100 euros", "en", LANGS)]
    assert "quantity" not in kinds


def test_dates_only_when_clearly_a_date() -> None:
    assert one("can it arrive tomorrow?", "date").value is not None
    assert [e for e in extract("is it waterproof", "en", LANGS) if e.type == "date"] == []


def test_built_in_category_words_map_onto_the_merchants_own_category_names() -> None:
    from types import SimpleNamespace

    from shopkeeper.bots.nlu import NLU

    vocab = SimpleNamespace(brands=[], categories=["Bags", "Shoes"], colors=[], sizes=[])
    u = NLU.default().parse("travel backpack", languages=["en"], vocabulary=vocab)
    assert [e.value for e in u.all("category")] == ["Bags"]
    polish = NLU.default().parse("plecak na laptopa", languages=["pl"], vocabulary=vocab)
    assert [e.value for e in polish.all("category")] == ["Bags"]
