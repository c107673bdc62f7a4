"""Errors of the staff package, each with a stable machine-readable code."""

from shopkeeper.kernel.errors import DomainError


class StaffError(DomainError):
    code = "staff_error"


class InvalidCredentials(StaffError):
    code = "unauthorized"


class AgentExists(StaffError):
    code = "conflict"


class AgentNotFound(StaffError):
    code = "agent_not_found"
