"""Settings: read once, here, from ``GARRISON_*`` environment variables (or CLI flags that set
them), then passed down as plain values. docs/configuration.md is generated from this class and
a test fails when the two disagree."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from garrison.core.errors import ConfigurationError


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GARRISON_", extra="ignore", frozen=True)

    data_dir: Path = Field(Path("var/garrison"), description="Data directory: database, models, admin key.")
    host: str = Field("127.0.0.1", description="Address the server binds to.")
    port: int = Field(8642, ge=1, le=65535, description="TCP port of the server.")
    allow_remote_bind: bool = Field(
        False, description="Allow binding to a non-loopback address (put TLS in front of it)."
    )
    egress_allow: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated hosts the server may connect to (remote engines). Loopback is always allowed.",
    )
    serve_models: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated model names to load; empty: every registered model."
    )
    llamacpp_parallel: int = Field(8, ge=1, le=256, description="llama.cpp slots: requests decoded together.")
    llamacpp_slot_context: int = Field(
        2048, ge=256, description="Tokens per slot (prompt + answer); capped at the model's context length."
    )
    llamacpp_threads: int = Field(
        default_factory=lambda: os.cpu_count() or 2, ge=1, description="CPU threads llama.cpp uses."
    )
    llamacpp_nice: int = Field(
        5,
        ge=0,
        le=19,
        description="How much lower llama.cpp's threads are scheduled than the gateway's (Linux nice): the "
        "work of admitting a request (authentication, personal-data detection, guards) then goes before token "
        "generation, which sharing the same cores would otherwise hold up; 0: the same priority.",
    )
    max_body_bytes: int = Field(4 * 1024 * 1024, ge=1024, description="Largest accepted request body (413 above).")
    max_messages: int = Field(256, ge=1, description="Most messages in one chat request.")
    max_prompt_chars: int = Field(200_000, ge=1, description="Most characters of text in one request.")
    max_embedding_inputs: int = Field(256, ge=1, description="Most inputs in one embeddings request.")
    rate_limit_per_minute: float = Field(
        0, ge=0, description="Model requests per minute per API key (token bucket); 0 turns the limit off."
    )
    rate_limit_burst: int = Field(
        20, ge=1, description="Requests one API key may send at once before the rate applies."
    )
    user_rate_limit_per_minute: float = Field(
        0, ge=0, description="Model requests per minute per person, unless their own quota says otherwise; 0: off."
    )
    user_rate_limit_burst: int = Field(20, ge=1, description="Requests one person may send at once.")
    organisation_rate_limit_per_minute: float = Field(
        0, ge=0, description="Model requests per minute per organisation, unless its own quota says otherwise; 0: off."
    )
    organisation_rate_limit_burst: int = Field(100, ge=1, description="Requests one organisation may send at once.")
    user_daily_tokens: int = Field(
        0, ge=0, description="Tokens (prompt + completion) per person per UTC day, unless their own quota says; 0: off."
    )
    organisation_daily_tokens: int = Field(
        0, ge=0, description="Tokens per organisation per UTC day, unless its own quota says otherwise; 0: off."
    )
    usage_flush_seconds: float = Field(
        5.0, gt=0, le=3600, description="How often metered usage is written to the database (one transaction)."
    )
    oidc_jwks_file: Path | None = Field(
        None, description="JWKS file of the identity provider's signing keys; set it to accept OIDC bearer tokens."
    )
    oidc_issuer: str | None = Field(None, description="Expected 'iss' of OIDC tokens (required with the JWKS file).")
    oidc_audience: str = Field("garrison", description="Expected 'aud' of OIDC tokens.")
    oidc_claims: dict[str, str] = Field(
        default_factory=dict,
        description='JSON map of identity attribute to claim name, e.g. {"organisation": "org", '
        '"clearance": "clr"}; attributes: subject, name, organisation, nationality, clearance, caveats, role.',
    )
    embedding_model: str = Field(
        "multilingual-e5-small", description="The catalog model that embeds documents and queries for search."
    )
    embedding_threads: int = Field(2, ge=1, le=64, description="CPU threads of the embedding engine.")
    max_document_bytes: int = Field(
        64 * 1024 * 1024, ge=1024, description="Largest document accepted for ingestion (API upload or CLI)."
    )
    retrieval_min_similarity: float = Field(
        0.81,
        ge=0,
        le=1,
        description="Cosine similarity a passage needs to be given to the model as a source; with none, the "
        "answer says the documents do not answer (calibrated for multilingual-e5-small: docs/documents.md).",
    )
    audit_checkpoint_seconds: float = Field(
        5.0,
        gt=0,
        le=3600,
        description="How often the audit log signs a checkpoint when it has grown (and always on shutdown): "
        "records after the latest checkpoint are vouched for by nothing but the file until then.",
    )
    privacy_languages: list[str] = Field(
        ["en", "fr", "it", "de"],
        description="Languages personal data is detected in (a comma-separated list of en, fr, it, de); each "
        "text's language is detected among them.",
    )
    privacy_default_language: str = Field(
        "en", description="The language of texts too short to tell, and of the patterns that redact logs."
    )
    privacy_cache: int = Field(
        4096,
        ge=0,
        le=1_000_000,
        description="Detections of personal data kept (per user, under a keyed hash, least recently used out) so "
        "that a conversation resent with every turn is detected once; 0 turns the cache off.",
    )
    privacy_vault_days: float = Field(
        90.0,
        gt=0,
        description="Days a pseudonym table is kept after its last use; then its pseudonyms can no longer be restored.",
    )
    guard_model: str | None = Field(
        None,
        description="A registered Llama Guard model to classify every prompt beside the built-in guard (its "
        "licence and Meta's acceptable-use policy are the deployment's to accept); unset: the built-in guard alone.",
    )
    remote_api_key: str | None = Field(
        None, description="Bearer key sent to remote OpenAI-compatible engines, if they need one."
    )
    log_level: str = Field("INFO", description="Log level (DEBUG, INFO, WARNING, ERROR).")

    @field_validator("egress_allow", "serve_models", "privacy_languages", mode="before")
    @classmethod
    def _split(cls, v: object) -> object:
        if isinstance(v, str):
            return [p.strip() for p in v.split(",") if p.strip()]
        return v

    @property
    def database_path(self) -> Path:
        return self.data_dir / "garrison.db"

    @property
    def audit_path(self) -> Path:
        return self.data_dir / "audit.db"

    def check_oidc(self) -> None:
        if self.oidc_jwks_file is not None and not self.oidc_issuer:
            raise ConfigurationError(
                "GARRISON_OIDC_JWKS_FILE is set but GARRISON_OIDC_ISSUER is not: tokens must name the issuer "
                "this server trusts"
            )

    def check_bind(self) -> None:
        from garrison.security.egress import is_loopback

        if not is_loopback(self.host) and not self.allow_remote_bind:
            raise ConfigurationError(
                f"refusing to listen on {self.host}: only loopback is allowed by default. Put a TLS "
                "proxy in front and set GARRISON_ALLOW_REMOTE_BIND=true if you really mean it"
            )


def load_settings(**overrides: object) -> Settings:
    clean = {k: v for k, v in overrides.items() if v is not None}
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except Exception as exc:
        raise ConfigurationError(f"invalid settings: {exc}") from exc
