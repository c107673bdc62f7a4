"""Order errors, each with a stable machine-readable `code`."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class OrderError(DomainError):
    code = "order_error"


class OrderNotFound(OrderError):
    code = "order_not_found"

    def __init__(self, order_id: str) -> None:
        super().__init__(f"order {order_id} not found")
        self.order_id = order_id


class IllegalTransition(OrderError):
    """The state machine has no arrow from the order's status to the one asked for."""

    code = "illegal_transition"

    def __init__(self, current: str, target: str) -> None:
        super().__init__(f"an order cannot go from {current} to {target}")
        self.current = current
        self.target = target
        self.details = {"current": current, "target": target}
