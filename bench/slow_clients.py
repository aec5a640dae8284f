"""Drill: slow-header clients against gunicorn; do other requests keep answering?

Starts gunicorn with gunicorn.conf.py (SQLite in a temporary instance folder) once per worker
class, opens --slow connections that trickle their request headers one byte per second
(slowloris), and meanwhile sends GET /healthz every 0.25 s with a 2 s timeout. Prints, per
worker class, how many of those requests answered, failed, and the slowest answer.

    .venv/bin/python bench/slow_clients.py [--slow 2] [--seconds 20] [--port 8120]
"""

import argparse
import os
import platform
import shutil
import socket
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.intake_server import free_port, start_server, stop_server  # noqa: E402


def _trickle(port: int, stop: threading.Event) -> None:
    """Send a request's headers one byte a second and never finish them."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while not stop.is_set():
            try:
                sock.sendall(b"X")
            except OSError:
                return  # the server closed us: that is fine too
            stop.wait(1.0)


def _probe(base: str, seconds: float) -> tuple[int, int, float]:
    ok = failed = 0
    slowest = 0.0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                response.read()
            ok += 1
            slowest = max(slowest, time.monotonic() - started)
        except OSError:
            failed += 1
        time.sleep(0.25)
    return ok, failed, slowest


def drill(worker_class: str, args) -> str:
    instance = Path(tempfile.mkdtemp(prefix="slow-clients-"))
    port = args.port or free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "RATELIMIT_STORAGE_URI") and not k.startswith("FLASK_")}
    env.update(INSTANCE_PATH=str(instance), HOST="127.0.0.1", PORT=str(port),
               GUNICORN_WORKER_CLASS=worker_class, WEB_CONCURRENCY="2",
               RATELIMIT_ENABLED="false", SCORING_ENABLED="false")
    base = f"http://127.0.0.1:{port}"
    proc = start_server(env, instance / "gunicorn.log", base)
    stop = threading.Event()
    trickles = [threading.Thread(target=_trickle, args=(port, stop), daemon=True)
                for _ in range(args.slow)]
    try:
        for thread in trickles:
            thread.start()
        time.sleep(0.5)  # let the slow clients take their places first
        ok, failed, slowest = _probe(base, args.seconds)
    finally:
        stop.set()
        stop_server(proc)
        if not os.environ.get("KEEP_INSTANCE"):
            shutil.rmtree(instance, ignore_errors=True)
    return (f"{worker_class:8} 2 workers, {args.slow} slow clients, {args.seconds:.0f} s "
            f": {ok} answered, {failed} failed or timed out (2 s), "
            f"slowest answer {slowest * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slow", type=int, default=2, help="slow-header connections")
    parser.add_argument("--seconds", type=float, default=20, help="how long to probe")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--worker-class", action="append",
                        help="gthread and/or sync (default: both)")
    args = parser.parse_args()
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}, Python {platform.python_version()}")
    for worker_class in args.worker_class or ["gthread", "sync"]:
        print(drill(worker_class, args), flush=True)


if __name__ == "__main__":
    main()
