"""Cuts a new Alembic revision from the models: `python -m shopkeeper.migrations_cli "add x"`.

Autogenerates against a scratch SQLite database brought to the current head, so the new revision
holds exactly what the models added since. Review the file before committing it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

import shopkeeper.models  # noqa: F401
from shopkeeper.kernel.db import Database
from shopkeeper.migrations_runner import MIGRATIONS_DIR, alembic_config


def main() -> None:
    message = " ".join(sys.argv[1:]).strip() or "schema change"
    (MIGRATIONS_DIR / "versions").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        cfg = alembic_config(db)
        if any((MIGRATIONS_DIR / "versions").glob("*.py")):
            command.upgrade(cfg, "head")
        command.revision(cfg, message=message, autogenerate=True)
        db.dispose()


if __name__ == "__main__":
    main()
