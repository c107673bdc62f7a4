"""Inventory: stock levels per variant and reservations that expire and convert on payment.

The no-oversell guarantee lives here; other packages import only this surface.
"""

from shopkeeper.inventory.errors import InvalidQuantity, InventoryError, OutOfStock
from shopkeeper.inventory.events import ReservationExpired
from shopkeeper.inventory.services import (
    available,
    convert,
    expire_reservations,
    hold_expires_at,
    release,
    reservations_of,
    reserve,
    restock,
    set_stock,
    set_stock_many,
    stock_level,
)

__all__ = [
    "InvalidQuantity",
    "InventoryError",
    "OutOfStock",
    "ReservationExpired",
    "available",
    "convert",
    "expire_reservations",
    "hold_expires_at",
    "release",
    "reservations_of",
    "reserve",
    "restock",
    "set_stock",
    "set_stock_many",
    "stock_level",
]
