"""Agent sign-in: exchanges e-mail and password for a signed agent token."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy.orm import Session

from shopkeeper import staff
from shopkeeper.bootstrap import Services
from shopkeeper.web.auth import AgentIdentity, current_agent, issue_agent_token
from shopkeeper.web.deps import get_services, get_session

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


class LoginIn(BaseModel):
    email: str
    password: str


class AgentOut(BaseModel):
    id: str
    email: str
    name: str
    role: str
    max_discount_percent: int


class LoginOut(BaseModel):
    token: str
    agent: AgentOut


@router.post("/login", summary="Sign an agent in", response_model=LoginOut)
def login(
    body: LoginIn,
    session: Session = Depends(get_session, scope="function"),
    services: Services = Depends(get_services),
) -> LoginOut:
    agent = staff.authenticate(session, body.email, body.password)
    token = issue_agent_token(services.settings, agent.id, agent.role)
    return LoginOut(token=token, agent=AgentOut(**agent.__dict__))


@router.get("/me", summary="The signed-in agent", response_model=AgentOut)
def me(
    identity: AgentIdentity = Depends(current_agent),
    session: Session = Depends(get_session, scope="function"),
) -> AgentOut:
    return AgentOut(**staff.get_agent(session, identity.agent_id).__dict__)
