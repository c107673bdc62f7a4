"""The catalog: products, variants, reviews; import/export; search; answers about a product.
Other packages import only this surface."""

from __future__ import annotations

from typing import Any

from shopkeeper.catalog.answers import answer_question
from shopkeeper.catalog.errors import (
    CatalogError,
    InvalidRecord,
    ProductNotFound,
    UnsupportedFormat,
    VariantNotFound,
)
from shopkeeper.catalog.importing import embed_missing, export_file, import_file, import_records
from shopkeeper.catalog.model import (
    CatalogVocabulary,
    Filters,
    ImportReport,
    ProductAnswer,
    ProductView,
    ReviewView,
    SearchHit,
    SearchQuery,
    SearchResult,
    VariantView,
)
from shopkeeper.catalog.search import SearchService, set_synonyms, synonyms_of
from shopkeeper.catalog.services import (
    count_products,
    find_product_by_handle,
    get_product,
    get_products,
    get_variant,
    localized,
    remembered_reads,
    vocabulary,
)


def wire(services: Any) -> None:
    """Composition-root hook: one SearchService per process."""
    services.search = SearchService(services.db)


__all__ = [
    "CatalogError",
    "CatalogVocabulary",
    "Filters",
    "ImportReport",
    "InvalidRecord",
    "ProductAnswer",
    "ProductNotFound",
    "ProductView",
    "ReviewView",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "SearchService",
    "UnsupportedFormat",
    "VariantNotFound",
    "VariantView",
    "answer_question",
    "count_products",
    "embed_missing",
    "export_file",
    "find_product_by_handle",
    "get_product",
    "get_products",
    "get_variant",
    "import_file",
    "import_records",
    "localized",
    "remembered_reads",
    "set_synonyms",
    "synonyms_of",
    "vocabulary",
    "wire",
]
