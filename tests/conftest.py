"""Shared fixtures. `database` gives a fresh, empty, migrated schema on the backend chosen by
SHOPKEEPER_TEST_DATABASE_URL (unset: a SQLite file per test; postgresql+psycopg://…: a fresh
PostgreSQL schema per test, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from shopkeeper.kernel.db import Database

TEST_DB_URL = os.environ.get("SHOPKEEPER_TEST_DATABASE_URL", "")


def _load_all_models() -> None:
    # every package that declares tables registers them on Base.metadata at import
    import shopkeeper.models  # noqa: F401


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not TEST_DB_URL.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(TEST_DB_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in TEST_DB_URL else "?"
    try:
        yield f"{TEST_DB_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    _load_all_models()
    db = Database(database_url)
    db.create_all()
    try:
        yield db
    finally:
        db.dispose()
