"""Read what a GGUF file says about itself (architecture, context length, licence, template)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from garrison.core.errors import InvalidRequest

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True, slots=True)
class GgufInfo:
    architecture: str
    name: str | None
    context_length: int | None
    license: str | None
    chat_template: str | None
    has_pooling: bool


def read_gguf(path: Path) -> GgufInfo:
    """Parse the header of a GGUF file; anything else is refused with a message that says why."""
    if not path.is_file():
        raise InvalidRequest(f"{path}: no such file")
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic != GGUF_MAGIC:
        raise InvalidRequest(
            f"{path}: not a GGUF model file (it starts with {magic!r}, expected b'GGUF'); "
            "convert it with llama.cpp's convert_hf_to_gguf.py first"
        )
    from gguf import GGUFReader  # heavy import (numpy), only when a file is registered

    try:
        reader = GGUFReader(str(path), "r")
    except Exception as exc:  # the library raises ValueError, struct errors, IndexError...
        raise InvalidRequest(f"{path}: damaged GGUF file ({exc})") from exc

    def field(key: str) -> Any:
        f = reader.fields.get(key)
        if f is None:
            return None
        return f.contents()

    arch = field("general.architecture")
    if not isinstance(arch, str):
        raise InvalidRequest(f"{path}: GGUF file has no general.architecture")
    ctx = field(f"{arch}.context_length")
    return GgufInfo(
        architecture=arch,
        name=field("general.name"),
        context_length=int(ctx) if ctx is not None else None,
        license=field("general.license"),
        chat_template=field("tokenizer.chat_template"),
        has_pooling=field(f"{arch}.pooling_type") is not None,
    )
