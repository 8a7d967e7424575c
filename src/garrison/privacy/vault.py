"""The pseudonym vault: each conversation's or document's table of placeholders, encrypted per
organisation with AES-256-GCM (``cryptography``).

Keys, in two levels (envelope encryption, as KMSs do it):

- the **vault key** (``vault.key`` beside the database, owner-only, made by ``garrison init`` or
  the first start) seals each organisation's data key; it never enters the database;
- each organisation's **data key** (random, 256 bits) seals that organisation's tables. The
  associated data binds a ciphertext to its organisation and table id, so a row copied to another
  organisation or id does not decrypt.

A lost vault key makes every table unreadable: restoring pseudonyms is then impossible, by design.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import stat
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from garrison.core.clock import Clock
from garrison.core.errors import ConfigurationError, NotFound
from garrison.privacy.operators import Pseudonyms
from garrison.store.files import write_private
from garrison.store.privacy import PrivacyRepository, Sealed, VaultEntry

KEY_FILE = "vault.key"
_HEADER = "GARRISON VAULT KEY v1\n"


def ensure_vault_key(data_dir: Path) -> bytes:
    """The deployment's vault key, made (owner-only) the first time."""
    path = data_dir / KEY_FILE
    if not path.exists():
        write_private(path, _HEADER + base64.b64encode(AESGCM.generate_key(bit_length=256)).decode() + "\n")
    return load_vault_key(path)


def load_vault_key(path: Path) -> bytes:
    try:
        info = path.stat()
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(f"cannot read the vault key {path}: {exc}") from exc
    if info.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(f"the vault key {path} is readable by others: run `chmod 600 {path}`")
    if not text.startswith(_HEADER):
        raise ConfigurationError(f"{path} is not a Garrison vault key")
    try:
        key = base64.b64decode(text[len(_HEADER) :].strip(), validate=True)
    except ValueError as exc:
        raise ConfigurationError(f"the vault key {path} is damaged: {exc}") from exc
    if len(key) != 32:
        raise ConfigurationError(f"the vault key {path} is damaged: {len(key)} bytes, not 32")
    return key


def _seal(key: bytes, plaintext: bytes, aad: bytes) -> Sealed:
    nonce = os.urandom(12)
    return Sealed(nonce, AESGCM(key).encrypt(nonce, plaintext, aad))


def _open(key: bytes, sealed: Sealed, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, aad)


class Vault:
    def __init__(self, repo: PrivacyRepository, vault_key: bytes, clock: Clock) -> None:
        self._repo = repo
        self._kek = vault_key
        self._clock = clock
        self._keys: dict[str, bytes] = {}

    def data_key(self, organisation: str) -> bytes:
        """The organisation's data key, made on first use."""
        key = self._keys.get(organisation)
        if key is not None:
            return key
        aad = f"garrison-data-key\x00{organisation}".encode()
        sealed = self._repo.wrapped_key(organisation)
        if sealed is None:
            sealed = self._repo.add_key(
                organisation, _seal(self._kek, AESGCM.generate_key(256), aad), self._clock.now()
            )
        try:
            key = _open(self._kek, sealed, aad)
        except InvalidTag as exc:
            raise ConfigurationError(
                "the vault key does not open this organisation's data key: it is not the key the vault was made with"
            ) from exc
        self._keys[organisation] = key
        return key

    @staticmethod
    def new_id() -> str:
        return "ps_" + secrets.token_urlsafe(18)

    def save(self, organisation: str, entry_id: str, table: Pseudonyms, actor: str) -> None:
        now = self._clock.now()
        previous = self._repo.entry(entry_id)
        if previous is not None and previous.organisation != organisation:
            raise NotFound(f"no pseudonym table {entry_id!r}", code="privacy_session_not_found")
        body = json.dumps(table.values, ensure_ascii=False, sort_keys=True).encode()
        sealed = _seal(self.data_key(organisation), body, _aad(organisation, entry_id))
        created = previous.created_at if previous is not None else now
        creator = previous.created_by if previous is not None else actor
        self._repo.put(VaultEntry(entry_id, organisation, creator, created, now, sealed))

    def owner(self, entry_id: str) -> str | None:
        entry = self._repo.entry(entry_id)
        return entry.organisation if entry is not None else None

    def load(self, organisation: str, entry_id: str) -> Pseudonyms:
        """The table ``entry_id`` of ``organisation``; NotFound for another organisation's (no oracle)."""
        entry = self._repo.entry(entry_id)
        if entry is None or entry.organisation != organisation:
            raise NotFound(f"no pseudonym table {entry_id!r}", code="privacy_session_not_found")
        try:
            body = _open(self.data_key(organisation), entry.sealed, _aad(organisation, entry_id))
        except InvalidTag as exc:
            raise ConfigurationError(f"the pseudonym table {entry_id!r} does not decrypt: it was altered") from exc
        return Pseudonyms.of(json.loads(body))

    def purge(self, older_than_seconds: float) -> int:
        return self._repo.purge(self._clock.now() - older_than_seconds)


def _aad(organisation: str, entry_id: str) -> bytes:
    return f"garrison-vault\x00{organisation}\x00{entry_id}".encode()
