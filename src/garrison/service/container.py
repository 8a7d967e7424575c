"""The use-case objects an adapter may hold, bundled by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from garrison.service.keys import KeyService
from garrison.service.models import ModelService
from garrison.service.setup import SetupService


@dataclass(frozen=True, slots=True)
class Services:
    keys: KeyService
    models: ModelService
    setup: SetupService
    host_allowed: Callable[[str], bool]
