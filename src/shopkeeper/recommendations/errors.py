"""Recommendation errors, each with a stable machine-readable code."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class RecommendationError(DomainError):
    code = "recommendation_error"


class InvalidEventKind(RecommendationError):
    code = "invalid_event_kind"
