from shopkeeper.catalog.text import index_text, tokens, words


def test_units_written_many_ways_fold_to_one_token() -> None:
    assert tokens('12" pipe') == tokens("12 inch pipe") == tokens("12 in. pipe") == ["12", "inch", "pipe"]
    assert tokens("2x4 lumber")[:3] == ["2", "x", "4"]


def test_english_stems_and_drops_stop_words() -> None:
    assert tokens("the running shoes for men") == ["run", "shoe", "men"]


def test_polish_is_stemmed_with_the_polish_stemmer() -> None:
    assert tokens("czarne buty", "pl") != tokens("czarne buty", "en")
    assert "44" in tokens("buty do biegania 44", "pl")


def test_chinese_runs_become_character_bigrams() -> None:
    assert words("无线耳机") == ["无线", "线耳", "耳机"]


def test_index_text_keeps_stop_words_for_phrases() -> None:
    assert index_text("Shoes for the rain") == "shoe for the rain"
