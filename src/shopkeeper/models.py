"""Imports every module that declares tables, so Base.metadata is complete (migrations, tests)."""

# ruff: noqa: F401
import shopkeeper.cart.store
import shopkeeper.catalog.store
import shopkeeper.channels.store
import shopkeeper.conversations.store
import shopkeeper.customers.store
import shopkeeper.handoff.store
import shopkeeper.inventory.store
import shopkeeper.kernel.inbox
import shopkeeper.kernel.outbox
import shopkeeper.orders.store
import shopkeeper.payments.store
import shopkeeper.recommendations.store
import shopkeeper.staff.store
