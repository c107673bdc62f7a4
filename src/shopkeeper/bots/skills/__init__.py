"""The bot's skills: each one handles a kind of request on a Dialogue (search, product, cart,
checkout, orders, FAQ, talk)."""
