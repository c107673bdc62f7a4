"""CLI command groups, one module per area; `shopkeeper.cli` mounts them."""
