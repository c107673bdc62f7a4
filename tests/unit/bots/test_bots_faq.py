"""FAQ answers are ranked in the question's language and answered in it."""

from __future__ import annotations

import pytest

from shopkeeper.bots.skills.faq import demo_index

QUESTIONS = [
    ("en", "how do returns work?", "returns"),
    ("en", "which payment methods can I use", "payment_methods"),
    ("pl", "jak długo trwa dostawa?", "delivery_times"),
    ("sk", "môžem platiť na splátky?", "instalments"),
    ("zh", "你们的退货政策", "returns"),
    ("ar", "ما هي طرق الدفع المتاحة؟", "payment_methods"),
]


@pytest.mark.parametrize(("language", "question", "entry"), QUESTIONS)
def test_policy_question_finds_its_faq_entry(language: str, question: str, entry: str) -> None:
    ranked = demo_index().rank(question, language)
    assert ranked[0][0].id == entry
    assert ranked[0][0].answer[language]
