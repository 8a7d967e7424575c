"""The models being served: each verified against its pinned hash, then loaded into its engine.

A model that fails verification or loading is kept out with its reason: requests for it get a
503 that says why, the others keep serving.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from garrison.core.errors import EngineUnavailable, GarrisonError, ModelNotFound
from garrison.core.types import ModelRecord
from garrison.engines.base import Engine
from garrison.service.metrics import Metrics
from garrison.service.models import ModelService

log = logging.getLogger("garrison.pool")

EngineFactory = Callable[[ModelRecord], Engine]


@dataclass(frozen=True, slots=True)
class Refused:
    record: ModelRecord
    error: GarrisonError


class ModelPool:
    def __init__(self, models: ModelService, factory: EngineFactory, metrics: Metrics) -> None:
        self._models = models
        self._factory = factory
        self._metrics = metrics
        self._engines: dict[str, Engine] = {}
        self._records: dict[str, ModelRecord] = {}
        self._refused: dict[str, Refused] = {}
        self.started = False

    def start(self, names: list[str] | None = None) -> None:
        """Verify and load the catalog's models (or just ``names``)."""
        for record in self._models.list():
            if names is not None and record.name not in names:
                continue
            self.load(record)
        self.started = True

    def load(self, record: ModelRecord) -> None:
        try:
            result = self._models.verify(record)
            if not result.ok:
                raise EngineUnavailable(result.message, code="model_integrity_failed")
            engine = self._factory(record)
        except GarrisonError as exc:
            log.error("model %s not served: %s", record.name, exc.message)
            self._refused[record.name] = Refused(record, exc)
            self._metrics.models_loaded.labels(model=record.name).set(0)
            return
        self._engines[record.name] = engine
        self._records[record.name] = record
        self._refused.pop(record.name, None)
        self._metrics.models_loaded.labels(model=record.name).set(1)
        self._metrics.track_active(record.name, engine.active_requests)
        log.info("model %s verified and loaded (%s)", record.name, record.engine)

    def get(self, name: str) -> tuple[ModelRecord, Engine]:
        engine = self._engines.get(name)
        if engine is not None:
            return self._records[name], engine
        refused = self._refused.get(name)
        if refused is not None:
            raise EngineUnavailable(
                f"The model '{name}' is registered but not being served: {refused.error.message}",
                code=refused.error.code,
            )
        raise ModelNotFound(f"The model '{name}' does not exist", param="model")

    def served(self) -> list[ModelRecord]:
        return list(self._records.values())

    def refused(self) -> list[Refused]:
        return list(self._refused.values())

    def engines(self) -> dict[str, Engine]:
        return dict(self._engines)

    async def close(self) -> None:
        for engine in self._engines.values():
            await engine.close()
        self._engines.clear()
        self._records.clear()
