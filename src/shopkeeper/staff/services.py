"""Use cases for staff accounts: create, authenticate (argon2), look up."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shopkeeper.kernel.clock import new_id, utcnow
from shopkeeper.staff.errors import AgentExists, AgentNotFound, InvalidCredentials
from shopkeeper.staff.store import AgentRow

ROLES = ("agent", "supervisor", "admin")
_hasher = PasswordHasher()
# verifying against a dummy hash for unknown e-mails keeps the timing the same (no account probing)
_DUMMY_HASH = _hasher.hash("not-a-real-password")


@dataclass(frozen=True)
class AgentView:
    id: str
    email: str
    name: str
    role: str
    max_discount_percent: int


def _view(row: AgentRow) -> AgentView:
    return AgentView(row.id, row.email, row.name, row.role, row.max_discount_percent)


def create_agent(
    session: Session,
    email: str,
    name: str,
    password: str,
    role: str = "agent",
    max_discount_percent: int = 10,
) -> AgentView:
    email = email.strip().lower()
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    if not 0 <= max_discount_percent <= 100:
        raise ValueError("max_discount_percent must be within 0..100")
    if session.scalar(select(AgentRow.id).where(func.lower(AgentRow.email) == email)):
        raise AgentExists(f"an agent with e-mail {email} exists")
    row = AgentRow(
        id=new_id("agt"),
        email=email,
        name=name,
        role=role,
        password_hash=_hasher.hash(password),
        max_discount_percent=max_discount_percent,
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _view(row)


def authenticate(session: Session, email: str, password: str) -> AgentView:
    row = session.scalar(select(AgentRow).where(func.lower(AgentRow.email) == email.strip().lower()))
    try:
        _hasher.verify(row.password_hash if row and row.active else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise InvalidCredentials("wrong e-mail or password") from None
    if row is None or not row.active:
        raise InvalidCredentials("wrong e-mail or password")
    return _view(row)


def get_agent(session: Session, agent_id: str) -> AgentView:
    row = session.get(AgentRow, agent_id)
    if row is None:
        raise AgentNotFound(agent_id)
    return _view(row)


def list_agents(session: Session) -> list[AgentView]:
    return [_view(r) for r in session.scalars(select(AgentRow).order_by(AgentRow.created_at))]
