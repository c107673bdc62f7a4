"""Orders: the explicit order state machine, the frozen snapshot of what was bought, and its history.

Other packages import only this surface.
"""

from shopkeeper.orders.errors import IllegalTransition, OrderError, OrderNotFound
from shopkeeper.orders.events import (
    OrderCancelled,
    OrderDelivered,
    OrderFulfilled,
    OrderPaid,
    OrderPlaced,
    OrderRefunded,
    OrderShipped,
    RefundRequested,
)
from shopkeeper.orders.model import (
    TRANSITIONS,
    NewOrder,
    OrderLine,
    OrderStatus,
    OrderTotals,
    OrderView,
    StatusChange,
    can_cancel,
    check_transition,
    format_number,
    is_paid,
)
from shopkeeper.orders.services import (
    access_order,
    attach_payment,
    cancel_order,
    create_order,
    find_order,
    find_order_by_number,
    get_order,
    list_orders,
    mark_delivered,
    mark_fulfilled,
    mark_paid,
    mark_shipped,
    refund,
    request_refund,
)

__all__ = [
    "TRANSITIONS", "IllegalTransition", "NewOrder", "OrderCancelled", "OrderDelivered", "OrderError",
    "OrderFulfilled", "OrderLine", "OrderNotFound", "OrderPaid", "OrderPlaced", "OrderRefunded",
    "OrderShipped", "OrderStatus", "OrderTotals", "OrderView", "RefundRequested", "StatusChange",
    "access_order", "attach_payment", "can_cancel", "cancel_order", "check_transition", "create_order",
    "find_order", "find_order_by_number", "get_order", "list_orders", "mark_delivered",
    "mark_fulfilled", "mark_paid", "mark_shipped", "refund", "request_refund", "format_number", "is_paid",
]
