"""Shopkeeper: conversational commerce — sell inside chats with bots and human agents."""

__version__ = "0.1.0"
