"""OIDC bearer tokens (JWT) validated offline against a locally configured issuer key set.

No discovery, no JWKS download: the key set is a file the administrator installs (air gap).
Validation is PyJWT's (signature, ``exp``/``nbf``/``iat`` with a small leeway, issuer, audience);
only asymmetric algorithms are accepted, so a token can never be "signed" with a public key
used as an HMAC secret. Claims are then mapped to the identity attributes the policy needs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt

from garrison.core.errors import AuthenticationFailed, ConfigurationError
from garrison.core.markings import Level
from garrison.security import markings
from garrison.security.markings import MarkingError

ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")


@dataclass(frozen=True, slots=True)
class ClaimMap:
    """Which claim carries which attribute (defaults follow common IdP conventions)."""

    subject: str = "sub"
    name: str = "preferred_username"
    organisation: str = "org"
    nationality: str = "nationality"
    clearance: str = "clearance"
    caveats: str = "caveats"
    role: str = "role"

    @classmethod
    def from_mapping(cls, mapping: dict[str, str]) -> ClaimMap:
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(mapping) - known)
        if unknown:
            raise ConfigurationError(
                f"unknown OIDC claim mapping {', '.join(unknown)}; expected attributes: {', '.join(sorted(known))}"
            )
        return cls(**mapping)


@dataclass(frozen=True, slots=True)
class Identity:
    subject: str
    name: str
    organisation: str | None
    nationality: str | None
    clearance: Level
    caveats: frozenset[str]
    role: str
    claims: dict[str, Any] = field(repr=False, compare=False)


class OidcVerifier:
    def __init__(
        self,
        jwks: dict[str, Any],
        *,
        issuer: str,
        audience: str,
        claims: ClaimMap | None = None,
        leeway_s: float = 30.0,
    ) -> None:
        try:
            self._keys = jwt.PyJWKSet.from_dict(jwks)
        except jwt.PyJWTError as exc:
            raise ConfigurationError(f"the OIDC key set is not a usable JWKS: {exc}") from exc
        self._issuer = issuer
        self._audience = audience
        self._claims = claims or ClaimMap()
        self._leeway = leeway_s

    @classmethod
    def from_file(cls, path: Path, *, issuer: str, audience: str, claims: ClaimMap | None = None) -> OidcVerifier:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"cannot read the OIDC key set {path}: {exc}") from exc
        return cls(data, issuer=issuer, audience=audience, claims=claims)

    def verify(self, token: str) -> Identity:
        """The caller's identity, or AuthenticationFailed saying what was wrong with the token."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(f"malformed bearer token: {exc}", code="invalid_token") from exc
        kid = header.get("kid")
        try:
            key = self._keys[kid] if kid is not None else None
        except KeyError:
            key = None
        if key is None:
            raise AuthenticationFailed(
                "the token is signed by a key this server does not trust (unknown 'kid')", code="unknown_signing_key"
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key=key.key,
                algorithms=list(ALGORITHMS),
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise AuthenticationFailed("the token has expired", code="expired_token") from exc
        except jwt.PyJWTError as exc:
            raise AuthenticationFailed(f"the token is not valid here: {exc}", code="invalid_token") from exc
        return self._identity(claims)

    def _identity(self, claims: dict[str, Any]) -> Identity:
        m = self._claims
        try:
            level = markings.level(str(claims.get(m.clearance, "UNCLASSIFIED")), f"claim '{m.clearance}'")
        except MarkingError as exc:
            raise AuthenticationFailed(exc.message, code="invalid_token") from exc
        caveats = claims.get(m.caveats) or []
        if isinstance(caveats, str):
            caveats = caveats.split()
        nationality = claims.get(m.nationality)
        return Identity(
            subject=str(claims[m.subject]),
            name=str(claims.get(m.name) or claims[m.subject]),
            organisation=str(claims[m.organisation]) if claims.get(m.organisation) else None,
            nationality=str(nationality).upper() if nationality else None,
            clearance=level,
            caveats=frozenset(str(c).upper() for c in caveats),
            role=str(claims.get(m.role) or "analyst"),
            claims=claims,
        )
