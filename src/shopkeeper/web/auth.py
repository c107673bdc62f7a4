"""Who is calling: shoppers carry a signed token naming their customer id; agents and admins carry
a signed agent token. Endpoints depend on `current_shopper` / `current_agent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fastapi import Depends, HTTPException, Request, status
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from shopkeeper.settings import Settings

SHOPPER_SALT = "shopper-token-v1"
AGENT_SALT = "agent-token-v1"
SHOPPER_TOKEN_MAX_AGE_S = 180 * 24 * 3600
AGENT_TOKEN_MAX_AGE_S = 12 * 3600


def _serializer(settings: Settings, salt: str) -> URLSafeTimedSerializer:
    return _serializer_for(settings.secret_key.get_secret_value(), salt)


@lru_cache(maxsize=16)
def _serializer_for(secret: str, salt: str) -> URLSafeTimedSerializer:
    # built once per key: every shopper request checks a token
    return URLSafeTimedSerializer(secret, salt=salt)


def issue_shopper_token(settings: Settings, customer_id: str) -> str:
    return str(_serializer(settings, SHOPPER_SALT).dumps(customer_id))


def read_shopper_token(settings: Settings, token: str) -> str | None:
    try:
        value = _serializer(settings, SHOPPER_SALT).loads(token, max_age=SHOPPER_TOKEN_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    return value if isinstance(value, str) else None


@dataclass(frozen=True)
class AgentIdentity:
    agent_id: str
    role: str  # "agent" | "supervisor" | "admin"


def issue_agent_token(settings: Settings, agent_id: str, role: str = "agent") -> str:
    return str(_serializer(settings, AGENT_SALT).dumps({"id": agent_id, "role": role}))


def read_agent_token(settings: Settings, token: str) -> AgentIdentity | None:
    try:
        value = _serializer(settings, AGENT_SALT).loads(token, max_age=AGENT_TOKEN_MAX_AGE_S)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        return None
    return AgentIdentity(agent_id=value["id"], role=str(value.get("role", "agent")))


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token:
        return token.strip()
    return request.query_params.get("token")  # WebSocket clients cannot set headers


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.services.settings
    return settings


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail={"code": "unauthorized", "message": message},
        headers={"WWW-Authenticate": "Bearer"},
    )


def current_shopper(request: Request) -> str:
    """The calling shopper's customer id, or 401. (Settings read straight from the app, not as a
    sub-dependency: FastAPI resolves dependencies on every request.)"""
    token = _bearer(request)
    customer_id = read_shopper_token(_settings(request), token) if token else None
    if customer_id is None:
        raise _unauthorized("a valid shopper token is required")
    return customer_id


def current_agent(request: Request, settings: Settings = Depends(_settings)) -> AgentIdentity:
    """The calling agent, or 401."""
    token = _bearer(request)
    agent = read_agent_token(settings, token) if token else None
    if agent is None:
        raise _unauthorized("a valid agent token is required")
    return agent


def require_admin(agent: AgentIdentity = Depends(current_agent)) -> AgentIdentity:
    if agent.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail={"code": "forbidden", "message": "admin only"})
    return agent
