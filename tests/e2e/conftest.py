"""The real server: `garrison init` and `garrison serve` as subprocesses on a free loopback port,
with the real embedded model in llama.cpp, driven by the official openai client."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from garrison.catalog.embedded import locate_embedded

GARRISON = [sys.executable, "-m", "garrison"]
ISSUER = "https://idp.defence.example"
AUDIENCE = "garrison"
IDP_KID = "idp-2026"


@dataclass(frozen=True)
class IdentityProvider:
    """Signs tokens as the enclave's IdP would; the server trusts its public key only."""

    key: rsa.RSAPrivateKey

    def token(self, claims: dict[str, Any], *, key: rsa.RSAPrivateKey | None = None, kid: str = IDP_KID) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600, **claims}
        return jwt.encode(body, key or self.key, algorithm="RS256", headers={"kid": kid})


@dataclass(frozen=True)
class Server:
    base_url: str
    root: str
    key: str
    data_dir: Path
    env: dict[str, str]
    log: Path
    idp: IdentityProvider

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*GARRISON, *args], env=self.env, capture_output=True, text=True, timeout=120)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("e2e")
    data_dir = base / "data"
    port = free_port()
    idp = IdentityProvider(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(idp.key.public_key()))
    (base / "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": IDP_KID, "use": "sig"}]}))
    env = {
        **os.environ,
        "GARRISON_DATA_DIR": str(data_dir),
        "GARRISON_PORT": str(port),
        "GARRISON_LLAMACPP_PARALLEL": "8",
        "GARRISON_LLAMACPP_SLOT_CONTEXT": "2048",
        "GARRISON_MAX_BODY_BYTES": str(256 * 1024),
        "GARRISON_OIDC_JWKS_FILE": str(base / "jwks.json"),
        "GARRISON_OIDC_ISSUER": ISSUER,
        "GARRISON_OIDC_AUDIENCE": AUDIENCE,
        "GARRISON_USAGE_FLUSH_SECONDS": "0.5",
        "PYTHONUNBUFFERED": "1",
    }
    init = subprocess.run([*GARRISON, "init"], env=env, capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stderr
    key = (data_dir / "admin.key").read_text().strip()
    assert key in init.stdout  # printed once

    # A second model, brought "on a USB drive", registered in place and then tampered with.
    usb = base / "usb"
    usb.mkdir()
    copy = usb / "llama-from-usb.gguf"
    shutil.copyfile(locate_embedded(), copy)
    add = subprocess.run(
        [*GARRISON, "models", "add", str(copy), "--name", "usb-llama", "--license", "Apache-2.0", "--in-place"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert add.returncode == 0, add.stderr
    with copy.open("r+b") as fh:
        fh.seek(-1, os.SEEK_END)
        last = fh.read(1)
        fh.seek(-1, os.SEEK_END)
        fh.write(bytes([last[0] ^ 0xFF]))
    # Two more models (the same weights, registered in place): one released to NATO, one to the USA only.
    for name, release in (("nato-llama", "NATO"), ("usa-llama", "USA")):
        add = subprocess.run(
            [*GARRISON, "models", "add", str(locate_embedded()), "--name", name, "--license", "Apache-2.0",
             "--in-place", "--eligible", release],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert add.returncode == 0, add.stderr

    # The demo: a NATO maintenance depot, its people and a marked corpus, ingested through the CLI.
    demo = subprocess.run([*GARRISON, "demo"], env=env, capture_output=True, text=True, timeout=600)
    assert demo.returncode == 0, demo.stderr

    log = base / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([*GARRISON, "serve"], env=env, stdout=out, stderr=subprocess.STDOUT)
    root = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{root}/readyz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, log.read_text()
        time.sleep(0.2)
    try:
        yield Server(f"{root}/v1", root, key, data_dir, env, log, idp)
    finally:
        proc.terminate()
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = -1
        # uvicorn drains, runs the lifespan shutdown, then re-raises SIGTERM so the exit status tells
        # the signal (-15); anything else, or no "Finished", means it did not stop cleanly
        text = log.read_text()
        assert code in (0, -15) and "Finished server process" in text, f"exit {code}\n{text}"
