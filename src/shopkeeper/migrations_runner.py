"""Runs Alembic migrations programmatically (the app and the CLI upgrade the schema at start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

from shopkeeper.kernel.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
RAW_DDL_PREFIXES = ("fts_", "search_fts")
RAW_DDL_COLUMNS = {"tsv"}  # PostgreSQL's generated tsvector on search_documents (catalog.index)
RAW_DDL_INDEXES = {"ix_search_documents_tsv"}


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Leave out what the models do not own: search indexes made with raw DDL (FTS5 virtual tables
    and their shadow tables, tsvector triggers) and Alembic's own bookkeeping."""
    if type_ == "column" and name in RAW_DDL_COLUMNS:
        return False
    if type_ == "index" and name in RAW_DDL_INDEXES:
        return False
    raw = bool(name) and (str(name).startswith(RAW_DDL_PREFIXES) or name == "alembic_version")
    return not (type_ == "table" and raw)


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def upgrade_to_head(db: Database) -> None:
    command.upgrade(alembic_config(db), "head")
