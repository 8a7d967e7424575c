"""`garrison privacy ...` with the real backend: a real SQLite file, the real detector (loaded once
per process) and the vault; one data directory for the whole module, to keep it fast."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from garrison.app import CliBackend
from garrison.cli.main import make_cli

runner = CliRunner()
TEXT = "Herr Jürgen Vogel, Steuer-ID 36 574 261 809"
CLEAR = ("Jürgen", "Vogel", "36 574 261 809")

Cli = Callable[..., Result]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    data = tmp_path_factory.mktemp("privacy") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GARRISON_DATA_DIR", str(data))
        app = make_cli(CliBackend())

        def run(*args: str, code: int = 0, input: str | None = None) -> Result:
            result = runner.invoke(app, list(args), input=input, catch_exceptions=False)
            assert result.exit_code == code, result.output
            return result

        run("init")
        yield run


def test_policy_shows_changes_and_refuses_what_it_does_not_know(cli: Cli) -> None:
    shown = cli("privacy", "policy", "operator").stdout
    assert "prompts           yes" in shown and "documents         no" in shown and "DE_TAX_ID" in shown
    changed = cli("privacy", "policy", "operator", "--no-prompts", "--entities", "PERSON,EMAIL_ADDRESS").stdout
    assert "(updated)" in changed
    again = cli("privacy", "policy", "operator").stdout
    assert "prompts           no" in again and "answers           yes" in again
    assert "entities          EMAIL_ADDRESS, PERSON" in again and "DE_TAX_ID" not in again
    roles = cli("privacy", "policy", "operator", "--reidentify-roles", "security_officer", "--threshold", "0.7")
    assert "reidentify_roles  security_officer" in roles.stdout and "threshold         0.7" in roles.stdout

    bad = cli("privacy", "policy", "operator", "--entities", "PERSON,SHOE_SIZE", code=1).output
    assert "error:" in bad and "unknown entity type(s) SHOE_SIZE" in bad
    assert "unknown role(s) pilot" in cli("privacy", "policy", "operator", "--reidentify-roles", "pilot", code=1).output
    assert "between 0 and 1" in cli("privacy", "policy", "operator", "--threshold", "2", code=1).output
    assert "no organisation with id 'ghost'" in cli("privacy", "policy", "ghost", code=1).output
    assert "EMAIL_ADDRESS, PERSON" in cli("privacy", "policy", "operator").stdout  # the refusals changed nothing


def test_analyze_finds_a_german_name_and_tax_id(cli: Cli, tmp_path: Path) -> None:
    out = cli("privacy", "analyze", TEXT).stdout
    assert "PERSON" in out and "Jürgen Vogel" in out and "DE_TAX_ID" in out and "36 574 261 809" in out

    body = json.loads(cli("privacy", "analyze", "--json", "--language", "de", TEXT).stdout)
    found = {e["type"]: TEXT[e["start"] : e["end"]] for e in body["entities"]}
    assert found == {"PERSON": "Jürgen Vogel", "DE_TAX_ID": "36 574 261 809"}
    assert body["languages"] == ["de"] and all(e["recognizer"] for e in body["entities"])

    doc = tmp_path / "letter.txt"
    doc.write_text(TEXT + "\n", encoding="utf-8")
    from_file = json.loads(cli("privacy", "analyze", "--json", "--file", str(doc)).stdout)
    assert {e["type"] for e in from_file["entities"]} == {"PERSON", "DE_TAX_ID"}
    from_stdin = json.loads(cli("privacy", "analyze", "--json", input=TEXT).stdout)
    assert {e["type"] for e in from_stdin["entities"]} == {"PERSON", "DE_TAX_ID"}

    assert "language must be one of" in cli("privacy", "analyze", "--language", "xx", TEXT, code=1).output
    assert "not both" in cli("privacy", "analyze", "--file", str(doc), TEXT, code=1).output


def test_pseudonymize_then_reidentify_restores_the_text(cli: Cli, tmp_path: Path) -> None:
    done = cli("privacy", "pseudonymize", TEXT)
    assert done.stdout == "Herr <PERSON_1>, Steuer-ID <DE_TAX_ID_1>\n"
    assert not any(value in done.stdout for value in CLEAR)
    table = done.stderr.split("pseudonyms:", 1)[1].strip()
    assert table.startswith("ps_")

    restored = cli("privacy", "reidentify", "--pseudonyms", table, done.stdout.strip())
    assert restored.stdout == TEXT + "\n" and "2 placeholder(s) restored" in restored.stderr

    # the same table again: the same values keep their placeholders; the text read from stdin
    more = cli("privacy", "pseudonymize", "--pseudonyms", table, input="Vogel, Jürgen Vogel schreibt.")
    assert "<PERSON_1>" in more.stdout and "Jürgen" not in more.stdout

    pseudonymised = tmp_path / "pseudonymised.txt"
    pseudonymised.write_text(done.stdout, encoding="utf-8")
    assert cli("privacy", "reidentify", "--pseudonyms", table, "--file", str(pseudonymised)).stdout == TEXT + "\n"
    assert cli("privacy", "reidentify", "--pseudonyms", table, input=done.stdout).stdout == TEXT + "\n"

    assert "no pseudonym table 'ps_nope'" in cli("privacy", "reidentify", "--pseudonyms", "ps_nope", "x", code=1).output


def test_the_other_operators_leave_no_table(cli: Cli) -> None:
    redacted = cli("privacy", "pseudonymize", "--operator", "redact", TEXT)
    assert redacted.stdout == "Herr <PERSON>, Steuer-ID <DE_TAX_ID>\n" and "pseudonyms:" not in redacted.stderr
    masked = cli("privacy", "pseudonymize", "--operator", "mask", TEXT).stdout
    assert "Jürgen" not in masked and masked.endswith("809\n")
    out = cli("privacy", "pseudonymize", "--operator", "mask", "--pseudonyms", "ps_x", TEXT, code=1).output
    assert "pseudonymize operator only" in out
