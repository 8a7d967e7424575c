"""The command line, with the real backend, a real SQLite file and the real embedded model file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from garrison.app import CliBackend
from garrison.catalog.embedded import EMBEDDED_SHA256, locate_embedded
from garrison.cli.main import make_cli

runner = CliRunner()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GARRISON_DATA_DIR", str(tmp_path / "data"))
    app = make_cli(CliBackend())

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, list(args), catch_exceptions=False)
        out = result.output
        assert result.exit_code == code, out
        return out

    return run


def test_commands_refuse_to_run_before_init(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = cli("models", "list", code=1)
    assert "garrison init" in out
    assert not (tmp_path / "data").exists()


def test_init_provisions_and_a_second_init_reuses_everything(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = cli("init")
    data = tmp_path / "data"
    key = (data / "admin.key").read_text().strip()
    assert key in first and str(data / "admin.key") in first
    assert (data / "admin.key").stat().st_mode & 0o777 == 0o600
    assert data.stat().st_mode & 0o777 == 0o700
    assert (data / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf").stat().st_size == 98_362_432
    second = cli("init")
    assert "already initialised" in second and key not in second
    listing = cli("models", "list")
    assert "smollm2-135m-instruct" in listing and "Apache-2.0" in listing
    verify = cli("models", "verify")
    assert f"ok smollm2-135m-instruct: SHA-256 {EMBEDDED_SHA256} matches" in verify.replace("\n", " ")


def test_models_add_verify_and_tamper(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    usb = tmp_path / "usb"
    usb.mkdir()
    not_a_model = usb / "manual.gguf"
    not_a_model.write_text("Chapter 1. Hydraulics")
    out = cli("models", "add", str(not_a_model), "--name", "manual", "--license", "x", code=1)
    assert "not a GGUF model file" in out
    weights = usb / "llama.gguf"
    shutil.copyfile(locate_embedded(), weights)
    out = cli(
        "models",
        "add",
        str(weights),
        "--name",
        "depot-llama",
        "--license",
        "Apache-2.0",
        "--origin",
        "USB drive, ticket 4711",
        "--sha256",
        "00" * 32,
        code=1,
    )
    assert "failed verification" in out and "00" * 32 in out
    out = cli(
        "models",
        "add",
        str(weights),
        "--name",
        "depot-llama",
        "--license",
        "Apache-2.0",
        "--origin",
        "USB drive, ticket 4711",
    )
    assert EMBEDDED_SHA256 in out
    assert "depot-llama" in cli("models", "list")
    out = cli("models", "add", str(weights), "--name", "depot-llama", "--license", "Apache-2.0", code=1)
    assert "already" in out
    copied = tmp_path / "data" / "models" / "depot-llama.gguf"
    with copied.open("r+b") as fh:
        fh.seek(1000)
        fh.write(b"\x00\x01\x02")
    out = cli("models", "verify", code=1)
    assert "FAILED depot-llama" in out and "ok smollm2-135m-instruct" in out
    cli("models", "remove", "depot-llama")
    assert "depot-llama" not in cli("models", "list")
    out = cli("models", "remove", "smollm2-135m-instruct", code=1)
    assert "cannot be removed" in out


def test_keys_lifecycle(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    cli("orgs", "create", "mod-it", "--name", "Ministero della Difesa", "--nation", "ITA")
    cli("users", "create", "m.rossi", "--org", "mod-it", "--role", "analyst")
    out = cli("keys", "create", "--user", "m.rossi", "--name", "laptop", "--expires-days", "30")
    key = out.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    assert "for m.rossi (laptop)" in out
    listing = cli("keys", "list", "--user", "m.rossi")
    assert key_id in listing and key not in listing and "laptop" in listing
    assert key_id in cli("keys", "list", "--org", "mod-it")
    assert "expires" in cli("keys", "expire", key_id, "--in-days", "1")
    cli("keys", "revoke", key_id)
    assert "no API key" in cli("keys", "revoke", "ffffffffffff", code=1)
    assert "no user with id 'ghost'" in cli("keys", "create", "--user", "ghost", code=1)
    assert "--user" in cli("keys", "create", "--name", "x", code=2)  # whose key: always said


def test_organisations_and_people(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("init", "--organisation", "nato-ncia", "--nation", "NATO")
    assert "operator organisation: nato-ncia (NATO)" in out
    assert "nato-ncia (operator)" in cli("orgs", "list")
    out = cli(
        "orgs", "create", "dga-fr", "--name", "DGA", "--nation", "fra", "--rpm", "120", "--daily-tokens", "500000"
    )
    assert "FRA" in out and "120/min, 500000 tokens/day" in out
    assert "expected an ISO 3166 alpha-3 code" in cli(
        "orgs", "create", "x", "--name", "X", "--nation", "France", code=1
    )
    assert "not valid" in cli("orgs", "create", "Bad Id", "--name", "X", code=1)
    assert "already exists" in cli("orgs", "create", "dga-fr", "--name", "again", code=1)

    out = cli(
        "users", "create", "j.dupont", "--org", "dga-fr", "--role", "security_officer",
        "--clearance", "secret defense", "--caveats", "atomal, si-g", "--name", "Jeanne Dupont",
    )  # fmt: skip
    assert "SECRET" in out and "ATOMAL, SI-G" in out and "FRA" in out  # nationality: the organisation's
    for args, message in (
        (("--role", "god"), "unknown role 'god'; expected one of admin, security_officer, analyst, auditor"),
        (("--role", "analyst", "--clearance", "ultra"), "is not a classification level"),
        (("--role", "analyst", "--caveats", "top secret!"), "caveat 'top secret!' is not valid"),
        (("--role", "analyst", "--nationality", "XX"), "nationality 'XX' is not valid"),
    ):
        assert message in cli("users", "create", "p.bad", "--org", "dga-fr", *args, code=1)
    assert "no organisation with id 'nowhere'" in cli(
        "users", "create", "p", "--org", "nowhere", "--role", "analyst", code=1
    )
    assert "p.bad" not in cli("users", "list")  # nothing half-stored

    out = cli("users", "update", "j.dupont", "--clearance", "TOP SECRET", "--caveats", "", "--rpm", "30")
    assert "TOP SECRET" in out and "caveats     -" in out and "30/min" in out
    assert "defaults" in cli("users", "update", "j.dupont", "--rpm", "default")
    assert "nothing to change" in cli("users", "update", "j.dupont", code=1)
    assert "expected a number or 'default'" in cli("users", "update", "j.dupont", "--rpm", "lots", code=1)
    cli("users", "disable", "j.dupont")
    assert "disabled" in cli("keys", "create", "--user", "j.dupont", code=1)
    cli("users", "enable", "j.dupont")
    cli("keys", "create", "--user", "j.dupont")
    listing = cli("users", "list", "--org", "dga-fr")
    assert "j.dupont" in listing and "admin" not in listing
    assert "cannot be disabled" in cli("orgs", "disable", "nato-ncia", code=1)
    cli("orgs", "disable", "dga-fr")
    assert "disabled  20" in cli("orgs", "show", "dga-fr")


def test_model_eligibility_from_the_console(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    model = "smollm2-135m-instruct"
    assert "eligible to everyone" in cli("models", "eligibility", model)
    out = cli("models", "eligibility", model, "--to", "NATO", "--to", "usa,org:mod-it")
    assert "eligible to NATO, USA, org:mod-it" in out
    assert "eligible     NATO, USA, org:mod-it" in cli("models", "list").replace("\n", " ")
    assert "a group (EU, FVEY, NATO)" in cli("models", "eligibility", model, "--to", "Atlantis", code=1)
    assert "give one of" in cli("models", "eligibility", model, "--everyone", "--nobody", code=1)
    assert "eligible to nobody" in cli("models", "eligibility", model, "--nobody")
    cli("init")  # a second init re-verifies the model and keeps who may use it
    assert "eligible to nobody" in cli("models", "eligibility", model)
    assert "does not exist" in cli("models", "eligibility", "ghost", "--everyone", code=1)


def test_usage_table_for_cost_sharing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json
    import sqlite3

    cli("init")
    conn = sqlite3.connect(tmp_path / "data" / "garrison.db")
    conn.executemany(
        "INSERT INTO usage VALUES (?,?,?,?,?,?,?)",
        [
            ("2026-11-01", "dga-fr", "j.dupont", "llama-70b", 10, 3000, 1000),
            ("2026-11-02", "dga-fr", "a.martin", "llama-70b", 5, 1000, 1000),
            ("2026-11-02", "mod-it", "m.rossi", "smollm2", 20, 2000, 2000),
            ("2026-10-31", "mod-it", "m.rossi", "smollm2", 99, 9999, 9999),  # before the period
        ],
    )
    conn.commit()
    conn.close()
    out = cli("usage", "--by", "organisation", "--since", "2026-11-01")
    assert "dga-fr" in out and "mod-it" in out and "9999" not in out
    assert "6000" in out and "60.0%" in out and "40.0%" in out
    csv_out = cli(
        "usage", "--by", "organisation,model", "--since", "2026-11-01", "--until", "2026-11-01", "--format", "csv"
    )
    assert csv_out.strip().splitlines() == [
        "organisation,model,requests,prompt_tokens,completion_tokens,total_tokens,share",
        "dga-fr,llama-70b,10,3000,1000,4000,1.0",
    ]
    rows = json.loads(cli("usage", "--by", "user", "--since", "2026-11-01", "--org", "mod-it", "--format", "json"))
    assert rows == [
        {"user": "m.rossi", "requests": 20, "prompt_tokens": 2000, "completion_tokens": 2000, "total_tokens": 4000,
         "share": 1.0}
    ]  # fmt: skip
    assert "is not a day" in cli("usage", "--since", "last tuesday", code=1)
    assert "cannot group usage by colour" in cli("usage", "--since", "today", "--by", "colour", code=1)
    assert "before since" in cli("usage", "--since", "2026-11-02", "--until", "2026-11-01", code=1)
    assert "no usage" in cli("usage", "--since", "2030-01-01")


def test_remote_models_need_the_allow_list(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    out = cli(
        "models",
        "add-remote",
        "big-llama",
        "--url",
        "http://198.51.100.7:8000/v1",
        "--license",
        "Llama 3.3",
        "--context-length",
        "8192",
        code=1,
    )
    assert "allow-list" in out
    monkeypatch.setenv("GARRISON_EGRESS_ALLOW", "198.51.100.7")
    cli(
        "models",
        "add-remote",
        "big-llama",
        "--url",
        "http://198.51.100.7:8000/v1",
        "--license",
        "Llama 3.3",
        "--context-length",
        "8192",
    )
    assert "http://198.51.100.7:8000/v1" in cli("models", "list")


def test_serve_refuses_a_non_loopback_bind(cli) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    out = cli("serve", "--host", "0.0.0.0", code=1)
    assert "only loopback" in out


def test_serve_refuses_to_start_when_no_model_passes_verification(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    model = tmp_path / "data" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    with model.open("r+b") as fh:
        fh.seek(5000)
        byte = fh.read(1)
        fh.seek(5000)
        fh.write(bytes([byte[0] ^ 0xFF]))
    out = cli("serve", code=1)
    assert "no model could be served" in out and "failed verification" in out and EMBEDDED_SHA256 in out


def test_init_restores_a_tampered_embedded_model_from_its_package(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("init")
    model = tmp_path / "data" / "models" / "SmolLM2-135M-Instruct.Q4_1.gguf"
    with model.open("r+b") as fh:
        fh.seek(5000)
        fh.write(b"\x13\x37")
    assert "FAILED" in cli("models", "verify", code=1)
    cli("init")
    assert "ok smollm2-135m-instruct" in cli("models", "verify")
