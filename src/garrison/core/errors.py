"""One exception tree. Each class carries its HTTP status and OpenAI error type; the API
translates it once, at the edge, into ``{"error": {"message", "type", "param", "code"}}``."""

from __future__ import annotations


class GarrisonError(Exception):
    """Base of every expected failure. ``code`` is a stable, machine-readable reason."""

    status: int = 500
    type: str = "server_error"
    code: str = "internal_error"

    def __init__(self, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code is not None:
            self.code = code


class InvalidRequest(GarrisonError):
    status = 400
    type = "invalid_request_error"
    code = "invalid_request"


class ContextLengthExceeded(InvalidRequest):
    code = "context_length_exceeded"


class AuthenticationFailed(GarrisonError):
    status = 401
    type = "authentication_error"
    code = "invalid_api_key"


class PermissionDenied(GarrisonError):
    status = 403
    type = "permission_error"
    code = "permission_denied"


class ContentBlocked(PermissionDenied):
    """A guard's verdict refused the text: ``category`` says why (S9, injection, surveillance...)."""

    code = "content_policy_violation"

    def __init__(self, message: str, *, category: str, param: str | None = None) -> None:
        super().__init__(message, param=param)
        self.category = category


class NotFound(GarrisonError):
    status = 404
    type = "invalid_request_error"
    code = "not_found"


class ModelNotFound(NotFound):
    code = "model_not_found"


class PayloadTooLarge(GarrisonError):
    status = 413
    type = "invalid_request_error"
    code = "payload_too_large"


class RateLimited(GarrisonError):
    status = 429
    type = "rate_limit_error"
    code = "rate_limited"
    retry_after: int = 1  # seconds, sent as the Retry-After header


class EngineUnavailable(GarrisonError):
    status = 503
    type = "server_error"
    code = "engine_unavailable"


class EgressRefused(EngineUnavailable):
    """An outbound connection to a host outside the allow-list was refused by the air-gap guard."""

    code = "egress_refused"


class IntegrityError(GarrisonError):
    """A model file does not match its pinned SHA-256: it is never served."""

    status = 503
    type = "server_error"
    code = "model_integrity_failed"


class StorageUnavailable(GarrisonError):
    """The database could not be read or written (disk full, locked, read-only, corrupt).
    The transaction was rolled back: nothing was half-stored."""

    status = 503
    type = "server_error"
    code = "storage_unavailable"


class ConfigurationError(GarrisonError):
    """Settings or on-disk state that make it unsafe or impossible to start."""

    code = "configuration_error"


class Conflict(GarrisonError):
    status = 409
    type = "invalid_request_error"
    code = "conflict"
