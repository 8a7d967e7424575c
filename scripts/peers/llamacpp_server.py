"""llama.cpp's own OpenAI-compatible HTTP server, in the foreground, for scripts/bench_peers.py.

Run by the peer's virtual environment (``.bench/peers/llamacpp/bin/python``), never by Garrison's:
``xllamacpp.Server(params)`` loads the model and starts llama.cpp's C++ HTTP listener (the code of
``llama-server``) in this process; ``params.hostnames`` and ``params.port`` pick the address. The
llama.cpp settings mirror Garrison's engine (src/garrison/engines/llamacpp.py): total context =
slots x slot context, the same batch, threads for decoding and batches, jinja templates, no context
shift, quiet logs, never online. Runs until SIGINT or SIGTERM.

    python llamacpp_server.py --model FILE.gguf --port 8081 --parallel 16 --slot-ctx 2048 --threads 2
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from typing import Any


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--model", required=True, help="GGUF file")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8081, help="0: a free port")
    ap.add_argument("--parallel", type=int, default=8, help="slots (n_parallel)")
    ap.add_argument("--slot-ctx", type=int, default=2048, help="tokens per slot; n_ctx = parallel x slot-ctx")
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--batch", type=int, default=512, help="n_batch (Garrison's engine: 512)")
    ap.add_argument("--threads-http", type=int, default=-1, help="HTTP threads (-1: llama.cpp's default)")
    ap.add_argument("--alias", default="smollm2", help="the model's name in /v1/models")
    ap.add_argument("--api-key", default="", help="require 'Authorization: Bearer KEY' (default: none)")
    args = ap.parse_args()

    import xllamacpp as xl

    params: Any = xl.CommonParams()
    params.model.path = args.model
    params.hostnames = [args.host]
    params.port = args.port
    params.n_parallel = args.parallel
    params.n_ctx = args.parallel * args.slot_ctx
    params.n_batch = args.batch
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_threads_http = args.threads_http
    params.cont_batching = True
    params.endpoint_metrics = True
    params.ui = False
    params.offline = True
    params.model_alias = {args.alias}
    params.use_jinja = True
    params.ctx_shift = False
    params.verbosity = 0
    if args.api_key:
        params.api_keys = [args.api_key]

    started = time.monotonic()
    server = xl.Server(params)
    print(
        f"[llamacpp_server] xllamacpp {xl.__version__} listening on {server.listening_address}"
        f" (load {time.monotonic() - started:.2f} s, parallel={args.parallel}, n_ctx={params.n_ctx},"
        f" threads={args.threads}, pid={os.getpid()})",
        flush=True,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.is_set():
        stop.wait(1.0)
    print("[llamacpp_server] shutting down", flush=True)
    del server
    return 0


if __name__ == "__main__":
    sys.exit(main())
