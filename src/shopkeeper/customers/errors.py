"""Customer errors, each with a stable machine-readable `.code`."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class CustomerError(DomainError):
    code = "customer_error"


class CustomerNotFound(CustomerError):
    code = "customer_not_found"

    def __init__(self, customer_id: str) -> None:
        super().__init__(f"customer {customer_id} not found")
        self.customer_id = customer_id


class AddressNotFound(CustomerError):
    code = "address_not_found"


class InvalidContact(CustomerError):
    """`details` maps each bad field ("email", "phone", "country", …) to a message for the shopper."""

    code = "invalid_contact"


class InvalidActivity(CustomerError):
    code = "invalid_activity"


class InvalidConsent(CustomerError):
    code = "invalid_consent"
