"""Catalog import and export: JSON lines (the contract's record, or the benchmark `id/title/
description` shape) and Shopify's product CSV (one row per variant, product fields on the first).
A bad record is reported with its row number and nothing of it is written."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shopkeeper.catalog.errors import InvalidRecord, UnsupportedFormat
from shopkeeper.catalog.model import ImportReport, clean_record
from shopkeeper.catalog.services import (
    get_product,
    mark_documents_new,
    stale_vectors,
    store_vectors,
    vector_texts,
    write_products,
)
from shopkeeper.catalog.store import Product
from shopkeeper.catalog.vectors import TextEncoder, USEEncoder
from shopkeeper.kernel.db import Database

DEFAULT = object()
SHOPIFY_COLUMNS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Product Category",
    "Type",
    "Tags",
    "Published",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Qty",
    "Variant Price",
    "Variant Compare At Price",
    "Image Src",
    "Image Position",
]


def _encoder(encoder: Any) -> TextEncoder | None:
    return USEEncoder() if encoder is DEFAULT else encoder


def import_records(
    session: Session,
    records: Iterable[tuple[int, dict[str, Any]] | dict[str, Any]],
    *,
    encoder: Any = DEFAULT,
    currency: str = "EUR",
    batch: int = 2000,
) -> ImportReport:
    """Validate every record, then upsert the valid ones in batches (one transaction: the caller's)."""
    report = ImportReport()
    cleaned: list[dict[str, Any]] = []
    for n, item in enumerate(records, start=1):
        line, raw = item if isinstance(item, tuple) else (n, item)
        try:
            if isinstance(raw, dict) and "__error__" in raw:
                raise InvalidRecord(str(raw["__error__"]))
            cleaned.append(clean_record(raw, currency))
        except InvalidRecord as exc:
            report.errors.append((line, str(exc)))
    by_handle: dict[str, dict[str, Any]] = {}
    for rec in cleaned:
        by_handle[rec["handle"]] = rec  # the last one of a repeated handle wins, like an upsert
    todo = list(by_handle.values())
    enc = _encoder(encoder)
    for i in range(0, len(todo), batch):
        chunk = todo[i : i + batch]
        try:
            with session.begin_nested():
                ids, updated = write_products(session, chunk, enc)
        except InvalidRecord:
            ids, updated = _one_by_one(session, chunk, enc, report)
        report.product_ids.extend(ids)
        report.updated += updated
        report.created += len(ids) - updated
    return report


def _one_by_one(
    session: Session, chunk: list[dict[str, Any]], enc: TextEncoder | None, report: ImportReport
) -> tuple[list[str], int]:
    ids, updated = [], 0
    for rec in chunk:
        try:
            with session.begin_nested():
                got, up = write_products(session, [rec], enc)
            ids += got
            updated += up
        except InvalidRecord as exc:
            report.errors.append((0, f"{rec['handle']}: {exc}"))
    return ids, updated


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as fh:
        if path.suffix == ".json":
            data = json.load(fh)
            yield from enumerate(data if isinstance(data, list) else [data], start=1)
            return
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except json.JSONDecodeError as exc:
                    yield n, {"__error__": f"not JSON: {exc.msg}"}


def read_shopify_csv(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Group Shopify's rows by Handle: the first row has the product, later ones more variants/images."""
    current: dict[str, Any] | None = None
    names: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            handle = (row.get("Handle") or "").strip()
            if current is None or handle != current["handle"]:
                if current is not None:
                    yield current.pop("__line__"), current
                names = [(row.get(f"Option{k} Name") or "").strip().lower() for k in (1, 2, 3)]
                current = {
                    "__line__": n,
                    "handle": handle,
                    "title": row.get("Title") or "",
                    "description": row.get("Body (HTML)") or "",
                    "brand": row.get("Vendor") or None,
                    "category": row.get("Type") or row.get("Product Category") or None,
                    "tags": [t.strip() for t in (row.get("Tags") or "").split(",") if t.strip()],
                    "images": [],
                    "variants": [],
                }
            if row.get("Image Src") and row["Image Src"] not in current["images"]:
                current["images"].append(row["Image Src"])
            if row.get("Variant Price") or row.get("Variant SKU"):
                opts = {
                    names[k - 1] or f"option{k}": row.get(f"Option{k} Value") or ""
                    for k in (1, 2, 3)
                    if row.get(f"Option{k} Value") and names[k - 1] != "title"
                }
                qty = (row.get("Variant Inventory Qty") or "").strip()
                grams = (row.get("Variant Grams") or "").strip()
                current["variants"].append(
                    {
                        "sku": row.get("Variant SKU") or None,
                        "options": opts,
                        "title": " / ".join(opts.values()),
                        "price": row.get("Variant Price") or None,
                        "compare_at": row.get("Variant Compare At Price") or None,
                        "weight_g": int(float(grams)) if grams else None,
                        "stock": int(qty) if qty.lstrip("-").isdigit() else None,
                    }
                )
    if current is not None:
        yield current.pop("__line__"), current


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    if path.suffix in (".jsonl", ".json", ".ndjson"):
        yield from read_jsonl(path)
    elif path.suffix == ".csv":
        yield from read_shopify_csv(path)
    else:
        raise UnsupportedFormat(f"cannot import {path.name}: use .jsonl, .json or a Shopify .csv")


def import_file(
    db: Database, path: str | Path, *, encoder: Any = DEFAULT, currency: str = "EUR"
) -> ImportReport:
    with db.session() as session:
        return import_records(session, _records(Path(path)), encoder=encoder, currency=currency)


def embed_missing(db: Database, encoder: Any = DEFAULT) -> int:
    """Embed the products an import with `encoder=None` left without vectors (or whose text
    changed since); returns how many. The encoding runs outside any transaction (it takes
    seconds; SQLite's write lock is held only to store the result)."""
    enc = _encoder(encoder)
    if enc is None:
        return 0
    with db.read_session() as session:
        ids, texts = vector_texts(session)
        todo = stale_vectors(session, ids, texts, enc)
    if not todo:
        return 0
    ids, texts = [ids[i] for i in todo], [texts[i] for i in todo]
    vecs = enc.encode(texts)
    with db.session() as session:
        store_vectors(session, ids, texts, vecs, enc)
        mark_documents_new(session, ids)
    return len(ids)


def _record_of(session: Session, product_id: str) -> dict[str, Any]:
    from shopkeeper import inventory

    p = get_product(session, product_id)
    stock = inventory.available(session, [v.id for v in p.variants]) if p.variants else {}
    return {
        "handle": p.handle,
        "title": p.title,
        "description": p.description,
        "brand": p.brand,
        "category": p.category,
        "tags": p.tags,
        "attributes": p.attributes,
        "images": p.images,
        "translations": p.translations,
        "variants": [
            {
                "sku": v.sku,
                "title": v.title,
                "options": v.options,
                "price": _decimal(v.price.amount_minor, v.price.currency),
                "currency": v.price.currency,
                "compare_at": _decimal(v.compare_at.amount_minor, v.compare_at.currency)
                if v.compare_at
                else None,
                "weight_g": v.weight_g,
                "stock": stock.get(v.id),
            }
            for v in p.variants
        ],
        "reviews": [
            {"rating": r.rating, "title": r.title, "body": r.body, "author": r.author, "language": r.language}
            for r in p.reviews
        ],
    }


def _decimal(minor: int, currency: str) -> str:
    from decimal import Decimal

    from shopkeeper.kernel.money import currency_exponent

    exp = currency_exponent(currency)
    return str((Decimal(minor) / (Decimal(10) ** exp)).quantize(Decimal(1).scaleb(-exp)))


def export_file(db: Database, path: str | Path) -> int:
    """Write every product as JSON lines or Shopify CSV (by extension); returns how many."""
    path = Path(path)
    with db.session() as session:
        ids = list(session.execute(select(Product.id).order_by(Product.handle)).scalars())
        records = [_record_of(session, pid) for pid in ids]
    if path.suffix in (".jsonl", ".ndjson"):
        with path.open("w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    elif path.suffix == ".csv":
        _write_shopify_csv(path, records)
    else:
        raise UnsupportedFormat(f"cannot export to {path.name}")
    return len(records)


def _write_shopify_csv(path: Path, records: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=SHOPIFY_COLUMNS)
        w.writeheader()
        for rec in records:
            names = list(dict.fromkeys(k for v in rec["variants"] for k in v["options"]))[:3]
            rows = max(len(rec["variants"]), len(rec["images"]), 1)
            for i in range(rows):
                row: dict[str, Any] = {"Handle": rec["handle"]}
                if i == 0:
                    row.update(
                        {
                            "Title": rec["title"],
                            "Body (HTML)": rec["description"],
                            "Vendor": rec["brand"] or "",
                            "Type": rec["category"] or "",
                            "Tags": ", ".join(rec["tags"]),
                            "Published": "TRUE",
                        }
                    )
                    for k, name in enumerate(names, start=1):
                        row[f"Option{k} Name"] = name
                if i < len(rec["variants"]):
                    v = rec["variants"][i]
                    for k, name in enumerate(names, start=1):
                        row[f"Option{k} Value"] = v["options"].get(name, "")
                    row.update(
                        {
                            "Variant SKU": v["sku"],
                            "Variant Grams": v["weight_g"] or "",
                            "Variant Inventory Qty": v["stock"] if v["stock"] is not None else "",
                            "Variant Price": v["price"],
                            "Variant Compare At Price": v["compare_at"] or "",
                        }
                    )
                if i < len(rec["images"]):
                    row.update({"Image Src": rec["images"][i], "Image Position": i + 1})
                w.writerow(row)
