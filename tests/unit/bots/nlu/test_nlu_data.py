"""Training data: seq.in/label folders, our YAML, and their errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopkeeper.bots.nlu import (
    INTENTS,
    OUT_OF_SCOPE,
    TrainingDataInvalid,
    load_any,
    load_yaml,
    shipped_examples,
)


def test_folder_format_reads_line_aligned_utterances(tmp_path: Path) -> None:
    (tmp_path / "seq.in").write_text("where is my order\ncancel it\n", encoding="utf-8")
    (tmp_path / "label").write_text("order_status\ncancel_order\n", encoding="utf-8")
    assert load_any(tmp_path) == [
        ("where is my order", "order_status", None),
        ("cancel it", "cancel_order", None),
    ]


def test_folder_with_misaligned_files_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "seq.in").write_text("a\nb\n", encoding="utf-8")
    (tmp_path / "label").write_text("x\n", encoding="utf-8")
    with pytest.raises(TrainingDataInvalid) as err:
        load_any(tmp_path)
    assert err.value.code == "nlu_training_data_invalid"


def test_yaml_examples_carry_their_language(tmp_path: Path) -> None:
    path = tmp_path / "more.yml"
    path.write_text("language: pl\nintents:\n  greet: [cześć, witam]\n", encoding="utf-8")
    assert load_yaml(path) == [("cześć", "greet", "pl"), ("witam", "greet", "pl")]


def test_unquoted_yes_in_yaml_is_refused_rather_than_read_as_true(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text("language: en\nintents:\n  affirm: [yes]\n", encoding="utf-8")
    with pytest.raises(TrainingDataInvalid):
        load_yaml(path)


def test_shipped_examples_cover_every_intent_in_every_language() -> None:
    examples = shipped_examples()
    for language in ("en", "pl", "ar", "zh", "sk"):
        per_intent = {intent: 0 for intent in INTENTS}
        for _, intent, lang in examples:
            if lang == language and intent != OUT_OF_SCOPE:
                per_intent[intent] += 1
        assert min(per_intent.values()) >= 10, (language, per_intent)
    assert {intent for _, intent, _ in examples} == {*INTENTS, OUT_OF_SCOPE}
