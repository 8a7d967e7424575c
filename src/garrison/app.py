"""The composition root: the one place that reads settings and builds every concrete object."""

from __future__ import annotations

import atexit
import getpass
import logging
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI

from garrison.api.app import create_app
from garrison.audit.keys import PUBLIC_FILE, ensure_key, load_key
from garrison.audit.log import AuditLog
from garrison.audit.note import VerifierKey
from garrison.audit.sinks import LoggingAuditSink
from garrison.config import Settings, load_settings
from garrison.core.clock import Clock, RandomIds, SystemClock
from garrison.core.documents import Embedder
from garrison.core.errors import ConfigurationError, GarrisonError, InvalidRequest
from garrison.core.events import AuditSink
from garrison.core.types import Capability, ModelRecord, Principal
from garrison.engines.base import Engine
from garrison.engines.e5 import E5Engine
from garrison.engines.fake import FakeEngine
from garrison.engines.llamacpp import LlamaCppConfig, LlamaCppEngine
from garrison.engines.openai_remote import RemoteOpenAIEngine
from garrison.privacy.detector import CACHE_SIZE, Detector, PatternScanner
from garrison.privacy.vault import KEY_FILE as VAULT_KEY_FILE
from garrison.privacy.vault import Vault, ensure_vault_key, load_vault_key
from garrison.security import egress
from garrison.security.oidc import ClaimMap, OidcVerifier
from garrison.security.quotas import RateLimiter
from garrison.service.admission import Admission, QuotaDefaults
from garrison.service.audit import AuditService
from garrison.service.auth import Authenticator
from garrison.service.authz import Authoriser
from garrison.service.container import Services
from garrison.service.demo import DemoService
from garrison.service.documents import DocumentService
from garrison.service.gateway import Gateway
from garrison.service.guard import GuardService
from garrison.service.identity import IdentityService, console
from garrison.service.ingestion import IngestionQueue
from garrison.service.keys import KeyService
from garrison.service.library import Library
from garrison.service.limits import Limits
from garrison.service.metrics import Metrics
from garrison.service.models import ModelService
from garrison.service.pool import EngineFactory, ModelPool
from garrison.service.privacy import PrivacyService, RedactingSink, Redactor
from garrison.service.setup import SetupService
from garrison.service.usage import UsageService
from garrison.store.audit import AuditStore
from garrison.store.db import Database
from garrison.store.documents import DocumentRepository
from garrison.store.guard import GuardRepository
from garrison.store.identity import IdentityRepository
from garrison.store.keys import KeyRepository
from garrison.store.models import ModelRepository
from garrison.store.privacy import PrivacyRepository
from garrison.store.usage import UsageRepository

log = logging.getLogger("garrison")
DEMO_CORPUS = Path(__file__).resolve().parent / "demo_corpus"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    services: Services
    pool: ModelPool
    gateway: Gateway
    metrics: Metrics
    egress: egress.EgressPolicy
    audit: AuditSink


def open_data_dir(settings: Settings, *, create: bool) -> Path:
    data_dir = settings.data_dir.expanduser().resolve()
    if create:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(data_dir, 0o700)
    elif not settings.database_path.expanduser().exists():
        raise ConfigurationError(f"no Garrison data directory at {data_dir}: run `garrison init` first (or `make run`)")
    return data_dir


def install_egress_guard(settings: Settings, metrics: Metrics | None = None) -> egress.EgressPolicy:
    policy = egress.EgressPolicy()
    policy.allow(settings.egress_allow)
    if metrics is not None:
        policy.on_refused.append(lambda _what: metrics.egress_refused.inc())
    return egress.install(policy)


def engine_factory(settings: Settings, models: ModelService, policy: egress.EgressPolicy) -> EngineFactory:
    def build(record: ModelRecord) -> Engine:
        if record.engine == "llamacpp":
            config = LlamaCppConfig(
                path=models.path_of(record),
                parallel=settings.llamacpp_parallel,
                slot_context=min(settings.llamacpp_slot_context, record.context_length),
                threads=settings.llamacpp_threads,
                nice=settings.llamacpp_nice,
                chat_template=record.chat_template,
                embeddings=record.embeddings,
            )
            return LlamaCppEngine(record.name, config)
        if record.engine == "e5":
            return E5Engine(record.name, models.path_of(record), threads=settings.embedding_threads)
        if record.engine == "openai":
            return RemoteOpenAIEngine(
                record.name,
                base_url=record.base_url or "",
                remote_model=record.remote_model or record.name,
                context_length=record.context_length,
                host_allowed=policy.permits,
                api_key=settings.remote_api_key,
            )
        if record.engine == "fake":
            return FakeEngine(record.name, context_length=record.context_length)
        raise InvalidRequest(f"model {record.name}: unknown engine {record.engine!r}")

    return build


def quota_defaults(settings: Settings) -> QuotaDefaults:
    return QuotaDefaults(
        key_per_minute=settings.rate_limit_per_minute,
        key_burst=settings.rate_limit_burst,
        user_per_minute=settings.user_rate_limit_per_minute,
        user_burst=settings.user_rate_limit_burst,
        organisation_per_minute=settings.organisation_rate_limit_per_minute,
        organisation_burst=settings.organisation_rate_limit_burst,
        user_daily_tokens=settings.user_daily_tokens,
        organisation_daily_tokens=settings.organisation_daily_tokens,
    )


def oidc_verifier(settings: Settings) -> OidcVerifier | None:
    settings.check_oidc()
    if settings.oidc_jwks_file is None:
        return None
    return OidcVerifier.from_file(
        settings.oidc_jwks_file,
        issuer=settings.oidc_issuer or "",
        audience=settings.oidc_audience,
        claims=ClaimMap.from_mapping(settings.oidc_claims),
    )


def single_threaded_blas() -> None:
    """numpy's OpenBLAS runs the index's dense scoring on one thread. Its worker threads spin after
    each call, and on a small machine they starve the embedding engine's OpenMP threads: measured on
    2 cores, an E5 query embedding takes 107 ms right after a 50,000-vector product with two BLAS
    threads and 10 ms with one (the product itself 6 ms and 5.5 ms)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


_DETECTORS: dict[tuple[tuple[str, ...], str, int], Detector] = {}
_DETECTORS_LOCK = threading.Lock()


def shared_detector(languages: tuple[str, ...], default: str, cache: int = CACHE_SIZE) -> Detector:
    """One detector per process and configuration, built when first needed: its language models
    (spaCy pipelines, lingua) take seconds to load and a few hundred MB. Its only state is its
    cache of detections, each a pure function of a text and what was asked, kept per user."""
    with _DETECTORS_LOCK:
        found = _DETECTORS.get((languages, default, cache))
        if found is None:
            found = _DETECTORS[(languages, default, cache)] = Detector(
                languages, default_language=default, cache_size=cache
            )
        return found


def vault_key(data_dir: Path, repo: PrivacyRepository) -> bytes:
    """The vault key; made on first use, but never remade over keys it sealed (that would lose them)."""
    path = data_dir / VAULT_KEY_FILE
    if path.exists():
        return load_vault_key(path)
    if repo.key_count() > 0:
        raise ConfigurationError(
            f"the vault key {path} is missing, and the vault holds data keys sealed with it: restore it from a "
            "backup (without it no pseudonym can be restored)"
        )
    return ensure_vault_key(data_dir)


def build(
    settings: Settings,
    *,
    create: bool = False,
    factory: EngineFactory | None = None,
    audit: AuditSink | None = None,
    clock: Clock | None = None,
) -> Runtime:
    metrics = Metrics()
    single_threaded_blas()
    policy = install_egress_guard(settings, metrics)
    verifier = oidc_verifier(settings)  # a broken key set is refused before anything is opened
    data_dir = open_data_dir(settings, create=create)
    db = Database(data_dir / "garrison.db")
    version = db.migrate()
    clock = clock or SystemClock()
    audit_service, audit = open_audit(settings, data_dir, create=create, sink=audit)
    redactor = Redactor(PatternScanner(settings.privacy_default_language))
    authz = Authoriser(RedactingSink(audit, redactor.event), clock)
    audit_service.bind(authz)
    identity = IdentityService(IdentityRepository(db), authz, clock)
    keys = KeyService(KeyRepository(db), identity, authz, clock)
    models = ModelService(ModelRepository(db), data_dir, clock, authz)
    local = console(_os_user())
    setup = SetupService(data_dir, version, models, identity, keys, local, audit_public_key=data_dir / PUBLIC_FILE)
    pool = ModelPool(models, factory or engine_factory(settings, models, policy), metrics)
    usage_repo = UsageRepository(db)
    admission = Admission(
        quota_defaults(settings), RateLimiter(clock), usage_repo, clock, flush_seconds=settings.usage_flush_seconds
    )
    guard = GuardService(GuardRepository(db), authz)
    privacy_repo = PrivacyRepository(db)
    languages = tuple(settings.privacy_languages)
    privacy = PrivacyService(
        lambda: shared_detector(languages, settings.privacy_default_language, settings.privacy_cache),
        Vault(privacy_repo, vault_key(data_dir, privacy_repo), clock),
        privacy_repo,
        authz,
    )
    documents = DocumentService(
        DocumentRepository(db),
        Library(DocumentRepository(db), embedder_of(pool, models, settings.embedding_model)),
        authz,
        clock,
        RandomIds(),
        max_bytes=settings.max_document_bytes,
        pseudonymise=privacy.pseudonymise_document,
        flag=guard.flag_document,
    )
    services = Services(
        keys=keys,
        models=models,
        identity=identity,
        usage=UsageService(usage_repo, admission, authz, clock),
        setup=setup,
        host_allowed=policy.permits,
        console=local,
        documents=documents,
        demo=DemoService(identity, keys, documents, data_dir, local, DEMO_CORPUS),
        ingestion=IngestionQueue(documents, clock, RandomIds()),
        audit=audit_service,
        privacy=privacy,
        guard=guard,
    )
    limits = Limits(
        max_messages=settings.max_messages,
        max_prompt_chars=settings.max_prompt_chars,
        max_embedding_inputs=settings.max_embedding_inputs,
    )
    authn = Authenticator(keys, identity, verifier, authz)
    gateway = Gateway(
        authn,
        authz,
        pool,
        models,
        admission,
        limits,
        metrics,
        documents,
        privacy=privacy,
        guard=guard,
        guard_model=settings.guard_model,
        min_similarity=settings.retrieval_min_similarity,
    )
    return Runtime(settings, db, services, pool, gateway, metrics, policy, audit)


def open_audit(
    settings: Settings, data_dir: Path, *, create: bool, sink: AuditSink | None = None
) -> tuple[AuditService, AuditSink]:
    """The tamper-evident log (its signing key created on the first ``garrison init``), and the
    service that reads it. A test may pass another sink; the log file is then only read."""
    store = AuditStore(settings.audit_path)
    if sink is not None:
        return AuditService(store, _verifier(data_dir)), sink
    key = ensure_key(data_dir)[0] if create else load_key(data_dir)
    log_ = AuditLog(store, key, checkpoint_seconds=settings.audit_checkpoint_seconds)
    try:
        log_.open()
    except BaseException:
        store.close()
        raise
    return AuditService(store, key.verifier(), log_), log_


def open_audit_reader(settings: Settings) -> AuditService:
    """The log for `garrison audit ...`: it opens even when the log fails its start-up check (that
    is when it is needed); its own reads are then logged instead of recorded."""
    data_dir = open_data_dir(settings, create=False)
    try:
        service, sink = open_audit(settings, data_dir, create=False)
    except ConfigurationError as exc:
        log.warning("%s", exc)
        store = AuditStore(settings.audit_path, create=False)
        service, sink = AuditService(store, _verifier(data_dir)), LoggingAuditSink()
    service.bind(Authoriser(sink, SystemClock()))
    return service


def _verifier(data_dir: Path) -> VerifierKey | None:
    """The log's public key, when there is a readable signing key."""
    try:
        return load_key(data_dir).verifier()
    except ConfigurationError:
        return None


def embedder_of(pool: ModelPool, models: ModelService, name: str) -> Callable[[], Embedder]:
    """The embedding model from the pool, loaded (verified first) on first use by a process that
    did not load it at start-up, such as the CLI."""
    lock = threading.Lock()

    def get() -> Embedder:
        with lock:
            try:
                _, engine = pool.get(name)
            except GarrisonError:
                pool.load(models.get(name))
                _, engine = pool.get(name)
        if not isinstance(engine, Embedder):
            raise ConfigurationError(f"model {name} cannot embed documents: set GARRISON_EMBEDDING_MODEL")
        return engine

    return get


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (containers)
        return f"uid {os.getuid()}"


def prepare(runtime: Runtime) -> None:
    """Refuse unsafe or useless start-ups, then verify and load the models (once)."""
    if runtime.pool.started:
        return
    if not runtime.services.keys.has_keys() and runtime.settings.oidc_jwks_file is None:
        raise ConfigurationError("no API key exists and no identity provider is configured: run `garrison init` first")
    runtime.pool.start(runtime.settings.serve_models or None)
    chat = [name for name, engine in runtime.pool.engines().items() if Capability.CHAT in engine.capabilities]
    if not chat:  # the embedding model alone answers nothing
        reasons = "; ".join(r.error.message for r in runtime.pool.refused()) or "no chat model is registered"
        raise ConfigurationError(f"no model could be served: {reasons}")
    guard_model = runtime.settings.guard_model
    if guard_model is not None:
        served = {r.name: r for r in runtime.pool.served()}
        if guard_model not in served:
            raise ConfigurationError(
                f"GARRISON_GUARD_MODEL names {guard_model!r}, which is not served: register it (garrison models add "
                "... --use-policy ...) and make it eligible, or unset the setting"
            )
        if not served[guard_model].use_policy:
            log.warning(
                "the guard model %s has no acceptable-use policy recorded: record the licence's (Meta's AUP) with "
                "`garrison models add --use-policy`; the decision to accept it is the deployment's",
                guard_model,
            )
    # the language models of the privacy detector: a missing one stops the start, naming its package
    runtime.services.privacy.warm()
    purged = runtime.services.privacy.purge(runtime.settings.privacy_vault_days)
    log.info("privacy detector ready; %d expired pseudonym table(s) forgotten", purged)


def _warm(runtime: Runtime) -> None:
    try:
        size = runtime.services.documents.library.index().size()
        log.info("search index ready: %d chunks", size)
    except Exception as exc:  # a failure here only means the first search builds it
        log.warning("search index not built in advance: %s", exc)


def create_asgi(runtime: Runtime) -> FastAPI:
    async def start() -> None:
        prepare(runtime)
        runtime.gateway.start()
        # build the search index in the background, so the first search does not pay for it
        threading.Thread(target=_warm, args=(runtime,), name="garrison-index", daemon=True).start()

    return create_app(
        runtime.gateway,
        runtime.services,
        clock=SystemClock(),
        ids=RandomIds(),
        max_body_bytes=runtime.settings.max_body_bytes,
        max_upload_bytes=runtime.settings.max_document_bytes + 1024 * 1024,
        on_startup=start,
    )


def serve(settings: Settings) -> None:
    import uvicorn

    settings.check_bind()
    runtime = build(settings)
    prepare(runtime)  # before uvicorn: a refusal is a plain CLI error, not a lifespan traceback
    app = create_asgi(runtime)
    code = 0
    try:
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level.lower(),
            access_log=False,
            # Never uvloop: libuv opens sockets in C, out of sight of the air-gap audit hook.
            loop="asyncio",
            http="httptools",
            timeout_graceful_shutdown=10,
        )
    except SystemExit as exc:  # uvicorn exits 3 when start-up fails
        code = exc.code if isinstance(exc.code, int) else 1
    # Requests are drained and the engines closed by the lifespan; close what holds data, then
    # leave without running native destructors: xllamacpp's ~Server has been seen to hang while
    # joining llama.cpp's threads (rarely, measured 1 in 7 frees right after a load). After a
    # graceful stop on SIGTERM/SIGINT uvicorn re-raises the signal itself, which ends the process
    # the same way.
    runtime.db.close()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def asgi_from_env() -> FastAPI:
    """``uvicorn --factory garrison.app:asgi_from_env`` entry point."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.privacy_default_language)
    return create_asgi(build(settings))


def configure_logging(level: str, language: str = "en") -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    redact_logs(Redactor(PatternScanner(language)))


UNREDACTED_LOGGERS = frozenset({"garrison.egress"})  # refused destinations: infrastructure, for the security team


def redact_logs(redactor: Redactor) -> Callable[..., logging.LogRecord]:
    """Every log record's message, from any library, redacted as it is made (before any handler);
    returns the factory it replaced (to put back)."""
    make = logging.getLogRecordFactory()
    if getattr(make, "garrison_redacts", False):
        return make

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make(*args, **kwargs)
        if record.name in UNREDACTED_LOGGERS:
            return record
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return record
        redacted = redactor.text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return record

    factory.garrison_redacts = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
    return make


class CliBackend:
    """What the CLI adapter is given: it opens services and serves, nothing more."""

    def open(self, data_dir: Path | None, *, create: bool = False) -> Services:
        settings = load_settings(data_dir=data_dir)
        services = build(settings, create=create).services
        atexit.register(services.audit.close)  # the command's records written, a checkpoint signed
        return services

    def audit(self, data_dir: Path | None) -> tuple[AuditService, Principal]:
        service = open_audit_reader(load_settings(data_dir=data_dir))
        atexit.register(service.close)
        return service, console(_os_user())

    def serve(self, **overrides: object) -> None:
        settings = load_settings(**overrides)
        configure_logging(settings.log_level, settings.privacy_default_language)
        serve(settings)

    def install_guard(self) -> None:
        install_egress_guard(load_settings())

    def data_dir(self, data_dir: Path | None = None) -> Path:
        return load_settings(data_dir=data_dir).data_dir.expanduser().resolve()

    def server_url(self) -> str:
        s = load_settings()
        host = "127.0.0.1" if s.host in ("0.0.0.0", "::") else s.host  # noqa: S104 (a client address)
        return f"http://{host}:{s.port}/v1"


def cli_main() -> None:
    from garrison.cli.main import make_cli

    make_cli(CliBackend())()
