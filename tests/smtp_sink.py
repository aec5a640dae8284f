"""A real SMTP server (aiosmtpd) on 127.0.0.1 for mail tests: stop it and start it again."""

import email
import socket
from email.message import EmailMessage
from email.policy import default

from aiosmtpd.controller import Controller


class Sink:
    """Collects every message the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        return "250 Message accepted"


def _port() -> int:
    # Test servers stay in a fixed range of ports, the first one free.
    for port in range(8200, 8250):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8200-8249")


class Smtp:
    """A real SMTP server on 127.0.0.1 that the test can stop and start again."""

    def __init__(self) -> None:
        self.port, self.sink, self.controller = _port(), Sink(), None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None
