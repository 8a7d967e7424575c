from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from garrison.audit.sinks import MemoryAuditSink
from garrison.catalog.gguf import read_gguf
from garrison.catalog.hashing import copy_verified, sha256_file, verify_file
from garrison.core.clock import FixedClock
from garrison.core.errors import Conflict, IntegrityError, InvalidRequest, PermissionDenied
from garrison.service.authz import Authoriser
from garrison.service.identity import console
from garrison.service.models import ModelService
from garrison.store.db import Database
from garrison.store.models import ModelRepository


def test_verify_names_the_model_and_both_hashes(tmp_path: Path) -> None:
    f = tmp_path / "m.gguf"
    f.write_bytes(b"GGUF" + b"\0" * 100)
    actual = hashlib.sha256(f.read_bytes()).hexdigest()
    assert sha256_file(f) == actual
    verify_file("m", f, actual)
    with pytest.raises(IntegrityError) as exc:
        verify_file("llama-8b", f, "ab" * 32)
    assert "llama-8b" in exc.value.message and actual in exc.value.message and "ab" * 32 in exc.value.message
    with pytest.raises(IntegrityError, match="missing"):
        verify_file("m", tmp_path / "gone.gguf", actual)


def test_copy_verified_leaves_nothing_on_mismatch(tmp_path: Path) -> None:
    src = tmp_path / "src.bin"
    src.write_bytes(b"weights" * 1000)
    dest = tmp_path / "models" / "dest.bin"
    with pytest.raises(IntegrityError):
        copy_verified("m", src, dest, "00" * 32)
    assert list((tmp_path / "models").iterdir()) == []
    digest = copy_verified("m", src, dest, None)
    assert digest == sha256_file(src) and dest.read_bytes() == src.read_bytes()


def test_read_gguf_refuses_what_is_not_gguf(tmp_path: Path) -> None:
    pdf = tmp_path / "manual.gguf"
    pdf.write_bytes(b"%PDF-1.7 not a model")
    with pytest.raises(InvalidRequest, match="not a GGUF model file"):
        read_gguf(pdf)
    truncated = tmp_path / "trunc.gguf"
    truncated.write_bytes(b"GGUF\x03\x00\x00\x00\x01")
    with pytest.raises(InvalidRequest, match="damaged GGUF"):
        read_gguf(truncated)
    with pytest.raises(InvalidRequest, match="no such file"):
        read_gguf(tmp_path / "absent.gguf")


@pytest.fixture
def models(tmp_path: Path) -> ModelService:
    db = Database(tmp_path / "g.db")
    db.migrate()
    clock = FixedClock()
    return ModelService(ModelRepository(db), tmp_path, clock, Authoriser(MemoryAuditSink(), clock))


CONSOLE = console("operator")


def test_register_rejects_bad_names_and_files_without_storing(models: ModelService, tmp_path: Path) -> None:
    junk = tmp_path / "junk.gguf"
    junk.write_bytes(b"not gguf")
    with pytest.raises(InvalidRequest, match="not valid"):
        models.register_file(CONSOLE, junk, name="bad name!", license="MIT", origin="")
    with pytest.raises(InvalidRequest, match="not a GGUF"):
        models.register_file(CONSOLE, junk, name="junk", license="MIT", origin="")
    with pytest.raises(InvalidRequest, match="license"):
        models.register_file(CONSOLE, junk, name="junk", license=" ", origin="")
    assert models.list() == []
    assert not (tmp_path / "models").exists() or list((tmp_path / "models").iterdir()) == []


def test_remote_models_need_an_allowed_host(models: ModelService) -> None:
    with pytest.raises(InvalidRequest, match="allow-list"):
        models.register_remote(
            CONSOLE,
            name="vllm-70b",
            base_url="http://gpu01.enclave:8000/v1",
            remote_model="llama",
            license="Llama 3.3",
            origin="",
            context_length=8192,
            host_allowed=lambda h: False,
        )
    with pytest.raises(InvalidRequest, match="http"):
        models.register_remote(
            CONSOLE,
            name="vllm-70b",
            base_url="ftp://gpu01",
            remote_model="llama",
            license="x",
            origin="",
            context_length=8192,
            host_allowed=lambda h: True,
        )
    record = models.register_remote(
        CONSOLE,
        name="vllm-70b",
        base_url="http://gpu01.enclave:8000/v1",
        remote_model="llama",
        license="Llama 3.3",
        origin="depot GPU server",
        context_length=8192,
        host_allowed=lambda h: h == "gpu01.enclave",
    )
    assert models.get("vllm-70b") == record
    with pytest.raises(Conflict):
        models.register_remote(
            CONSOLE,
            name="vllm-70b",
            base_url="http://gpu01.enclave:8000/v1",
            remote_model="llama",
            license="x",
            origin="",
            context_length=1,
            host_allowed=lambda h: True,
        )
    assert models.verify(record).ok


def test_register_in_place_checks_the_announced_hash(models: ModelService, tmp_path: Path) -> None:
    from garrison.catalog.embedded import locate_embedded

    with pytest.raises(IntegrityError, match="--sha256 says " + "0" * 64):
        models.register_file(
            CONSOLE,
            locate_embedded(),
            name="pinned",
            license="Apache-2.0",
            origin="",
            copy=False,
            expected_sha256="0" * 64,
        )
    assert models.list() == []


def test_a_registered_model_is_nobodys_until_released(models: ModelService) -> None:
    from garrison.core.types import Principal

    record = models.register_remote(
        CONSOLE,
        name="vllm-70b",
        base_url="http://gpu01.enclave:8000/v1",
        remote_model="llama",
        license="Llama 3.3",
        origin="",
        context_length=8192,
        host_allowed=lambda h: True,
    )
    assert record.eligibility.describe() == "nobody" and models.eligibility("vllm-70b") == record.eligibility
    released = models.set_eligibility(CONSOLE, "vllm-70b", ["NATO", "usa", "org:mod-it"])
    assert released.eligibility.tokens() == ["NATO", "USA", "org:mod-it"]
    assert models.eligibility("vllm-70b").groups == {"NATO"}
    assert models.set_eligibility(CONSOLE, "vllm-70b", ["everyone"]).eligibility.everyone
    assert models.set_eligibility(CONSOLE, "vllm-70b", []).eligibility.describe() == "nobody"
    for words, message in (
        (["ATLANTIS"], "ISO 3166 alpha-3"),
        (["org:Bad Org"], "org:<organisation id>"),
        (["everyone", "FRA"], "cannot be combined"),
    ):
        with pytest.raises(InvalidRequest, match=message):
            models.set_eligibility(CONSOLE, "vllm-70b", words)
    org_admin = Principal(user_id="a", name="a", role="admin", organisation="mod-it")
    with pytest.raises(PermissionDenied, match="only the operator's administrators"):
        models.set_eligibility(org_admin, "vllm-70b", ["everyone"])
    assert models.eligibility("vllm-70b").describe() == "nobody"
