"""The audit log's Ed25519 signing key on disk, in Go's note key formats.

``audit.key`` holds ``PRIVATE+KEY+<name>+<hash>+<key>``, readable by its owner only, written
atomically and never world-readable, even briefly (store/files.py); a key file others can read is refused, as ssh
refuses one. ``audit.pub`` holds the verifier key ``<name>+<hash>+<key>`` that inspectors are
given (and that Go's ``note.NewVerifier`` reads). The name is the log's origin line in every
checkpoint: ``garrison/<host>/<8 hex>``, unique to the deployment.
"""

from __future__ import annotations

import re
import secrets
import socket
import stat
from pathlib import Path

from garrison.audit.note import NoteError, SigningKey, VerifierKey
from garrison.core.errors import ConfigurationError
from garrison.store.files import write_private

KEY_FILE = "audit.key"
PUBLIC_FILE = "audit.pub"


def default_name() -> str:
    host = re.sub(r"[^A-Za-z0-9.-]", "-", socket.gethostname())[:63].strip("-.") or "host"
    return f"garrison/{host}/{secrets.token_hex(4)}"


def ensure_key(data_dir: Path, name: str | None = None) -> tuple[SigningKey, bool]:
    """The deployment's signing key, created on first use; (key, created)."""
    path = data_dir / KEY_FILE
    if path.exists():
        return load_key(data_dir), False
    key = SigningKey.generate(name or default_name())
    write_private(path, key.to_text() + "\n")
    write_private(data_dir / PUBLIC_FILE, key.verifier().to_text() + "\n", 0o644)
    return key, True


def load_key(data_dir: Path) -> SigningKey:
    path = data_dir / KEY_FILE
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise ConfigurationError(f"the audit signing key {path} is missing: run `garrison init` to create it") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigurationError(f"the audit signing key {path} can be read by others: run `chmod 600 {path}`")
    try:
        return SigningKey.from_text(path.read_text(encoding="utf-8").strip())
    except (NoteError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"the audit signing key {path} is damaged: {exc}") from exc


def load_verifier(text: str, source: str) -> VerifierKey:
    try:
        return VerifierKey.from_text(text.strip())
    except NoteError as exc:
        raise ConfigurationError(f"{source} is not a verifier key (name+hash+key): {exc}") from exc
