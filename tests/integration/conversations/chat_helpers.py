"""Helpers shared by the conversation tests (kept out of conftest.py: test modules import them,
and a module named `conftest` is ambiguous when the whole suite runs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from shopkeeper.bootstrap import Services, build_services
from shopkeeper.settings import Settings

DEMO = Path(__file__).parents[3] / "src" / "shopkeeper" / "demo" / "catalog.jsonl"
PRODUCTS = 40

Say = Callable[..., dict[str, Any]]


def make_services(database_url: str, data_dir: Path) -> Services:
    return build_services(
        Settings(database_url=database_url, data_dir=data_dir, base_url="http://testserver")
    )


def all_texts(turn: dict[str, Any]) -> str:
    return "\n".join(p["text"] for r in turn["replies"] for p in r["parts"] if "text" in p)


def first_payload(turn: dict[str, Any], prefix: str) -> str:
    for r in turn["replies"]:
        for p in r["parts"]:
            buttons = p.get("buttons", []) + p.get("options", [])
            for card in p.get("cards", []):
                buttons += card["buttons"]
            for b in buttons:
                if (b.get("payload") or "").startswith(prefix):
                    return str(b["payload"])
    raise AssertionError(f"no {prefix} button in {turn}")
