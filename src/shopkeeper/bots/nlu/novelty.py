"""How unlike the training data a message looks, for the out-of-scope decision.

Two signals that fail differently: the classifier's top probability (low when intents compete) and the
Mahalanobis distance of the message's e5 vector to the nearest intent mean under one shared covariance
(large when the message sits away from every intent, however confidently the SVM picks one). Each is
turned into its rank among held-out training messages and the two ranks are averaged; the average is
the in-scope score the threshold applies to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.covariance import LedoitWolf


@dataclass
class Novelty:
    encoder: str
    # whitening map: squared Euclidean distance after it is the Mahalanobis distance
    transform: np.ndarray
    means: np.ndarray  # whitened class means, one row per in-scope intent
    # sorted held-out top probabilities and distances: the reference the ranks are taken against
    ref_conf: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    ref_dist: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    @classmethod
    def fit(cls, vectors: np.ndarray, labels: np.ndarray, encoder: str) -> Novelty:
        """Class means and shared covariance of in-scope examples only (the caller leaves out `oos`)."""
        x, y = np.asarray(vectors, dtype=np.float64), np.asarray(labels)
        classes = np.unique(y)
        means = np.vstack([x[y == c].mean(axis=0) for c in classes])
        residuals = x - means[np.searchsorted(classes, y)]
        # shrinkage keeps the precision sane when an intent has few examples (commerce: ~30 each)
        precision = LedoitWolf(assume_centered=True).fit(residuals).precision_
        transform = np.linalg.cholesky((precision + precision.T) / 2)
        return cls(encoder, transform.astype(np.float32), (means @ transform).astype(np.float32))

    def distance(self, vectors: np.ndarray) -> np.ndarray:
        """Squared Mahalanobis distance to the nearest intent mean."""
        z = np.asarray(vectors, dtype=np.float32) @ self.transform
        d = (z * z).sum(axis=1)[:, None] - 2 * z @ self.means.T + (self.means * self.means).sum(axis=1)
        return np.asarray(d.min(axis=1), dtype=np.float64)

    def set_reference(self, conf: np.ndarray, dist: np.ndarray) -> None:
        self.ref_conf = np.sort(np.asarray(conf, dtype=np.float32))
        self.ref_dist = np.sort(np.asarray(dist, dtype=np.float32))

    def score(self, conf: np.ndarray, dist: np.ndarray) -> np.ndarray:
        """In-scope score in [0, 1]: mean of the rank of `conf` (higher is surer) and of `-dist`."""
        conf32, dist32 = np.asarray(conf, dtype=np.float32), np.asarray(dist, dtype=np.float32)
        conf_rank = np.searchsorted(self.ref_conf, conf32, side="right") / max(1, len(self.ref_conf))
        near_rank = 1.0 - np.searchsorted(self.ref_dist, dist32, side="left") / max(1, len(self.ref_dist))
        return np.asarray((conf_rank + near_rank) / 2, dtype=np.float64)
