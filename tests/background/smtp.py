"""A real SMTP server on loopback for the delivery tests (aiosmtpd): it refuses the first N messages, can hold
a message half way, and keeps what it accepted."""

import email
import email.policy
import threading
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Received:
    to: list[str]
    subject: str
    message_id: str
    body: str


@dataclass
class FlakyHandler:
    """Answers 451 (try again later) to the first `refuse` messages, then accepts. With `hold` set, the first
    message is kept waiting before its DATA is answered until `release` is set."""

    refuse: int = 0
    hold: bool = False
    attempts: int = 0
    received: list[Received] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.attempts += 1
            attempt = self.attempts
        if attempt <= self.refuse:
            return "451 4.3.0 Temporary failure, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.hold and not self.holding.is_set():
            self.holding.set()
            # The client is killed while we wait; this message must not count as delivered.
            while not self.release.is_set():
                await _sleep(0.05)
            return "451 4.3.0 Too late"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        with self.lock:
            self.received.append(
                Received(
                    to=list(envelope.rcpt_tos),
                    subject=str(message["Subject"]),
                    message_id=str(message["Message-ID"]),
                    body=body.get_content() if body else "",
                )
            )
        return "250 Message accepted"


async def _sleep(seconds: float) -> None:
    import asyncio  # noqa: PLC0415

    await asyncio.sleep(seconds)


class SMTPServer:
    def __init__(self, handler: FlakyHandler, port: int):
        self.handler = handler
        self.controller = Controller(handler, hostname="127.0.0.1", port=port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.handler.release.set()
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port
