"""Adapters: the only code that speaks a vendor protocol (channels, payments, language models)."""
