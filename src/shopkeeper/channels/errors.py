"""Channel errors with stable codes: bad signatures, refused sends, unknown tokens, bad config."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class ChannelError(DomainError):
    code = "channel_error"


class InvalidSignature(ChannelError):
    code = "invalid_signature"


class SendRefused(ChannelError):
    """A send that breaks a rule (window closed, opted out, no template): never sent."""

    code = "send_refused"

    def __init__(self, reason: str, message: str = "") -> None:
        super().__init__(message or reason, details={"reason": reason})
        self.reason = reason


class ChannelNotConfigured(ChannelError):
    code = "channel_not_configured"


class LinkCodeInvalid(ChannelError):
    code = "link_code_invalid"


class TemplateNotFound(ChannelError):
    code = "template_not_found"
