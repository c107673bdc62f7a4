"""Refreshes the trained default model shipped inside the package:
`python -m shopkeeper.bots.nlu.ship` after changing the shipped training data or the model code."""

from __future__ import annotations

import shutil

from shopkeeper.bots.nlu.nlu import NLU, SHIPPED_MODEL_DIR, default_model_path


def main() -> None:
    target = SHIPPED_MODEL_DIR / default_model_path().name
    NLU.default()  # trains (or loads) the model for the current data and code
    SHIPPED_MODEL_DIR.mkdir(exist_ok=True)
    for old in SHIPPED_MODEL_DIR.glob("default-*.joblib"):
        if old != target:
            old.unlink()
    if not target.exists():
        shutil.copyfile(default_model_path(), target)
    print(f"shipped {target.name} ({target.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
