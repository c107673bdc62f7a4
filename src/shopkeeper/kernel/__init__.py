"""Primitives with no domain words in them: money, database, events, outbox, inbound webhook log."""
