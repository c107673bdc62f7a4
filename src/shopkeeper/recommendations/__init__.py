"""Recommendations: also-bought, similar, cart add-ons, personal picks, and the session models
benchmarked against session-rec's baselines. Other packages import only this surface."""

from __future__ import annotations

from typing import Any

from shopkeeper.recommendations.errors import InvalidEventKind, RecommendationError
from shopkeeper.recommendations.model import ItemProfile, Recommendation, TrainReport
from shopkeeper.recommendations.services import RecommendationService

# customer activity kinds (shopkeeper.customers) -> the recommender's event kinds
ACTIVITY_KINDS = {"product_viewed": "viewed", "added_to_cart": "added", "purchased": "purchased",
                  "returned": "returned"}


def product_ids_of(data: dict[str, Any]) -> list[str]:
    ids = data.get("product_ids") or ([data["product_id"]] if data.get("product_id") else [])
    return [str(p) for p in ids]


def wire(services: Any) -> None:
    """Composition-root hook: one service; customer activity feeds it in the same transaction."""
    from shopkeeper.customers.events import ActivityRecorded
    from shopkeeper.kernel.clock import utcnow

    svc = RecommendationService(services.db)
    services.recommendations = svc

    def on_activity(session: Any, event: ActivityRecorded) -> None:
        kind = ACTIVITY_KINDS.get(event.kind)
        ids = product_ids_of(event.data)
        if kind and ids:
            svc.record(session, event.customer_id, kind, ids, event.at or utcnow())

    services.db.bus.subscribe_in_transaction(ActivityRecorded, on_activity)


__all__ = [
    "ACTIVITY_KINDS", "InvalidEventKind", "ItemProfile", "Recommendation", "RecommendationError",
    "RecommendationService", "TrainReport", "product_ids_of", "wire",
]
