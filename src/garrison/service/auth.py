"""Who is calling: an API key of ours, or a bearer token (JWT) from the configured identity provider."""

from __future__ import annotations

from typing import Protocol

from garrison.core.errors import AuthenticationFailed
from garrison.core.events import AuthenticationEvent
from garrison.core.types import Principal
from garrison.security import apikeys
from garrison.security.oidc import Identity
from garrison.service.authz import Authoriser, request_id
from garrison.service.identity import IdentityService
from garrison.service.keys import KeyService


class TokenVerifier(Protocol):
    def verify(self, token: str) -> Identity: ...


class Authenticator:
    def __init__(
        self,
        keys: KeyService,
        identity: IdentityService,
        oidc: TokenVerifier | None = None,
        authz: Authoriser | None = None,
    ) -> None:
        self._keys = keys
        self._identity = identity
        self._oidc = oidc
        self._authz = authz

    def authenticate(self, bearer: str | None) -> Principal:
        """The caller; a refused credential is audited (named by its public id, never its secret)."""
        try:
            return self._authenticate(bearer)
        except AuthenticationFailed as exc:
            if self._authz is not None:
                credential = _credential(bearer)
                self._authz.emit(
                    AuthenticationEvent(
                        at=self._authz.now(),
                        actor="anonymous",
                        organisation=None,
                        action="authenticate",
                        operation="authenticate",
                        resource=f"credential:{credential}",
                        allowed=False,
                        reasons=(str(exc),),
                        request_id=request_id(),
                        credential=credential,
                        code=exc.code,
                    )
                )
            raise

    def _authenticate(self, bearer: str | None) -> Principal:
        if not bearer:
            raise AuthenticationFailed(
                "You didn't provide an API key. Send it as 'Authorization: Bearer <key>'.",
                code="missing_api_key",
            )
        if bearer.startswith(apikeys.PREFIX + "_") or bearer.count(".") != 2:
            return self._keys.authenticate(bearer)
        if self._oidc is None:
            raise AuthenticationFailed(
                "This server accepts no identity-provider tokens (no OIDC issuer is configured); use an API key.",
                code="invalid_api_key",
            )
        return self._identity.oidc_principal(self._oidc.verify(bearer))


def _credential(bearer: str | None) -> str:
    if not bearer:
        return "none"
    if bearer.startswith(apikeys.PREFIX + "_") or bearer.count(".") != 2:
        key_id = apikeys.parse_id(bearer)
        return f"key:{key_id}" if key_id else "key:malformed"
    return "oidc-token"  # its claims are not read before its signature holds
