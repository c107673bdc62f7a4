"""Inventory events (past tense, frozen)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReservationExpired:
    """The hold on stock for `reference` (an order id) lapsed unpaid; its units are free again."""

    reference: str
    variant_ids: tuple[str, ...]
