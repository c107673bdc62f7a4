"""The one source of "now" (UTC, timezone-aware) and of new identifiers."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id(prefix: str) -> str:
    """A sortable unique id: prefix, 12 hex digits of milliseconds, 10 random hex digits."""
    return f"{prefix}_{int(time.time() * 1000):012x}{os.urandom(5).hex()}"
