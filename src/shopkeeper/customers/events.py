"""Customer domain events (past tense, frozen). Recommendations and campaigns listen to them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CustomerCreated:
    customer_id: str
    channel: str
    external_id: str


@dataclass(frozen=True)
class ActivityRecorded:
    customer_id: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None


@dataclass(frozen=True)
class ConsentRecorded:
    customer_id: str
    purpose: str
    channel: str
    granted: bool
    source: str


@dataclass(frozen=True)
class CustomersMerged:
    """`merged_customer_id` now points at `customer_id`; owners of rows keyed on the old id
    (carts, orders, conversations) may re-point them."""

    customer_id: str
    merged_customer_id: str
