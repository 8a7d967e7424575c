"""The use-case objects an adapter may hold, bundled by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from garrison.core.types import Principal
from garrison.service.audit import AuditService
from garrison.service.demo import DemoService
from garrison.service.documents import DocumentService
from garrison.service.guard import GuardService
from garrison.service.identity import IdentityService
from garrison.service.ingestion import IngestionQueue
from garrison.service.keys import KeyService
from garrison.service.models import ModelService
from garrison.service.privacy import PrivacyService
from garrison.service.setup import SetupService
from garrison.service.usage import UsageService


@dataclass(frozen=True, slots=True)
class Services:
    keys: KeyService
    models: ModelService
    identity: IdentityService
    usage: UsageService
    setup: SetupService
    host_allowed: Callable[[str], bool]
    console: Principal  # who the local command line acts as
    documents: DocumentService
    demo: DemoService
    ingestion: IngestionQueue
    audit: AuditService
    privacy: PrivacyService
    guard: GuardService
