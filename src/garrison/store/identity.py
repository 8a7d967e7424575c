"""Organisations and the people in them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping
from typing import Any

from garrison.core.errors import Conflict, NotFound
from garrison.core.markings import Level
from garrison.core.types import Organisation, Quota, User
from garrison.store.db import Database

_ORG_COLUMNS = ("name", "nation", "groups", "requests_per_minute", "requests_burst", "daily_tokens", "disabled_at")
_USER_COLUMNS = (
    "organisation_id",
    "name",
    "role",
    "clearance",
    "nationality",
    "caveats",
    "requests_per_minute",
    "requests_burst",
    "daily_tokens",
    "disabled_at",
)


def _quota(d: Mapping[str, Any]) -> Quota:
    rpm, burst, daily = d["requests_per_minute"], d["requests_burst"], d["daily_tokens"]
    return Quota(
        requests_per_minute=None if rpm is None else float(str(rpm)),
        requests_burst=None if burst is None else int(str(burst)),
        daily_tokens=None if daily is None else int(str(daily)),
    )


def organisation_from(d: Mapping[str, Any]) -> Organisation:
    return Organisation(
        id=str(d["id"]),
        name=str(d["name"]),
        nation=None if d["nation"] is None else str(d["nation"]),
        groups=frozenset(json.loads(str(d["groups"]))),
        operator=bool(d["operator"]),
        quota=_quota(d),
        created_at=float(str(d["created_at"])),
        disabled_at=None if d["disabled_at"] is None else float(str(d["disabled_at"])),
    )


def user_from(d: Mapping[str, Any]) -> User:
    return User(
        id=str(d["id"]),
        organisation=str(d["organisation_id"]),
        name=str(d["name"]),
        role=str(d["role"]),
        clearance=Level[str(d["clearance"])],
        nationality=None if d["nationality"] is None else str(d["nationality"]),
        caveats=frozenset(json.loads(str(d["caveats"]))),
        oidc_subject=None if d["oidc_subject"] is None else str(d["oidc_subject"]),
        quota=_quota(d),
        created_at=float(str(d["created_at"])),
        disabled_at=None if d["disabled_at"] is None else float(str(d["disabled_at"])),
    )


def _org_values(o: Organisation) -> dict[str, object]:
    return {
        "name": o.name,
        "nation": o.nation,
        "groups": json.dumps(sorted(o.groups)),
        "requests_per_minute": o.quota.requests_per_minute,
        "requests_burst": o.quota.requests_burst,
        "daily_tokens": o.quota.daily_tokens,
        "disabled_at": o.disabled_at,
    }


def _user_values(u: User) -> dict[str, object]:
    return {
        "organisation_id": u.organisation,
        "name": u.name,
        "role": u.role,
        "clearance": u.clearance.name,
        "nationality": u.nationality,
        "caveats": json.dumps(sorted(u.caveats)),
        "requests_per_minute": u.quota.requests_per_minute,
        "requests_burst": u.quota.requests_burst,
        "daily_tokens": u.quota.daily_tokens,
        "disabled_at": u.disabled_at,
    }


def _update(
    conn: sqlite3.Connection, table: str, key: str, values: dict[str, object], columns: tuple[str, ...]
) -> None:
    assignments = ", ".join(f"{c}=?" for c in columns)  # fixed column names, never user input
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id=?", (*(values[c] for c in columns), key))  # noqa: S608


class IdentityRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- organisations ----------------------------------------------------------------------------
    def insert_organisation(self, org: Organisation) -> None:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM organisations WHERE id=?", (org.id,)).fetchone():
                raise Conflict(f"an organisation with id {org.id!r} already exists")
            if org.operator and conn.execute("SELECT 1 FROM organisations WHERE operator=1").fetchone():
                raise Conflict("the deployment already has an operator organisation")
            v = _org_values(org)
            columns = ("id", "operator", "created_at", *_ORG_COLUMNS)
            conn.execute(
                f"INSERT INTO organisations ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
                (org.id, int(org.operator), org.created_at, *(v[c] for c in _ORG_COLUMNS)),
            )

    def update_organisation(self, org: Organisation) -> None:
        with self._db.transaction() as conn:
            _update(conn, "organisations", org.id, _org_values(org), _ORG_COLUMNS)

    def organisation(self, org_id: str) -> Organisation:
        rows = self._db.query("SELECT * FROM organisations WHERE id=?", (org_id,))
        if not rows:
            raise NotFound(f"no organisation with id {org_id!r}")
        return organisation_from(dict(rows[0]))

    def organisations(self) -> list[Organisation]:
        return [
            organisation_from(dict(r)) for r in self._db.query("SELECT * FROM organisations ORDER BY operator DESC, id")
        ]

    def operator(self) -> Organisation | None:
        rows = self._db.query("SELECT * FROM organisations WHERE operator=1")
        return organisation_from(dict(rows[0])) if rows else None

    # -- people -----------------------------------------------------------------------------------
    def insert_user(self, user: User) -> None:
        with self._db.transaction() as conn:
            if conn.execute("SELECT 1 FROM users WHERE id=?", (user.id,)).fetchone():
                raise Conflict(f"a user with id {user.id!r} already exists")
            if conn.execute("SELECT 1 FROM organisations WHERE id=?", (user.organisation,)).fetchone() is None:
                raise NotFound(f"no organisation with id {user.organisation!r}")
            v = _user_values(user)
            columns = ("id", "oidc_subject", "created_at", *_USER_COLUMNS)
            conn.execute(
                f"INSERT INTO users ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",  # noqa: S608
                (user.id, user.oidc_subject, user.created_at, *(v[c] for c in _USER_COLUMNS)),
            )

    def update_user(self, user: User) -> None:
        with self._db.transaction() as conn:
            _update(conn, "users", user.id, _user_values(user), _USER_COLUMNS)

    def user(self, user_id: str) -> User:
        rows = self._db.query("SELECT * FROM users WHERE id=?", (user_id,))
        if not rows:
            raise NotFound(f"no user with id {user_id!r}")
        return user_from(dict(rows[0]))

    def find_user(self, user_id: str) -> User | None:
        rows = self._db.query("SELECT * FROM users WHERE id=?", (user_id,))
        return user_from(dict(rows[0])) if rows else None

    def users(self, organisation: str | None = None) -> list[User]:
        if organisation is None:
            rows = self._db.query("SELECT * FROM users ORDER BY organisation_id, id")
        else:
            rows = self._db.query("SELECT * FROM users WHERE organisation_id=? ORDER BY id", (organisation,))
        return [user_from(dict(r)) for r in rows]

    def member(self, user_id: str) -> tuple[User, Organisation] | None:
        """A person and their organisation in one read (the authentication path)."""
        rows = self._db.query(f"SELECT {MEMBER_COLUMNS} FROM {MEMBER_JOIN} WHERE u.id=?", (user_id,))  # noqa: S608
        return split_member(dict(rows[0])) if rows else None


# A person with their organisation, in one row: for the authentication path, which runs per request.
MEMBER_COLUMNS = (
    "u.*, o.name AS o_name, o.nation AS o_nation, o.groups AS o_groups, o.operator AS o_operator,"
    " o.requests_per_minute AS o_rpm, o.requests_burst AS o_burst, o.daily_tokens AS o_daily,"
    " o.created_at AS o_created, o.disabled_at AS o_disabled"
)
MEMBER_JOIN = "users u JOIN organisations o ON o.id = u.organisation_id"


def split_member(d: dict[str, object]) -> tuple[User, Organisation]:
    """A joined users+organisations row (organisation columns prefixed ``o_``) as two values."""
    org = organisation_from(
        {
            "id": d["organisation_id"],
            "name": d["o_name"],
            "nation": d["o_nation"],
            "groups": d["o_groups"],
            "operator": d["o_operator"],
            "requests_per_minute": d["o_rpm"],
            "requests_burst": d["o_burst"],
            "daily_tokens": d["o_daily"],
            "created_at": d["o_created"],
            "disabled_at": d["o_disabled"],
        }
    )
    return user_from(d), org
