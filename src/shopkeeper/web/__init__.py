"""The thin HTTP layer: JSON API, webhooks, the storefront with the widget, the payment page."""
