"""Fills an empty database with the demo catalog, its stock and a year of shopping history, once."""

from __future__ import annotations

from pathlib import Path

from shopkeeper.bootstrap import Services

DEMO_DIR = Path(__file__).parent / "demo"


def ensure_demo_data(services: Services) -> str:
    from shopkeeper import catalog

    with services.db.session() as s:
        if catalog.count_products(s) > 0:
            return "already loaded"
    report = catalog.import_file(services.db, DEMO_DIR / "catalog.jsonl")
    return str(report)
