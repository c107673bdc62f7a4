"""What of a product is searchable, and how: the per-field index text and the text embedded as its
vector. Pure functions over a cleaned import record or a stored product.
"""

from __future__ import annotations

import html
import re
from typing import Any

from shopkeeper.catalog.text import index_text

TAG = re.compile(r"<[^>]+>")


def plain(text: str) -> str:
    return html.unescape(TAG.sub(" ", text or ""))


def search_document(product_id: str, rec: dict[str, Any], language: str = "en") -> dict[str, str]:
    trans = rec.get("translations") or {}
    titles = [index_text(rec["title"], language)]
    descs = [index_text(plain(rec.get("description") or ""), language)]
    for lang, t in trans.items():
        if isinstance(t, dict):
            titles.append(index_text(str(t.get("title") or ""), lang))
            descs.append(index_text(plain(str(t.get("description") or "")), lang))
    options = " ".join(f"{k} {v}" for var in rec.get("variants") or [] for k, v in var["options"].items())
    attrs = " ".join(f"{k.replace('_', ' ')} {v}" for k, v in (rec.get("attributes") or {}).items())
    reviews = " ".join(
        index_text(f"{r['title']} {r['body']}", r.get("language") or language)
        for r in rec.get("reviews") or []
    )
    return {
        "product_id": product_id,
        "raw_title": rec["title"],
        "title": " ".join(t for t in titles if t),
        "brand": index_text(rec.get("brand") or "", language),
        "category": index_text(" ".join([rec.get("category") or "", *rec.get("tags", [])]), language),
        "attributes": index_text(f"{attrs} {options}", language),
        "description": " ".join(d for d in descs if d),
        "reviews": reviews,
    }


def vector_text(rec: dict[str, Any]) -> str:
    """Title plus brand and category: short enough to embed 54k products in under a minute on one
    core, and it is what a shopper's words are about; descriptions stay lexical."""
    parts = [rec["title"]]
    for extra in (rec.get("brand"), rec.get("category")):
        if extra and extra.lower() not in rec["title"].lower():
            parts.append(extra)
    return " · ".join(parts)
