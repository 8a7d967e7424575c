"""First-run set-up: schema, embedded model, the operator organisation, its first admin and key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from garrison.catalog.hashing import Progress
from garrison.core.types import ModelRecord, Organisation, Principal
from garrison.service.identity import IdentityService
from garrison.service.keys import KeyService
from garrison.service.models import ModelService
from garrison.store.files import write_private

ADMIN_KEY_FILE = "admin.key"
ADMIN_USER = "admin"


@dataclass(frozen=True, slots=True)
class InitResult:
    data_dir: Path
    schema_version: int
    model: ModelRecord
    operator: Organisation
    admin_key: str | None  # set only on the run that created it
    admin_key_file: Path


class SetupService:
    def __init__(
        self,
        data_dir: Path,
        schema_version: int,
        models: ModelService,
        identity: IdentityService,
        keys: KeyService,
        console: Principal,
        *,
        audit_public_key: Path | None = None,
    ) -> None:
        self.audit_public_key = audit_public_key
        self._data_dir = data_dir
        self._schema_version = schema_version
        self._models = models
        self._identity = identity
        self._keys = keys
        self._console = console

    @property
    def admin_key_file(self) -> Path:
        return self._data_dir / ADMIN_KEY_FILE

    def init(
        self,
        progress: Callable[[int, int], Progress] | None = None,
        *,
        organisation: str = "operator",
        nation: str | None = None,
    ) -> InitResult:
        """Idempotent: a second run verifies the model and leaves the rest as it is. The operator
        organisation (``organisation``, ``nation``) is created on the first run only."""
        model = self._models.provision_embedded(progress)
        operator = self._identity.ensure_operator(self._console, organisation, nation)
        admin_key: str | None = None
        if not self._keys.has_keys():
            admin = self._identity.ensure_user(self._console, ADMIN_USER, organisation=operator.id, role="admin")
            created = self._keys.create(self._console, admin.id, "bootstrap admin")
            admin_key = created.key
            write_private(self.admin_key_file, created.key + "\n")
        return InitResult(
            data_dir=self._data_dir,
            schema_version=self._schema_version,
            model=model,
            operator=operator,
            admin_key=admin_key,
            admin_key_file=self.admin_key_file,
        )
