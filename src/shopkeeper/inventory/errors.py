"""Inventory errors, each with a stable machine-readable `code`."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class InventoryError(DomainError):
    code = "inventory_error"


class OutOfStock(InventoryError):
    """Fewer units are free than were asked for (someone else may hold them in a reservation)."""

    code = "out_of_stock"

    def __init__(self, variant_id: str, requested: int, available: int) -> None:
        super().__init__(f"only {available} of {requested} requested units of {variant_id} are available")
        self.variant_id = variant_id
        self.requested = requested
        self.available = available
        self.details = {"variant_id": variant_id, "requested": requested, "available": available}


class InvalidQuantity(InventoryError):
    code = "invalid_quantity"
