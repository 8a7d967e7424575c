"""The logging sink: one parseable JSON line per event (the record's canonical JSON), no secrets."""

from __future__ import annotations

import json

import pytest

from garrison.audit.sinks import LoggingAuditSink
from garrison.core.events import AccessEvent


def test_each_event_is_one_json_line(caplog: pytest.LogCaptureFixture) -> None:
    event = AccessEvent(
        at=1_790_000_000.5,
        action="user.manage",
        operation="user.update",
        actor="key:0123456789ab user:op",
        organisation="operator",
        resource="user:m.rossi",
        allowed=False,
        reasons=("this user belongs to another organisation",),
        details={"caveats": frozenset({"SI", "ATOMAL"}), "daily_tokens": 5000},
    )
    with caplog.at_level("INFO", logger="garrison.audit"):
        LoggingAuditSink().record(event)
    (record,) = caplog.records
    assert "\n" not in record.getMessage()
    assert json.loads(record.getMessage()) == {
        "at": 1_790_000_000.5,
        "action": "user.manage",
        "operation": "user.update",
        "actor": "key:0123456789ab user:op",
        "organisation": "operator",
        "resource": "user:m.rossi",
        "allowed": False,
        "reasons": ["this user belongs to another organisation"],
        "details": {"caveats": ["ATOMAL", "SI"], "daily_tokens": 5000},
        "kind": "access",
        "request_id": None,
        "v": 1,
    }
