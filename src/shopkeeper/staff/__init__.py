"""Staff: the merchant's agents, supervisors and admins, their credentials and authority."""

from shopkeeper.staff.errors import AgentExists, InvalidCredentials
from shopkeeper.staff.services import AgentView, authenticate, create_agent, get_agent, list_agents

__all__ = [
    "AgentExists",
    "AgentView",
    "InvalidCredentials",
    "authenticate",
    "create_agent",
    "get_agent",
    "list_agents",
]
