"""Recommendations for the agent desk and shop front: similar, also-bought, for a cart, for a customer.

Agents may ask for any customer; a shopper may ask only for themself.
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from shopkeeper.bootstrap import Services
from shopkeeper.web.auth import read_agent_token, read_shopper_token
from shopkeeper.web.deps import get_services, get_session

router = APIRouter(prefix="/api/v1/recommendations", tags=["recommendations"])


class RecommendationOut(BaseModel):
    product_id: str
    score: float
    reason: str
    reason_code: str


class RecommendationsOut(BaseModel):
    placement: str
    items: list[RecommendationOut]


def _caller_may_see_customer(request: Request, services: Services, customer_id: str) -> None:
    header = request.headers.get("authorization", "")
    token = header.partition(" ")[2].strip()
    if token and read_agent_token(services.settings, token) is not None:
        return
    if token and read_shopper_token(services.settings, token) == customer_id:
        return
    raise HTTPException(
        401, detail={"code": "unauthorized", "message": "an agent or the customer's own token"}
    )


@router.get("", summary="Recommendations for a placement", response_model=RecommendationsOut)
def recommendations(
    request: Request,
    placement: Literal["similar", "also_bought", "cart", "customer"] = Query(...),
    product_id: list[str] = Query(default_factory=list, description="Product(s) in focus or in the cart"),
    customer_id: str | None = Query(None),
    limit: int = Query(6, ge=1, le=50),
    session: Session = Depends(get_session, scope="function"),
    services: Services = Depends(get_services),
) -> RecommendationsOut:
    svc = services.recommendations
    if placement in ("similar", "also_bought"):
        if len(product_id) != 1:
            raise HTTPException(422, detail={"code": "invalid_request", "message": "exactly one product_id"})
        fn = svc.similar if placement == "similar" else svc.also_bought
        items = fn(session, product_id[0], limit=limit)
    elif placement == "cart":
        items = svc.for_cart(session, product_id, limit=limit)
    else:
        if not customer_id:
            raise HTTPException(422, detail={"code": "invalid_request", "message": "customer_id is required"})
        _caller_may_see_customer(request, services, customer_id)
        items = svc.for_customer(session, customer_id, product_id, limit=limit)
    return RecommendationsOut(
        placement=placement,
        items=[
            RecommendationOut(
                product_id=r.product_id, score=r.score, reason=r.reason, reason_code=r.reason_code
            )
            for r in items
        ],
    )
