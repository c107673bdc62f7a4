"""The trained model end to end on a small data set: intents, calibration, the out-of-scope decision,
the cheap first stage, payload shortcuts and the model file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from shopkeeper.bots.nlu import NLU, OUT_OF_SCOPE, ModelFileInvalid, Understanding

EXAMPLES = {
    "greet": ["hi", "hello", "hey there", "good morning", "cześć", "dzień dobry", "hej", "witam"],
    "view_cart": [
        "show my cart",
        "what's in my basket",
        "view cart",
        "my cart please",
        "pokaż koszyk",
        "co mam w koszyku",
        "mój koszyk",
        "koszyk proszę",
    ],
    "order_status": [
        "where is my order",
        "track my order",
        "has my parcel shipped",
        "when will it arrive",
        "gdzie jest moje zamówienie",
        "śledź przesyłkę",
        "kiedy dotrze paczka",
        "status zamówienia",
    ],
    "checkout": [
        "checkout",
        "I want to pay",
        "proceed to payment",
        "pay now",
        "do kasy",
        "chcę zapłacić",
        "przejdź do płatności",
        "płacę teraz",
    ],
    "search_products": [
        "I need running shoes",
        "show me black dresses",
        "do you have headphones",
        "looking for a jacket",
        "szukam butów",
        "pokaż sukienki",
        "macie słuchawki",
        "chcę kurtkę",
    ],
    "thanks": [
        "thanks",
        "thank you",
        "cheers",
        "much appreciated",
        "dzięki",
        "dziękuję",
        "wielkie dzięki",
        "dziękuję bardzo",
    ],
}


@pytest.fixture(scope="module")
def nlu() -> NLU:
    examples = [(text, intent, None) for intent, texts in EXAMPLES.items() for text in texts]
    return NLU.train(examples, languages=["en", "pl"])


def test_understands_unseen_phrasings_in_both_languages(nlu: NLU) -> None:
    assert nlu.parse("where's my package?").intent == "order_status"
    assert nlu.parse("pokaż mi mój koszyk").intent == "view_cart"
    assert nlu.parse("many thanks").intent == "thanks"


def test_understanding_carries_language_confidence_alternatives_and_entities(nlu: NLU) -> None:
    u = nlu.parse("szukam czerwonych butów do 200 zł", languages=["en", "pl"])
    assert isinstance(u, Understanding)
    assert u.language == "pl"
    assert u.intent == "search_products" and not u.out_of_scope
    assert 0.0 < u.confidence <= 1.0
    assert u.alternatives[0][0] == "search_products"
    assert sum(p for _, p in u.alternatives) <= 1.0 + 1e-6
    assert u.first("color") is not None and u.first("color").value == "red"  # type: ignore[union-attr]
    assert u.first("price_range") is not None
    assert u.all("brand") == []


def test_probabilities_are_a_distribution_over_the_labels(nlu: NLU) -> None:
    probs = nlu.probabilities(["hello", "where is my order"])
    assert probs.shape == (2, len(nlu.classifier.labels))
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_confidence_below_the_threshold_is_out_of_scope(nlu: NLU) -> None:
    labels = nlu.classifier.labels
    nlu.classifier.threshold, saved = 0.5, nlu.classifier.threshold
    try:
        flat = np.full(len(labels), 1.0 / len(labels))
        assert nlu.decide(flat)[2] is True
        sure = np.zeros(len(labels))
        sure[0] = 1.0
        assert nlu.decide(sure) == (labels[0], 1.0, False)
        # with an in-scope score it decides, not the top probability
        assert nlu.decide(sure, 0.2)[2] is True
        assert nlu.decide(flat, 0.9)[2] is False
    finally:
        nlu.classifier.threshold = saved


def test_out_of_scope_understanding_says_so(nlu: NLU) -> None:
    nlu.classifier.threshold, saved = 1.01, nlu.classifier.threshold
    nlu.gate, saved_gate = 2.0, nlu.gate
    try:
        u = nlu.parse("hello")
        assert u.out_of_scope and u.intent == OUT_OF_SCOPE
        assert u.alternatives and u.alternatives[0][0] == "greet"
    finally:
        nlu.classifier.threshold, nlu.gate = saved, saved_gate


def test_calibrated_state_is_sane(nlu: NLU) -> None:
    assert 0.0 <= nlu.classifier.threshold < 1.0
    assert nlu.classifier.temperature > 0
    assert nlu.fast is not None and nlu.fast.labels == nlu.classifier.labels
    assert nlu.classifier.novelty is not None
    assert nlu.classifier.novelty.means.shape == (len(nlu.classifier.labels), 384)


def test_in_scope_scores_come_with_the_probabilities(nlu: NLU) -> None:
    probs, score = nlu.analyse(["where is my order", "dzięki"])
    assert probs.shape == (2, len(nlu.classifier.labels))
    assert score.shape == (2,) and ((score >= 0) & (score <= 1)).all()


def test_off_topic_text_scores_below_commerce_text_in_the_full_model(nlu: NLU) -> None:
    texts = ["track my parcel please", "the mitochondria is the powerhouse of the cell"]
    emb = nlu.embed(texts, nlu.classifier.encoders())
    score = nlu.classifier.in_scope_score(nlu.classifier.probabilities(texts, emb), emb)
    assert score[0] > score[1]


def test_button_payloads_skip_the_model(nlu: NLU) -> None:
    assert nlu.parse("/cart").intent == "view_cart"
    assert nlu.parse("/show_more").intent == "show_more"
    assert nlu.parse("/human").confidence == 1.0


def test_empty_message_is_out_of_scope(nlu: NLU) -> None:
    assert nlu.parse("   ").out_of_scope


def test_model_file_round_trip_gives_the_same_answers(nlu: NLU, tmp_path: Path) -> None:
    path = tmp_path / "nlu.joblib"
    nlu.save(path)
    again = NLU.load(path)
    texts = ["track my parcel", "dzięki", "I want to pay"]
    assert np.allclose(again.probabilities(texts), nlu.probabilities(texts), atol=1e-5)
    assert again.gate == nlu.gate and again.languages == nlu.languages


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "junk.joblib"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelFileInvalid):
        NLU.load(path)


def test_context_makes_a_follow_up_more_likely(nlu: NLU) -> None:
    labels = nlu.classifier.labels
    even = np.full(len(labels), 1.0 / len(labels))
    after_cart = nlu._with_context(even, "view_cart")
    assert after_cart[labels.index("checkout")] > after_cart[labels.index("greet")]
    assert np.isclose(after_cart.sum(), 1.0)
    assert np.array_equal(nlu._with_context(even, None), even)


def test_first_stage_gate_never_drops_below_the_full_models_guard() -> None:
    from shopkeeper.bots.nlu.classifier import IntentClassifier
    from shopkeeper.bots.nlu.nlu import choose_gate

    gold = np.array(["a", "b"] * 50)
    sure = np.where(gold[:, None] == np.array(["a", "b"]), 0.9, 0.1)
    fast, full = IntentClassifier(), IntentClassifier()
    fast.labels = full.labels = ["a", "b"]
    # the first stage is always right but only 0.6 sure: accuracy alone would open the gate at 0.6
    fast.held_out = (gold, np.where(sure > 0.5, 0.6, 0.4), np.zeros(len(gold)))
    full.held_out = (gold, sure, np.ones(len(gold)))
    assert choose_gate(fast, full, guard=0.0) == pytest.approx(0.9)
    # a less sure full model leaves the accuracy-based gate
    full.held_out = (gold, np.where(sure > 0.5, 0.55, 0.45), np.ones(len(gold)))
    assert choose_gate(fast, full, guard=0.0) == pytest.approx(0.6)


def test_one_message_scores_as_in_a_batch(nlu: NLU) -> None:
    # repeated terms (sublinear tf) and a text none of whose n-grams the vectorizers know
    texts = [
        "track my parcel",
        "pokaż koszyk",
        "thanks a lot",
        "boots boots boots, kids kids",
        "\u2603\u2603",
    ]
    emb = nlu.embed(texts, nlu.classifier.encoders())
    batch = nlu.classifier.probabilities(texts, emb)
    for i, text in enumerate(texts):
        one = nlu.classifier.probabilities([text], {k: v[i : i + 1] for k, v in emb.items()})
        assert np.allclose(one[0], batch[i], atol=1e-5)
