"""Conversation errors, each with a stable machine-readable code."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class ConversationError(DomainError):
    code = "conversation_error"


class ConversationNotFound(ConversationError):
    code = "conversation_not_found"


class NotConversationOwner(ConversationError):
    """An agent tried to speak in, or release, a conversation someone else owns."""

    code = "forbidden"


class IllegalOwnerChange(ConversationError):
    code = "illegal_transition"
