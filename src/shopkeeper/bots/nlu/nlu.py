"""The NLU facade: language, intent (with calibrated confidence and the out-of-scope decision) and
entities for one shopper message. Trains from examples, saves to and loads from one model file."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import joblib
import numpy as np

from .classifier import OOS_LABELS, IntentClassifier, Settings
from .data import SHIPPED_LANGUAGES, Example, shipped_examples
from .encoders import E5Encoder, Encoder, USEEncoder, encode_cached
from .entities import extract
from .errors import ModelFileInvalid, TrainingDataInvalid
from .language import detect_language
from .model import OUT_OF_SCOPE, Understanding

# 2: the out-of-scope threshold applies to the novelty score (classifier.novelty)
MODEL_FORMAT = 2
# button payloads from our own replies ("/cart", "/show_more") need no model
PAYLOAD_INTENTS = {
    "/show_more": "show_more",
    "/cart": "view_cart",
    "/checkout": "checkout",
    "/human": "human_handoff",
    "/product": "product_details",
    "/add": "add_to_cart",
    "/remove": "remove_from_cart",
    "/order": "order_status",
    "/cancel_order": "cancel_order",
    "/pay": "checkout",
    "/ship": "checkout",
}
FOLLOW_UPS: dict[str, tuple[str, ...]] = {
    "search_products": ("refine_search", "show_more", "product_details", "add_to_cart"),
    "refine_search": ("refine_search", "show_more", "product_details", "add_to_cart"),
    "show_more": ("refine_search", "show_more", "product_details", "add_to_cart"),
    "product_details": ("product_question", "add_to_cart"),
    "product_question": ("product_question", "add_to_cart"),
    "view_cart": ("remove_from_cart", "change_quantity", "checkout"),
    "add_to_cart": ("change_quantity", "view_cart", "checkout"),
}
# USE-m v3 has no official Slovak: its confident mistakes there are not worth the saved milliseconds
FAST_STAGE_WEAK = frozenset({"sk"})
_ENCODERS: dict[str, type] = {"usem3": USEEncoder, "e5small": E5Encoder}
_DEFAULT: NLU | None = None
_DEFAULT_LOCK = threading.Lock()


class NLU:
    def __init__(
        self,
        classifier: IntentClassifier,
        languages: Sequence[str] = SHIPPED_LANGUAGES,
        train_seconds: float = 0.0,
        fast: IntentClassifier | None = None,
        gate: float = 2.0,
    ) -> None:
        self.classifier = classifier
        self.languages = tuple(languages)
        self.train_seconds = train_seconds
        # cheap first stage (TF-IDF + USE, ~1-5 ms); the full model runs only below `gate`
        self.fast = fast
        self.gate = gate
        names = dict.fromkeys([*classifier.encoders(), *(fast.encoders() if fast else [])])
        self._encoders: dict[str, Encoder] = {name: _ENCODERS[name]() for name in names}
        self._memo: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.last_fast_share = 0.0

    # -- construction ---------------------------------------------------------------------------
    @classmethod
    def train(
        cls,
        examples: Sequence[Example],
        languages: Sequence[str] | None = None,
        settings: Settings | None = None,
        embedding_cache: str | Path | None = None,
    ) -> NLU:
        """Fit on (text, intent, language|None) triples; intent `oos`/`out_of_scope` marks negatives."""
        rows = [(str(t).strip(), str(i)) for t, i, _ in examples if str(t).strip()]
        if len({i for _, i in rows}) < 2:
            raise TrainingDataInvalid("need examples of at least two intents")
        langs = (
            tuple(languages)
            if languages
            else tuple(dict.fromkeys(lang for _, _, lang in examples if lang)) or SHIPPED_LANGUAGES
        )
        started = time.perf_counter()
        classifier = IntentClassifier(settings)
        texts, labels = [t for t, _ in rows], [i for _, i in rows]
        embeddings = {
            enc.name: encode_cached(enc, texts, embedding_cache)
            for enc in (_ENCODERS[n]() for n in classifier.encoders())
        }
        classifier.fit(texts, labels, embeddings)
        base = settings or Settings()
        fast = IntentClassifier(
            Settings(
                encoder_weights=base.encoder_weights[:1],
                c=base.c,
                holdout=base.holdout,
                seed=base.seed,
                choose_threshold=False,
                novelty_encoder=None,
            )
        )
        fast.fit(texts, labels, embeddings)
        gate = choose_gate(fast, classifier, guard=classifier.settings.fast_guard)
        fast.held_out = None  # the full model's stays for reports (benchmarks); it is never saved
        return cls(classifier, langs, time.perf_counter() - started, fast, gate)

    @classmethod
    def load(cls, path: str | Path) -> NLU:
        try:
            state: dict[str, Any] = joblib.load(path)
        except Exception as exc:  # joblib raises many types for a damaged file
            raise ModelFileInvalid(f"cannot read NLU model {path}: {exc}") from exc
        if not isinstance(state, dict) or state.get("format") != MODEL_FORMAT:
            raise ModelFileInvalid(f"{path} is not a Shopkeeper NLU model (format {MODEL_FORMAT})")
        return cls(
            state["classifier"],
            state["languages"],
            state.get("train_seconds", 0.0),
            state.get("fast"),
            state.get("gate", 2.0),
        )

    def save(self, path: str | Path) -> None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".tmp")
        joblib.dump(
            {
                "format": MODEL_FORMAT,
                "classifier": self.classifier,
                "languages": self.languages,
                "train_seconds": self.train_seconds,
                "fast": self.fast,
                "gate": self.gate,
            },
            tmp,
            compress=3,
        )
        tmp.replace(target)

    @classmethod
    def default(cls) -> NLU:
        """The shipped commerce model: loaded from the cache file, trained from shipped data once."""
        global _DEFAULT
        with _DEFAULT_LOCK:
            if _DEFAULT is None:
                path = default_model_path()
                # the wheel ships the model trained from the shipped data; its file name carries
                # the digest of that data and code, so an edited checkout retrains instead
                for candidate in (SHIPPED_MODEL_DIR / path.name, path):
                    if _DEFAULT is None and candidate.exists():
                        try:
                            _DEFAULT = cls.load(candidate)
                        except ModelFileInvalid:
                            _DEFAULT = None
                if _DEFAULT is None:
                    _DEFAULT = cls.train(
                        shipped_examples(), SHIPPED_LANGUAGES, embedding_cache=path.parent / "embeddings"
                    )
                    _DEFAULT.save(path)
                    _remove_stale_defaults(path)
            return _DEFAULT

    # -- use ------------------------------------------------------------------------------------
    @property
    def intents(self) -> list[str]:
        return [label for label in self.classifier.labels if label not in OOS_LABELS]

    def detect_language(self, text: str, languages: Sequence[str] | None = None) -> str:
        return detect_language(text, list(languages or self.languages))

    def embed(self, texts: list[str], names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Embeddings per encoder; single texts go through a small LRU ("ok", "yes" come back often)."""
        out: dict[str, np.ndarray] = {}
        for name in names or list(self._encoders):
            encoder = self._encoders[name]
            if len(texts) != 1:
                out[name] = encoder.encode(texts)
                continue
            key = (name, texts[0].strip().lower())
            with self._memo_lock:
                hit = self._memo.get(key)
            if hit is None:
                hit = encoder.encode(texts)
                with self._memo_lock:
                    self._memo[key] = hit
                    while len(self._memo) > 8192:
                        self._memo.popitem(last=False)
            out[name] = hit
        return out

    def probabilities(
        self,
        texts: list[str],
        embeddings: dict[str, np.ndarray] | None = None,
        languages: Sequence[str] | None = None,
    ) -> np.ndarray:
        """Intent probabilities (columns = `classifier.labels`): the fast stage where it is sure enough."""
        return self.analyse(texts, embeddings, languages)[0]

    def analyse(
        self,
        texts: list[str],
        embeddings: dict[str, np.ndarray] | None = None,
        languages: Sequence[str] | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Intent probabilities and in-scope scores (what `classifier.threshold` applies to).

        Messages the fast stage answers confidently count as in scope (score 1); the rest get the full
        model's score, which needs e5 anyway. `languages` (one per text) sends languages USE-m does not
        cover well straight to the full model.
        """
        if self.fast is None:
            emb = embeddings or self.embed(texts, self.classifier.encoders())
            probs = self.classifier.probabilities(texts, emb)
            return probs, self.classifier.in_scope_score(probs, emb)
        if languages is None:
            languages = [detect_language(t, self.languages) for t in texts]
        fast_emb = embeddings or self.embed(texts, self.fast.encoders())
        probs = self.fast.probabilities(texts, fast_emb)
        score = np.ones(len(texts), dtype=np.float64)
        weak = np.array([lang in FAST_STAGE_WEAK for lang in languages], dtype=bool)
        unsure = np.flatnonzero((probs.max(axis=1) < self.gate) | weak)
        self.last_fast_share = 1.0 - len(unsure) / max(1, len(texts))
        if len(unsure):
            subset = [texts[i] for i in unsure]
            if embeddings is not None:
                full_emb = {name: vectors[unsure] for name, vectors in embeddings.items()}
            else:
                full_emb = self.embed(subset, self.classifier.encoders())
            probs[unsure] = self.classifier.probabilities(subset, full_emb)
            score[unsure] = self.classifier.in_scope_score(probs[unsure], full_emb)
        return probs, score

    def decide(self, probs: np.ndarray, score: float | None = None) -> tuple[str, float, bool]:
        """Top intent, its confidence, and whether it falls out of scope: its in-scope `score` (from
        `analyse`; the top probability when not given) under the calibrated threshold."""
        top = int(np.argmax(probs))
        label, confidence = self.classifier.labels[top], float(probs[top])
        below = (confidence if score is None else score) < self.classifier.threshold
        return label, confidence, label in OOS_LABELS or below

    def parse(
        self,
        text: str,
        languages: Sequence[str] | None = None,
        vocabulary: Any = None,
        context_intent: str | None = None,
        default_currency: str = "EUR",
        default_region: str | None = None,
    ) -> Understanding:
        langs = tuple(languages or self.languages)
        clean = text.strip()
        language = self.detect_language(clean, langs) if clean else langs[0]
        entities = (
            extract(clean, language, langs, vocabulary, default_currency, default_region) if clean else []
        )
        payload = clean.split(" ", 1)[0] if clean.startswith("/") else ""
        if payload in PAYLOAD_INTENTS:
            return Understanding(language, PAYLOAD_INTENTS[payload], 1.0, False, [], entities, text)
        if not clean:
            return Understanding(language, OUT_OF_SCOPE, 0.0, True, [], [], text)
        all_probs, score = self.analyse([clean], languages=[language])
        probs = self._with_context(all_probs[0], context_intent)
        label, confidence, oos = self.decide(probs, float(score[0]))
        order = np.argsort(-probs)[:5]
        alternatives = [
            (self.classifier.labels[i], round(float(probs[i]), 4))
            for i in order
            if self.classifier.labels[i] not in OOS_LABELS
        ]
        intent = OUT_OF_SCOPE if oos else label
        return Understanding(language, intent, confidence, oos, alternatives, entities, text)

    def _with_context(self, probs: np.ndarray, context_intent: str | None) -> np.ndarray:
        # a follow-up after a search is more often "only black" than a fresh search: a mild prior
        follow = FOLLOW_UPS.get(context_intent or "")
        if not follow:
            return probs
        boost = np.array([1.5 if label in follow else 1.0 for label in self.classifier.labels])
        boosted = probs * boost
        return np.asarray(boosted / boosted.sum())


def choose_gate(
    fast: IntentClassifier, full: IntentClassifier, tolerance: float = 0.0, guard: float = 0.03
) -> float:
    """Lowest fast-stage confidence at which answering from it costs at most `tolerance` held-out accuracy,
    and no lower than the full model's top probability at the `guard` quantile of its correct hold-out
    answers. The hold-out has no unknowns, so accuracy alone would let the first stage answer (and so
    keep in scope) off-topic messages the full model's out-of-scope score would turn away."""
    if fast.held_out is None or full.held_out is None or fast.labels != full.labels:
        return 2.0
    gold, fast_probs, _ = fast.held_out
    _, full_probs, full_score = full.held_out
    in_scope = np.array([label not in OOS_LABELS for label in gold])
    labels = np.asarray(full.labels)

    def right(probs: np.ndarray, score: np.ndarray, threshold: float) -> np.ndarray:
        pred = labels[probs.argmax(axis=1)]
        rejected = np.isin(pred, list(OOS_LABELS)) | (score < threshold)
        return np.where(in_scope, (pred == gold) & ~rejected, rejected)

    full_ok = right(full_probs, full_score, full.threshold)
    # its own `oos` class still counts; no threshold of its own
    fast_ok = right(fast_probs, fast_probs.max(axis=1), 0.0)
    fast_conf = fast_probs.max(axis=1)
    target = full_ok.mean() - tolerance
    best = 2.0
    for gate in np.sort(np.unique(np.concatenate([fast_conf, [1.0]])))[::-1]:
        combined = np.where(fast_conf >= gate, fast_ok, full_ok)
        if combined.mean() >= target:
            best = float(gate)
        else:
            break
    full_correct = (labels[full_probs.argmax(axis=1)] == gold) & in_scope
    floor = float(np.quantile(full_probs.max(axis=1)[full_correct], guard)) if full_correct.any() else 0.0
    return max(best, floor)


def _remove_stale_defaults(current: Path) -> None:
    # each change of shipped code/data trains a new default; older ones are dead weight
    for old in current.parent.glob("default-*.joblib"):
        if old != current:
            old.unlink(missing_ok=True)


SHIPPED_MODEL_DIR = Path(__file__).parent / "trained"


def default_model_path() -> Path:
    explicit = os.environ.get("SHOPKEEPER_NLU_MODEL")
    if explicit:
        return Path(explicit)
    digest = hashlib.sha1(str(MODEL_FORMAT).encode())
    base = resources.files("shopkeeper.bots.nlu")
    for name in (
        "classifier.py",
        "encoders.py",
        "nlu.py",
        *(f"data/{lang}.yml" for lang in SHIPPED_LANGUAGES),
    ):
        item = base / name
        if item.is_file():
            digest.update(item.read_bytes())
    cache = Path(os.environ.get("SHOPKEEPER_CACHE_DIR", Path.home() / ".cache" / "shopkeeper"))
    return cache / "nlu" / f"default-{digest.hexdigest()[:16]}.joblib"
