"""Runs Alembic migrations programmatically (the app and the CLI upgrade the schema at start)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from shopkeeper.kernel.db import Database

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def upgrade_to_head(db: Database) -> None:
    if not (MIGRATIONS_DIR / "versions").exists() or not any((MIGRATIONS_DIR / "versions").glob("*.py")):
        db.create_all()  # before the first migration is cut
        return
    command.upgrade(alembic_config(db), "head")
