"""``garrison orgs | users | keys | usage``: administration from the machine's console.

Every command goes through the same service use-cases (and so the same policy and audit) as the
admin API; the console acts as the local operator."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Annotated

import typer

from garrison.cli.common import Backend, DataDir, console, err_console, fail, friendly_errors, table, when
from garrison.core.types import Organisation, Quota, User

Rpm = Annotated[
    str | None, typer.Option("--rpm", help="Requests per minute (0: no limit; 'default': the deployment's).")
]
Burst = Annotated[str | None, typer.Option("--burst", help="Requests at once before the rate applies ('default').")]
Daily = Annotated[str | None, typer.Option("--daily-tokens", help="Tokens per UTC day (0: no limit; 'default').")]


def _changes(rpm: str | None, burst: str | None, daily: str | None, **fields: object) -> dict[str, object]:
    """Only the options given; 'default' clears a quota override."""
    out: dict[str, object] = {k: v for k, v in fields.items() if v is not None}
    for name, raw, kind in (
        ("requests_per_minute", rpm, float),
        ("requests_burst", burst, int),
        ("daily_tokens", daily, int),
    ):
        if raw is None:
            continue
        if raw.strip().lower() == "default":
            out[name] = None
            continue
        try:
            out[name] = kind(raw)
        except ValueError:
            fail(f"--{name.replace('_', '-')} {raw!r}: expected a number or 'default'")
    return out


def _quota(changes: dict[str, object]) -> Quota:
    return Quota(**changes)  # type: ignore[arg-type]


def _limits(q: Quota) -> str:
    parts = [
        f"{q.requests_per_minute:g}/min" if q.requests_per_minute is not None else "",
        f"burst {q.requests_burst}" if q.requests_burst is not None else "",
        f"{q.daily_tokens} tokens/day" if q.daily_tokens is not None else "",
    ]
    return ", ".join(p for p in parts if p) or "defaults"


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [t.strip() for t in text.split(",") if t.strip()]


def _print(title: str, width: int, rows: list[tuple[str, str]]) -> None:
    console.print(f"[bold]{title}[/]", soft_wrap=True)
    for label, value in rows:
        console.print(f"  {label:<{width}}{value}", highlight=False, soft_wrap=True, markup=False)


def _print_org(o: Organisation) -> None:
    _print(
        o.id,
        10,
        [
            ("name", o.name),
            ("nation", o.nation or "-"),
            ("groups", ", ".join(sorted(o.groups)) or "-"),
            ("operator", "yes" if o.operator else "no"),
            ("quota", _limits(o.quota)),
            ("created", when(o.created_at)),
            ("disabled", when(o.disabled_at)),
        ],
    )


def _print_user(u: User) -> None:
    _print(
        u.id,
        12,
        [
            ("name", u.name),
            ("org", u.organisation),
            ("role", u.role),
            ("clearance", u.clearance.label),
            ("nationality", u.nationality or "-"),
            ("caveats", ", ".join(sorted(u.caveats)) or "-"),
            ("sign-in", f"OIDC ({u.oidc_subject})" if u.oidc_subject else "API keys"),
            ("quota", _limits(u.quota)),
            ("created", when(u.created_at)),
            ("disabled", when(u.disabled_at)),
        ],
    )


def register(app: typer.Typer, backend: Backend) -> None:
    orgs = typer.Typer(help="Organisations (tenants): nation, groups, quotas.", no_args_is_help=True)
    users = typer.Typer(help="People: role, clearance, nationality, caveats, quotas.", no_args_is_help=True)
    keys = typer.Typer(help="API keys of people (stored hashed; shown once).", no_args_is_help=True)
    app.add_typer(orgs, name="orgs")
    app.add_typer(users, name="users")
    app.add_typer(keys, name="keys")

    # -- organisations ------------------------------------------------------------------------------
    @orgs.command("create")
    def orgs_create(
        org_id: Annotated[str, typer.Argument(metavar="ID", help="Short id, e.g. mod-it.")],
        name: Annotated[str, typer.Option(help="Full name.")],
        nation: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 (ITA) or a body (NATO, EU).")] = None,
        groups: Annotated[str | None, typer.Option(help="Further groups it belongs to, e.g. 'NATO,EU'.")] = None,
        rpm: Rpm = None,
        burst: Burst = None,
        daily_tokens: Daily = None,
        data_dir: DataDir = None,
    ) -> None:
        """Create an organisation. Its nation's groups (FRA: NATO, EU) apply without listing them."""
        with friendly_errors():
            s = backend.open(data_dir)
            org = s.identity.create_organisation(
                s.console,
                org_id,
                name=name,
                nation=nation,
                groups=_split(groups) or [],
                quota=_quota(_changes(rpm, burst, daily_tokens)),
            )
        _print_org(org)

    @orgs.command("list")
    def orgs_list(data_dir: DataDir = None) -> None:
        """List organisations."""
        with friendly_errors():
            s = backend.open(data_dir)
            found = s.identity.organisations(s.console)
        t = table("id", "name", "nation", "groups", "quota", "disabled")
        for o in found:
            label = o.id + (" (operator)" if o.operator else "")
            t.add_row(
                label,
                o.name,
                o.nation or "-",
                ", ".join(sorted(o.groups)) or "-",
                _limits(o.quota),
                when(o.disabled_at),
            )
        console.print(t)

    @orgs.command("show")
    def orgs_show(org_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Show one organisation."""
        with friendly_errors():
            s = backend.open(data_dir)
            org = s.identity.organisation(s.console, org_id)
        _print_org(org)

    def _update_org(org_id: str, changes: dict[str, object], data_dir: Path | None) -> None:
        if not changes:
            fail("nothing to change: give at least one option (see --help)")
        with friendly_errors():
            s = backend.open(data_dir)
            org = s.identity.update_organisation(s.console, org_id, changes)
        _print_org(org)

    @orgs.command("update")
    def orgs_update(
        org_id: Annotated[str, typer.Argument(metavar="ID")],
        name: Annotated[str | None, typer.Option(help="Full name.")] = None,
        nation: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3 or NATO / EU.")] = None,
        groups: Annotated[str | None, typer.Option(help="Groups, replacing the current ones ('' for none).")] = None,
        rpm: Rpm = None,
        burst: Burst = None,
        daily_tokens: Daily = None,
        data_dir: DataDir = None,
    ) -> None:
        """Change an organisation's name, nation, groups or quotas."""
        _update_org(
            org_id, _changes(rpm, burst, daily_tokens, name=name, nation=nation, groups=_split(groups)), data_dir
        )

    @orgs.command("disable")
    def orgs_disable(org_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Disable an organisation: its people's keys and tokens are refused from the next request."""
        _update_org(org_id, {"disabled": True}, data_dir)

    @orgs.command("enable")
    def orgs_enable(org_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Enable a disabled organisation again."""
        _update_org(org_id, {"disabled": False}, data_dir)

    # -- people -------------------------------------------------------------------------------------
    @users.command("create")
    def users_create(
        user_id: Annotated[str, typer.Argument(metavar="ID", help="Login name, e.g. m.rossi.")],
        org: Annotated[str, typer.Option("--org", help="Organisation id.")],
        role: Annotated[str, typer.Option(help="admin, security_officer, analyst or auditor.")],
        name: Annotated[str | None, typer.Option(help="Display name (default: the id).")] = None,
        clearance: Annotated[
            str | None, typer.Option(help="SECRET, NATO SECRET, GEHEIM... (default UNCLASSIFIED).")
        ] = None,
        nationality: Annotated[
            str | None, typer.Option(help="ISO 3166 alpha-3 (default: the organisation's nation).")
        ] = None,
        caveats: Annotated[str | None, typer.Option(help="Compartments held, e.g. 'ATOMAL,SI'.")] = None,
        rpm: Rpm = None,
        burst: Burst = None,
        daily_tokens: Daily = None,
        data_dir: DataDir = None,
    ) -> None:
        """Create a person. Give them a key with `garrison keys create --user ID`."""
        with friendly_errors():
            s = backend.open(data_dir)
            user = s.identity.create_user(
                s.console,
                user_id,
                organisation=org,
                role=role,
                name=name,
                clearance=clearance,
                nationality=nationality,
                caveats=_split(caveats),
                quota=_quota(_changes(rpm, burst, daily_tokens)),
            )
        _print_user(user)

    @users.command("list")
    def users_list(
        org: Annotated[str | None, typer.Option("--org", help="Only this organisation.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """List people."""
        with friendly_errors():
            s = backend.open(data_dir)
            found = s.identity.users(s.console, org)
        t = table("id", "org", "role", "clearance", "nationality", "caveats", "disabled")
        for u in found:
            t.add_row(
                u.id, u.organisation, u.role, u.clearance.label, u.nationality or "-",
                ", ".join(sorted(u.caveats)) or "-", when(u.disabled_at),
            )  # fmt: skip
        console.print(t)

    @users.command("show")
    def users_show(user_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Show one person."""
        with friendly_errors():
            s = backend.open(data_dir)
            user = s.identity.user(s.console, user_id)
        _print_user(user)

    def _update_user(user_id: str, changes: dict[str, object], data_dir: Path | None) -> None:
        if not changes:
            fail("nothing to change: give at least one option (see --help)")
        with friendly_errors():
            s = backend.open(data_dir)
            user = s.identity.update_user(s.console, user_id, changes)
        _print_user(user)

    @users.command("update")
    def users_update(
        user_id: Annotated[str, typer.Argument(metavar="ID")],
        name: Annotated[str | None, typer.Option(help="Display name.")] = None,
        role: Annotated[str | None, typer.Option(help="admin, security_officer, analyst or auditor.")] = None,
        clearance: Annotated[str | None, typer.Option(help="New clearance level.")] = None,
        nationality: Annotated[str | None, typer.Option(help="ISO 3166 alpha-3.")] = None,
        caveats: Annotated[str | None, typer.Option(help="Caveats, replacing the current ones ('' for none).")] = None,
        rpm: Rpm = None,
        burst: Burst = None,
        daily_tokens: Daily = None,
        data_dir: DataDir = None,
    ) -> None:
        """Change a person's role, clearance, nationality, caveats or quotas."""
        changes = _changes(
            rpm, burst, daily_tokens, name=name, role=role, clearance=clearance, nationality=nationality,
            caveats=_split(caveats),
        )  # fmt: skip
        _update_user(user_id, changes, data_dir)

    @users.command("disable")
    def users_disable(user_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Disable a person: their keys and tokens are refused from the next request."""
        _update_user(user_id, {"disabled": True}, data_dir)

    @users.command("enable")
    def users_enable(user_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Enable a disabled person again."""
        _update_user(user_id, {"disabled": False}, data_dir)

    # -- keys ---------------------------------------------------------------------------------------
    @keys.command("create")
    def keys_create(
        user: Annotated[str, typer.Option(help="The person the key belongs to (see `garrison users list`).")],
        name: Annotated[str | None, typer.Option(help="What the key is for (default: the user id).")] = None,
        expires_days: Annotated[float | None, typer.Option(help="Expire after this many days.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Create an API key; it is printed once and only its hash is stored."""
        with friendly_errors():
            s = backend.open(data_dir)
            created = s.keys.create(s.console, user, name, expires_days)
        err_console.print(
            f"key {created.id} for {created.user_id} ({created.name}), expires {when(created.expires_at)}"
        )
        console.print(created.key, highlight=False, soft_wrap=True)

    @keys.command("list")
    def keys_list(
        user: Annotated[str | None, typer.Option(help="Only this person's keys.")] = None,
        org: Annotated[str | None, typer.Option("--org", help="Only this organisation's keys.")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """List API keys (ids only, never secrets)."""
        with friendly_errors():
            s = backend.open(data_dir)
            rows = s.keys.list(s.console, user_id=user, organisation=org)
        t = table("id", "user", "name", "created", "expires", "revoked", "last used")
        for r in rows:
            t.add_row(
                r.id,
                r.user_id,
                r.name,
                when(r.created_at),
                when(r.expires_at),
                when(r.revoked_at),
                when(r.last_used_at),
            )
        console.print(t)

    @keys.command("expire")
    def keys_expire(
        key_id: Annotated[str, typer.Argument(metavar="ID")],
        in_days: Annotated[float | None, typer.Option(help="Expire this many days from now (default: now).")] = None,
        data_dir: DataDir = None,
    ) -> None:
        """Set when a key stops working: now, or in some days."""
        import time

        if in_days is not None and in_days < 0:
            fail("--in-days must not be negative")
        with friendly_errors():
            s = backend.open(data_dir)
            row = s.keys.expire(s.console, key_id, None if in_days is None else time.time() + in_days * 86400)
        console.print(f"{key_id} expires {when(row.expires_at)} UTC")

    @keys.command("revoke")
    def keys_revoke(key_id: Annotated[str, typer.Argument(metavar="ID")], data_dir: DataDir = None) -> None:
        """Revoke a key; it is refused from the next request on."""
        with friendly_errors():
            s = backend.open(data_dir)
            s.keys.revoke(s.console, key_id)
        console.print(f"revoked {key_id}")

    # -- usage --------------------------------------------------------------------------------------
    @app.command("usage")
    def usage(
        since: Annotated[str, typer.Option(help="First day: YYYY-MM-DD, today, yesterday or -Nd.")],
        by: Annotated[
            str, typer.Option(help="Group by organisation, user, model, day; several with commas.")
        ] = "organisation",
        until: Annotated[str | None, typer.Option(help="Last day (inclusive); default: today.")] = None,
        org: Annotated[str | None, typer.Option("--org", help="Only this organisation.")] = None,
        output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
        data_dir: DataDir = None,
    ) -> None:
        """Requests and tokens per organisation, person, model or day: the cost-sharing table.

        Figures a running server counted in the last few seconds may not be written yet."""
        if output not in ("table", "csv", "json"):
            fail(f"--format {output!r}: expected table, csv or json")
        dims = [b.strip() for b in by.split(",") if b.strip()]
        with friendly_errors():
            s = backend.open(data_dir)
            rows = s.usage.report(s.console, dims, since=since, until=until, organisation=org)
        total = sum(r.count.total_tokens for r in rows)
        records = [
            {
                **r.group,
                "requests": r.count.requests,
                "prompt_tokens": r.count.prompt_tokens,
                "completion_tokens": r.count.completion_tokens,
                "total_tokens": r.count.total_tokens,
                "share": round(r.count.total_tokens / total, 4) if total else 0.0,
            }
            for r in rows
        ]
        if output == "json":
            console.print_json(json.dumps(records))
            return
        if output == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=[*dims, "requests", "prompt_tokens", "completion_tokens",
                                                         "total_tokens", "share"])  # fmt: skip
            writer.writeheader()
            writer.writerows(records)
            console.out(buffer.getvalue().rstrip("\n"), highlight=False)
            return
        t = table(*dims, "requests", "prompt", "completion", "total", "share")
        for rec in records:
            t.add_row(
                *(str(rec[d]) for d in dims),
                str(rec["requests"]), str(rec["prompt_tokens"]), str(rec["completion_tokens"]),
                str(rec["total_tokens"]), f"{float(str(rec['share'])):.1%}",
            )  # fmt: skip
        console.print(t)
        if not records:
            err_console.print("no usage in that period")
