"""Alembic environment: runs on the app's own engine (batch mode for SQLite ALTERs)."""

from alembic import context
from sqlalchemy import create_engine

import shopkeeper.models  # noqa: F401  (registers every table)
from shopkeeper.kernel.db import Base
from shopkeeper.migrations_runner import include_object

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_object,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
