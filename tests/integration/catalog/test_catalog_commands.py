import json
from pathlib import Path

from typer.testing import CliRunner

from shopkeeper.commands.catalog import app


def test_import_search_export_from_the_command_line(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SHOPKEEPER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SHOPKEEPER_LOAD_DEMO_CATALOG", "false")
    src = tmp_path / "cat.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "handle": "kettle",
                    "title": "Electric kettle",
                    "variants": [{"sku": "k1", "price": "29.00"}],
                },
                {"handle": "broken", "title": ""},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(src)])
    assert imported.exit_code == 1  # one row was refused, and said so
    assert "created 1" in imported.output and "row 2" in imported.output
    found = runner.invoke(app, ["search", "kettle"])
    assert found.exit_code == 0 and "Electric kettle" in found.output
    out = tmp_path / "out.jsonl"
    exported = runner.invoke(app, ["export", str(out)])
    assert exported.exit_code == 0 and json.loads(out.read_text())["variants"][0]["price"] == "29.00"
