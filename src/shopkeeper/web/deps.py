"""FastAPI dependencies that hand endpoints the composed services (set by create_app)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from fastapi import Request
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from shopkeeper.bootstrap import Services


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request; commits when the endpoint returns without raising."""
    with get_services(request).db.session() as session:
        yield session
