"""Catalog errors, each with a stable machine-readable `.code` (the API and the bot switch on it)."""

from __future__ import annotations

from shopkeeper.kernel.errors import DomainError


class CatalogError(DomainError):
    code = "catalog_error"


class ProductNotFound(CatalogError):
    code = "product_not_found"

    def __init__(self, product_id: str) -> None:
        super().__init__(f"no product {product_id!r}")
        self.product_id = product_id


class VariantNotFound(CatalogError):
    code = "variant_not_found"

    def __init__(self, variant_id: str) -> None:
        super().__init__(f"no variant {variant_id!r}")
        self.variant_id = variant_id


class InvalidRecord(CatalogError):
    """One import record is wrong; the importer reports it per row and writes nothing of it."""

    code = "invalid_record"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class UnsupportedFormat(CatalogError):
    code = "unsupported_format"
