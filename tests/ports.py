"""A free TCP port on 127.0.0.1 for a server a test starts (gunicorn, Redis, the job worker)."""

import socket


def free_port() -> int:
    """Return a port nothing listens on now (the OS picks it; a race with another process is
    possible but has not been seen)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
