"""Fixtures for catalog integration tests: a small real-shaped catalog on a fresh database."""

from __future__ import annotations

import pytest
from catalog_samples import CATALOG, HashEncoder

from shopkeeper.catalog import import_records
from shopkeeper.kernel.db import Database


@pytest.fixture
def catalog_db(database: Database) -> Database:
    with database.session() as session:
        report = import_records(session, CATALOG, encoder=HashEncoder())
    assert report.ok, report.errors
    return database


@pytest.fixture
def hash_encoder() -> HashEncoder:
    return HashEncoder()
