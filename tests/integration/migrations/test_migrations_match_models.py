"""The Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import shopkeeper.models  # noqa: F401
from shopkeeper.kernel.db import Base, Database
from shopkeeper.migrations_runner import include_object, upgrade_to_head


def test_upgrade_to_head_leaves_no_difference_to_the_models(database_url: str) -> None:
    db = Database(database_url)
    try:
        upgrade_to_head(db)
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": False}
            )
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
        upgrade_to_head(db)  # running it again is a no-op
    finally:
        db.dispose()
