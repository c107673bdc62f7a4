"""A small shoe-and-outdoor catalog in the contract's record format, and a deterministic encoder
(bag of hashed words) that stands in for the real model where cross-lingual meaning is not tested."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

from shopkeeper.catalog.text import words


class HashEncoder:
    name = "hash-test"
    dim = 64

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in words(t):
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


def shoe(handle: str, title: str, color: str, sizes: list[str], price: str, **extra: Any) -> dict[str, Any]:
    return {
        "handle": handle,
        "title": title,
        "brand": extra.pop("brand", "Stride"),
        "category": extra.pop("category", "Running shoes"),
        "description": extra.pop("description", f"{title}. Light and comfortable."),
        "attributes": extra.pop("attributes", {"material": "mesh"}),
        "variants": [
            {
                "sku": f"{handle}-{s}",
                "title": f"{color} / {s}",
                "options": {"color": color, "size": s},
                "price": price,
                "currency": "EUR",
                "stock": extra.get("stock", 5),
            }
            for s in sizes
        ],
        "reviews": extra.pop("reviews", []),
    }


CATALOG = [
    shoe("runner-black", "Black running shoes", "black", ["42", "43"], "89.00"),
    shoe("runner-navy", "Navy running shoes", "navy", ["43", "44"], "95.00"),
    shoe(
        "trail-boot",
        "Waterproof hiking boots",
        "brown",
        ["41", "44"],
        "149.00",
        brand="Alpina",
        category="Hiking boots",
        attributes={"waterproof": "yes", "material": "leather"},
        description="Leather hiking boots with a waterproof membrane. Vibram sole for wet rock.",
        reviews=[
            {
                "rating": 5,
                "title": "Dry feet",
                "body": "Walked through streams and my feet stayed dry.",
                "author": "Ana",
                "language": "en",
            },
            {
                "rating": 3,
                "title": "Heavy",
                "body": "They are a bit heavy for long days.",
                "author": "Tom",
                "language": "en",
            },
        ],
    ),
    {
        "handle": "wool-hat",
        "title": "Warm wool hat for toddlers",
        "brand": "Kiddo",
        "category": "Hats",
        "description": "Soft merino wool keeps little heads warm in winter.",
        "variants": [
            {"sku": "hat-1", "options": {"color": "red", "size": "S"}, "price": "19.00", "stock": 0}
        ],
    },
    {
        "handle": "earbuds",
        "title": "Wireless earbuds",
        "brand": "Sonic",
        "category": "Audio",
        "description": "Bluetooth 5.3 earbuds that pair with iPhone and Android. Battery lasts 8 hours.",
        "attributes": {"connectivity": "bluetooth", "battery_life": "8 hours"},
        "variants": [{"sku": "eb-1", "options": {"color": "white"}, "price": "59.00", "stock": 10}],
    },
]


