"""First-run set-up: schema, embedded model, bootstrap admin key."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from garrison.catalog.hashing import Progress
from garrison.core.types import ModelRecord
from garrison.service.keys import KeyService
from garrison.service.models import ModelService

ADMIN_KEY_FILE = "admin.key"


@dataclass(frozen=True, slots=True)
class InitResult:
    data_dir: Path
    schema_version: int
    model: ModelRecord
    admin_key: str | None  # set only on the run that created it
    admin_key_file: Path


class SetupService:
    def __init__(self, data_dir: Path, schema_version: int, models: ModelService, keys: KeyService) -> None:
        self._data_dir = data_dir
        self._schema_version = schema_version
        self._models = models
        self._keys = keys

    @property
    def admin_key_file(self) -> Path:
        return self._data_dir / ADMIN_KEY_FILE

    def init(self, progress: Callable[[int, int], Progress] | None = None) -> InitResult:
        model = self._models.provision_embedded(progress)
        admin_key: str | None = None
        if not self._keys.has_keys():
            created = self._keys.create("bootstrap admin", role="admin")
            admin_key = created.key
            _write_secret(self.admin_key_file, created.key + "\n")
        return InitResult(
            data_dir=self._data_dir,
            schema_version=self._schema_version,
            model=model,
            admin_key=admin_key,
            admin_key_file=self.admin_key_file,
        )


def _write_secret(path: Path, text: str) -> None:
    """Write a file only its owner can read, atomically (never world-readable, even briefly)."""
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
