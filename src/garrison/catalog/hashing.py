"""SHA-256 of model files, streamed so multi-GB weights never sit in memory."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from garrison.core.errors import IntegrityError

CHUNK = 4 * 1024 * 1024
Progress = Callable[[int], None]


def sha256_file(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
            if progress is not None:
                progress(len(block))
    return digest.hexdigest()


def verify_file(name: str, path: Path, expected: str, progress: Progress | None = None) -> None:
    """Raise :class:`IntegrityError` naming the model and both hashes when the file differs."""
    if not path.is_file():
        raise IntegrityError(f"model '{name}': file {path} is missing")
    actual = sha256_file(path, progress)
    if actual != expected.lower():
        raise IntegrityError(
            f"model '{name}' failed verification: {path} has SHA-256 {actual}, "
            f"the catalog pins {expected.lower()}; refusing to load it"
        )


def copy_verified(name: str, src: Path, dest: Path, expected: str | None, progress: Progress | None = None) -> str:
    """Copy ``src`` to ``dest`` atomically, hashing on the way, and return the SHA-256.

    With ``expected`` set, a mismatch raises and nothing is left behind."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out, src.open("rb") as inp:
            while block := inp.read(CHUNK):
                digest.update(block)
                out.write(block)
                if progress is not None:
                    progress(len(block))
            out.flush()
            os.fsync(out.fileno())
        actual = digest.hexdigest()
        if expected is not None and actual != expected.lower():
            raise IntegrityError(
                f"model '{name}' failed verification: {src} has SHA-256 {actual}, "
                f"the catalog pins {expected.lower()}; refusing to provision it"
            )
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return actual
