"""Imports every module that declares tables, so Base.metadata is complete (migrations, tests)."""

# ruff: noqa: F401
import shopkeeper.kernel.inbox
import shopkeeper.kernel.outbox
import shopkeeper.staff.store
