"""Payment provider adapters: the only code that speaks a payment vendor's protocol.

`demo` (our own hosted page, no network) and `stripe` (Checkout Sessions); import the module you use.
"""
