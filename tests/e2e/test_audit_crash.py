"""An acknowledged request's record survives a crash: the real server in a subprocess, under
concurrent load from the official openai client, killed with SIGKILL, then checked and restarted."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import openai
import pytest

from tests.e2e.conftest import GARRISON, free_port

pytestmark = pytest.mark.model


def _start(env: dict[str, str], log: Path, root: str) -> subprocess.Popen[bytes]:
    with log.open("a") as out:
        proc = subprocess.Popen([*GARRISON, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{root}/readyz", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)


def test_sigkill_under_load_loses_no_acknowledged_record_and_the_log_verifies(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    port = free_port()
    env = {
        **os.environ,
        "GARRISON_DATA_DIR": str(data_dir),
        "GARRISON_PORT": str(port),
        "GARRISON_AUDIT_CHECKPOINT_SECONDS": "0.5",
        "GARRISON_RATE_LIMIT_PER_MINUTE": "0",
        "GARRISON_USER_RATE_LIMIT_PER_MINUTE": "0",
        "GARRISON_ORGANISATION_RATE_LIMIT_PER_MINUTE": "0",
        "PYTHONUNBUFFERED": "1",
    }
    init = subprocess.run([*GARRISON, "init"], env=env, capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    assert (data_dir / "audit.key").stat().st_mode & 0o777 == 0o600
    key = (data_dir / "admin.key").read_text().strip()
    root, log = f"http://127.0.0.1:{port}", tmp_path / "server.log"
    proc = _start(env, log, root)

    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def load(worker: int) -> None:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=key, max_retries=0, timeout=10)
        i = 0
        while not stop.is_set():
            rid = f"w{worker}-{i}"
            i += 1
            try:
                if worker % 4 == 0:  # a quarter of the clients chat with the real model
                    client.chat.completions.create(
                        model="smollm2-135m-instruct",
                        messages=[{"role": "user", "content": f"Say hello {i}"}],
                        max_tokens=4,
                        extra_headers={"X-Request-Id": rid},
                    )
                else:
                    client.models.list(extra_headers={"X-Request-Id": rid})
            except (openai.APIError, httpx.HTTPError):
                continue  # not acknowledged (the server is gone, or refused)
            with lock:
                acknowledged.append(rid)

    workers = [threading.Thread(target=load, args=(w,)) for w in range(12)]
    for w in workers:
        w.start()
    time.sleep(4.0)
    os.kill(proc.pid, signal.SIGKILL)  # mid-load: no shutdown, no last checkpoint
    proc.wait(timeout=10)
    stop.set()
    for w in workers:
        w.join(timeout=30)

    with sqlite3.connect(data_dir / "audit.db") as conn:
        logged = {rid for (rid,) in conn.execute("SELECT json_extract(body, '$.request_id') FROM records")}
        chats = conn.execute(
            "SELECT count(*) FROM records WHERE json_extract(body, '$.kind') = 'model.call'"
            " AND json_extract(body, '$.outcome') = 'completed'"
        ).fetchone()[0]
    assert len(acknowledged) > 200, "the load did not get going"
    missing = [rid for rid in acknowledged if rid not in logged]
    assert missing == [], f"{len(missing)} acknowledged requests have no record: {missing[:10]}"
    assert chats > 0

    verify = subprocess.run([*GARRISON, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "ok:" in verify.stdout

    proc = _start(env, log, root)  # the log passes its start-up check and is extended
    try:
        client = openai.OpenAI(base_url=f"{root}/v1", api_key=key, max_retries=0)
        response = client.models.with_raw_response.list(extra_headers={"X-Request-Id": "after-restart"})
        assert response.headers["x-request-id"] == "after-restart"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    again = subprocess.run([*GARRISON, "audit", "verify"], env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stdout
    records = subprocess.run(
        [*GARRISON, "audit", "show", "--json", "--kind", "system", "--limit", "1000"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    ops = [json.loads(line)["operation"] for line in records.stdout.splitlines()]
    assert ops == ["system.start", "system.start", "system.stop"]  # the killed server never said stop
