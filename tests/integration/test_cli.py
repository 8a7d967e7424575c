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
    out = cli("keys", "create", "--name", "analyst one", "--expires-days", "30")
    key = out.strip().splitlines()[-1]
    key_id = key.split("_")[1]
    listing = cli("keys", "list")
    assert key_id in listing and key not in listing
    cli("keys", "revoke", key_id)
    assert "no API key" in cli("keys", "revoke", "ffffffffffff", code=1)
    assert "unknown role" in cli("keys", "create", "--name", "x", "--role", "god", code=1)


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
