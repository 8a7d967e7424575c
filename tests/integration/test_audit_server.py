"""The audit log behind a real server on loopback: one record per call with its digests and
tokens, the request id, the auditor's read-only API with its scoping, offline proofs of records."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import httpx
import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from garrison.app import build, create_asgi
from garrison.config import Settings
from garrison.engines.fake import FakeEngine
from garrison.service.audit import check_bundle
from garrison.store.models import ModelRepository
from tests.conftest import fake_record, person, serve_in_thread


def test_calls_are_recorded_and_auditors_read_and_prove_them_through_the_api(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "d", audit_checkpoint_seconds=0.05)
    rt = build(settings, create=True, factory=lambda r: FakeEngine(r.name))
    ModelRepository(rt.db).insert(fake_record())
    analyst = person(rt, "ana", role="analyst", organisation="mod-fr", nation="FRA")
    auditor = person(rt, "olga", role="auditor")  # the operator's auditor: every organisation
    fr_auditor = person(rt, "remi", role="auditor", organisation="mod-fr", nation="FRA")
    it_auditor = person(rt, "ugo", role="auditor", organisation="mod-it", nation="ITA")
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": "Quelle est la pression de service ?"}]
    with serve_in_thread(create_asgi(rt)) as root:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=analyst, max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model="fake-model",
            messages=messages,
            extra_headers={"X-Request-Id": "ticket-4711"},
        )
        answer = raw.parse().choices[0].message.content or ""
        assert raw.headers["x-request-id"] == "ticket-4711"
        stream = client.chat.completions.create(model="fake-model", messages=messages, stream=True)
        streamed = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
        with pytest.raises(openai.NotFoundError):
            client.chat.completions.create(model="no-such-model", messages=messages)
        bad = httpx.get(f"{root}/v1/models", headers={"Authorization": "Bearer gsk_000000000000_nope"})
        assert bad.status_code == 401 and bad.headers["x-request-id"].startswith("req")

        def get(key: str, path: str, **params: str | int) -> httpx.Response:
            return httpx.get(f"{root}{path}", params=params, headers={"Authorization": f"Bearer {key}"}, timeout=10)

        calls = get(auditor, "/v1/audit/records", kind="model.call").json()["data"]
        assert [(c["outcome"], c["stream"], c["code"]) for c in calls] == [
            ("completed", False, None), ("completed", True, None), ("failed", False, "model_not_found"),
        ]  # fmt: skip
        first = calls[0]
        canonical = json.dumps(messages, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        assert first["prompt_sha256"] == hashlib.sha256(canonical).hexdigest()
        assert first["answer_sha256"] == hashlib.sha256(answer.encode()).hexdigest()
        assert calls[1]["answer_sha256"] == hashlib.sha256(streamed.encode()).hexdigest()
        assert first["request_id"] == "ticket-4711" and first["prompt_tokens"] > 0 and first["completion_tokens"] > 0
        assert "pression" not in json.dumps(calls)  # digests, never the text
        refused = get(auditor, "/v1/audit/records", kind="authentication").json()["data"]
        assert refused[0]["credential"] == "key:000000000000" and "nope" not in json.dumps(refused)

        assert get(analyst, "/v1/audit/records").status_code == 403  # analysts do not read the log
        fr = get(fr_auditor, "/v1/audit/records", limit=1000).json()["data"]
        assert fr and {r["organisation"] for r in fr} == {"mod-fr"}  # their organisation's records only
        assert get(it_auditor, "/v1/audit/records", kind="model.call").json()["data"] == []
        assert get(fr_auditor, "/v1/audit/verify").status_code == 405
        whole = httpx.post(f"{root}/v1/audit/verify", headers={"Authorization": f"Bearer {fr_auditor}"})
        assert whole.status_code == 404 and "only the operator" in whole.json()["error"]["message"]
        report = httpx.post(f"{root}/v1/audit/verify", headers={"Authorization": f"Bearer {auditor}"}).json()
        assert report["ok"] and report["records"] > 10

        seq = next(r["seq"] for r in fr if r.get("request_id") == "ticket-4711")
        time.sleep(0.3)  # a checkpoint covering it
        bundle = get(fr_auditor, "/v1/audit/proof", seq=seq)
        assert bundle.status_code == 200, bundle.text
        public = get(fr_auditor, "/v1/audit/public-key").text
        assert check_bundle(bundle.text, public).records == (seq,)
        other = next(
            r["seq"] for r in get(auditor, "/v1/audit/records").json()["data"] if r["organisation"] != "mod-fr"
        )
        assert get(fr_auditor, "/v1/audit/proof", seq=other).status_code == 404  # not theirs to see
        forged = bundle.text.replace("ticket-4711", "ticket-4712")
        with pytest.raises(ValueError, match=f"record {seq} is not in the log the checkpoint signs"):
            check_bundle(forged, public)

        export = get(auditor, "/v1/audit/export", since="2000-01-01T00:00:00Z")
        lines = export.text.splitlines()
        assert export.headers["content-type"] == "application/x-ndjson"
        assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
        assert get(auditor, "/v1/audit/records", since="yesterday").status_code == 400
        reads = get(auditor, "/v1/audit/records", action="audit.read").json()["data"]
        assert any(r["actor"].endswith("user:remi") for r in reads)  # reading the log is recorded too
    rt.services.audit.close()
    rt.db.close()
