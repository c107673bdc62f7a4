"""The root of every domain error: a stable machine-readable `code` plus a human message.

The web layer maps codes to HTTP statuses; nothing else needs to know about HTTP.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code: str = "domain_error"

    def __init__(self, message: str = "", *, details: Any = None) -> None:
        super().__init__(message or self.code)
        if details is not None:
            self.details = details

    details: Any = None
